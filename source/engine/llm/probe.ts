/**
 * A cheap "can we reach this provider with these credentials" request, for
 * `kt doctor`: list the models, with a short timeout. Plain fetch, so the
 * check does not load any SDK.
 */
import type { ResolvedLLM } from './resolve.js';

export interface ProbeResult {
  ok: boolean;
  ms: number;
  status?: number;
  /** What went wrong, in words. */
  message?: string;
}

export async function probeProvider(llm: ResolvedLLM, options: { timeoutMs?: number; fetch?: typeof fetch } = {}): Promise<ProbeResult> {
  const started = performance.now();
  const request = probeRequest(llm);
  if (!request) return { ok: true, ms: 0, message: 'no network check for this provider' };
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(request.url, { headers: request.headers, signal: AbortSignal.timeout(options.timeoutMs ?? 1500) });
    await response.body?.cancel();
    const ms = Math.round(performance.now() - started);
    if (response.ok) return { ok: true, ms, status: response.status };
    const message =
      response.status === 401 || response.status === 403 ? `the key for ${llm.backend.name} was rejected (${response.status})` : `HTTP ${response.status} from ${request.url}`;
    return { ok: false, ms, status: response.status, message };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const name = (error as Error).name;
    const message = name === 'TimeoutError' ? `no answer from ${hostOf(request.url)} within ${options.timeoutMs ?? 1500} ms` : `cannot reach ${hostOf(request.url)}: ${causeOf(error)}`;
    return { ok: false, ms, message };
  }
}

function probeRequest(llm: ResolvedLLM): { url: string; headers: Record<string, string> } | undefined {
  const key = llm.credential.kind === 'key' ? llm.credential.key : '';
  const base = (llm.baseURL ?? '').replace(/\/+$/, '');
  switch (llm.backend.type) {
    case 'openai':
    case 'openai-responses':
      return { url: `${base}/models`, headers: key ? { authorization: `Bearer ${key}` } : {} };
    case 'anthropic': {
      const bearer = llm.backend.options?.auth === 'bearer';
      return {
        url: `${base}/v1/models?limit=1`,
        headers: { 'anthropic-version': '2023-06-01', ...(bearer ? { authorization: `Bearer ${key}` } : { 'x-api-key': key }) },
      };
    }
    case 'gemini':
      return { url: `${base || 'https://generativelanguage.googleapis.com'}/v1beta/models?pageSize=1`, headers: { 'x-goog-api-key': key } };
    case 'codex':
      return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
