/**
 * The HTTP calls to the auth server: one timeout per request, aborts passed
 * through, and failures turned into errors that name the endpoint and the
 * status but never carry a token (request bodies are never echoed).
 */
import { ProviderError, type ProviderErrorClass } from '../../errors.js';
import type { ResolvedAuthOptions } from './auth-options.js';

/** A reply with its JSON object body (undefined when the body was not a JSON object). */
export interface AuthReply {
  url: string;
  status: number;
  body: Record<string, unknown> | undefined;
}

/** POST a JSON body to `{issuer}{path}`. */
export function postJson(options: ResolvedAuthOptions, path: string, payload: Record<string, string>, signal?: AbortSignal): Promise<AuthReply> {
  return post(options, path, { 'content-type': 'application/json' }, JSON.stringify(payload), signal);
}

/** POST an `application/x-www-form-urlencoded` body (what OAuth token endpoints take). */
export function postForm(options: ResolvedAuthOptions, path: string, payload: Record<string, string>, signal?: AbortSignal): Promise<AuthReply> {
  const body = new URLSearchParams(payload).toString();
  return post(options, path, { 'content-type': 'application/x-www-form-urlencoded' }, body, signal);
}

async function post(
  options: ResolvedAuthOptions,
  path: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal | undefined,
): Promise<AuthReply> {
  const url = `${options.issuer}${path}`;
  const timeout = AbortSignal.timeout(options.requestTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await options.fetch(url, { method: 'POST', headers: { accept: 'application/json', ...headers }, body, signal: combined });
    const text = await response.text();
    return { url, status: response.status, body: parseObject(text) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted) {
      throw new ProviderError(`POST ${url} timed out after ${Math.round(options.requestTimeoutMs / 1000)} s`, {
        provider: 'codex',
        errorClass: 'transient',
        cause: error,
      });
    }
    const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new ProviderError(`POST ${url} failed: ${reason}`, { provider: 'codex', errorClass: 'transient', cause: error });
  }
}

/** The OAuth error code of a reply body: `error` as a string, or `error.code` as OpenAI sometimes sends it. */
export function oauthErrorCode(body: Record<string, unknown> | undefined): string | undefined {
  const error = body?.error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const code = (error as Record<string, unknown>).code ?? (error as Record<string, unknown>).type;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A failed reply as an error: `<what> failed: POST <url> → 400 invalid_grant: <description>`. */
export function httpFailure(reply: AuthReply, what: string, hint?: string): ProviderError {
  return new ProviderError(`${what} failed: ${replySummary(reply)}`, {
    provider: 'codex',
    errorClass: errorClassFor(reply.status),
    status: reply.status,
    ...(hint ? { hint } : {}),
  });
}

/** `POST <url> → <status> <oauth error>: <description>`; built from the reply only, never the request. */
export function replySummary(reply: AuthReply): string {
  const code = oauthErrorCode(reply.body);
  const description = oauthErrorDescription(reply.body);
  const detail = [code, description].filter(Boolean).join(': ');
  return `POST ${reply.url} → ${reply.status}${detail ? ` ${detail}` : ''}`;
}

function oauthErrorDescription(body: Record<string, unknown> | undefined): string | undefined {
  const error = body?.error;
  const raw =
    body?.error_description ?? (error && typeof error === 'object' ? (error as Record<string, unknown>).message : undefined);
  // Short and single-line: it goes into a one-line `kt:` message.
  return typeof raw === 'string' && raw.trim() ? raw.trim().replace(/\s+/g, ' ').replace(/\.$/, '').slice(0, 200) : undefined;
}

function errorClassFor(status: number): ProviderErrorClass {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  if (status >= 400) return 'user';
  return 'protocol';
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
