/**
 * SDK and transport failures → `ProviderError`. The retry layer decides by
 * error class only, so everything `@google/genai` (or undici under it) can
 * throw must land in the right class, with a message a user can act on.
 * Aborts are not handled here: the adapter rethrows the signal's reason
 * before asking for a mapping.
 *
 * The SDK's `ApiError` carries only the HTTP status and a message that is
 * the JSON error body (`{"error":{code, message, status, details}}`), for an
 * error event inside the stream prefixed with `got status: ...`. The body is
 * parsed back out of that message.
 */
import { ApiError } from '@google/genai';
import { ProviderError, type ProviderErrorClass } from '../../errors.js';
import { classifyStatus } from '../retry.js';

/** Who was being called, for messages, and what the transport saw. */
export interface ErrorContext {
  provider: string;
  model: string;
  baseURL: string;
  /** From the error response's `retry-after` headers (the SDK drops headers). */
  retryAfterMs?: number | undefined;
}

/** Google's error object (google.rpc.Status as JSON). */
interface GoogleError {
  code?: unknown;
  message?: unknown;
  status?: unknown;
  details?: unknown;
}

/** Error bodies can be HTML pages from proxies; keep messages readable. */
const MAX_DETAIL_CHARS = 300;

/** undici / Node socket codes that mean "the connection broke", not "the request was bad". */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Gemini's wording for a prompt over the context window (a 400 INVALID_ARGUMENT). */
const OVERFLOW = /input token count|exceeds the maximum number of tokens|context window|context length/i;

/** Classify anything a Gemini request can throw; a `ProviderError` passes through unchanged. */
export function toProviderError(error: unknown, ctx: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider } = ctx;
  if (error instanceof ApiError) return fromApiError(error, ctx);
  if (error instanceof SyntaxError) {
    return fail(ctx, 'protocol', `${provider} sent a malformed stream (an event was not valid JSON)`, error, {
      hint: `check that ${ctx.baseURL} is a Gemini API endpoint`,
    });
  }
  if (error instanceof Error) {
    // The SDK's own stream parser failures, by their (stable) wording.
    if (error.message === 'Incomplete JSON segment at the end') {
      return fail(ctx, 'transient', `the stream from ${provider} ended in the middle of an event`, error);
    }
    if (error.message === 'Response body is empty' || error.message.startsWith('exception parsing stream chunk')) {
      return fail(ctx, 'protocol', `${provider} sent a stream that could not be read: ${clip(error.message)}`, error);
    }
  }
  if (isNetworkError(error)) {
    const reason = innermostMessage(error) ?? (error as Error).message;
    // `fetch failed`: no response at all; `terminated`: the body broke off.
    return (error as Error).message === 'fetch failed'
      ? fail(ctx, 'transient', `no response from ${provider} at ${ctx.baseURL}: ${reason}`, error, {
          hint: 'check the network and the base URL',
        })
      : fail(ctx, 'transient', `the connection to ${provider} broke mid-response: ${reason}`, error);
  }
  if (isAbortError(error)) {
    // Our own signal was checked first, so this abort came from below us.
    return fail(ctx, 'transient', `the request to ${provider} was aborted by the HTTP client`, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return fail(ctx, 'unknown', `${provider}: the request failed: ${clip(message)}`, error);
}

function fromApiError(error: ApiError, ctx: ErrorContext): ProviderError {
  const body = googleErrorOf(error.message);
  const status = typeof error.status === 'number' ? error.status : typeof body?.code === 'number' ? body.code : undefined;
  const googleStatus = typeof body?.status === 'string' && body.status !== '' ? body.status : undefined;
  const detail = clip(typeof body?.message === 'string' ? body.message : error.message);
  const details = Array.isArray(body?.details) ? (body.details as unknown[]) : [];
  const reason = errorInfoReason(details);
  const errorClass = classify(status, googleStatus, reason, detail);
  const retryAfterMs = ctx.retryAfterMs ?? retryInfoDelay(details);

  const { provider, model } = ctx;
  const code = [status, googleStatus].filter((s) => s !== undefined).join(' ') || 'error';
  const suffix = detail ? `: ${detail}` : '';
  const extra: FailExtra = { status, retryAfterMs };
  switch (errorClass) {
    case 'auth':
      return fail(ctx, 'auth', `the key for ${provider} was rejected (${code})${suffix}`, error, {
        ...extra,
        hint: `run \`kt login ${provider}\` to set a valid key`,
      });
    case 'rate_limit':
      return fail(ctx, 'rate_limit', `${provider} rate limit reached (${code})${suffix}`, error, extra);
    case 'overflow':
      return fail(ctx, 'overflow', `the conversation is too long for ${model} (${code})${suffix}`, error, extra);
    case 'server':
      return fail(ctx, 'server', `${provider} had a server error (${code})${suffix}`, error, extra);
    case 'transient':
      return fail(ctx, 'transient', `${provider} asked to try again (${code})${suffix}`, error, extra);
    case 'user':
      return fail(ctx, 'user', `${provider} rejected the request for ${model} (${code})${suffix}`, error, {
        ...extra,
        hint: status === 404 ? 'check the model name and the base URL' : undefined,
      });
    default:
      return fail(ctx, errorClass, `${provider} failed (${code})${suffix}`, error, extra);
  }
}

/**
 * Gemini answers a bad key with 400 INVALID_ARGUMENT + reason
 * API_KEY_INVALID, a missing permission with 403, quota with 429
 * RESOURCE_EXHAUSTED; the rest follows the shared status rules.
 */
function classify(
  status: number | undefined,
  googleStatus: string | undefined,
  reason: string | undefined,
  detail: string,
): ProviderErrorClass {
  if (reason === 'API_KEY_INVALID' || googleStatus === 'UNAUTHENTICATED' || status === 401 || status === 403) return 'auth';
  if (status === 429 || googleStatus === 'RESOURCE_EXHAUSTED') return 'rate_limit';
  if ((status === 400 || status === 413) && OVERFLOW.test(detail)) return 'overflow';
  return classifyStatus(status, detail);
}

/** The `error` object inside the SDK's message (which is JSON, possibly after a `got status:` prefix). */
function googleErrorOf(message: string): GoogleError | undefined {
  const start = message.indexOf('{');
  if (start === -1) return undefined;
  try {
    const parsed: unknown = JSON.parse(message.slice(start));
    const inner = isRecord(parsed) ? parsed['error'] : undefined;
    return isRecord(inner) ? inner : undefined;
  } catch {
    return undefined;
  }
}

/** `reason` of the google.rpc.ErrorInfo detail, e.g. `API_KEY_INVALID`. */
function errorInfoReason(details: unknown[]): string | undefined {
  for (const d of details) {
    if (isRecord(d) && typeOf(d).endsWith('google.rpc.ErrorInfo') && typeof d['reason'] === 'string') return d['reason'];
  }
  return undefined;
}

/** `retryDelay` of the google.rpc.RetryInfo detail: a protobuf Duration, `"12s"` or `{seconds, nanos}`. */
export function retryInfoDelay(details: unknown[]): number | undefined {
  for (const d of details) {
    if (!isRecord(d) || !typeOf(d).endsWith('google.rpc.RetryInfo')) continue;
    const delay = d['retryDelay'];
    if (typeof delay === 'string') {
      const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
      if (match) return Math.round(Number(match[1]) * 1000);
    } else if (isRecord(delay)) {
      const seconds = Number(delay['seconds'] ?? 0);
      const nanos = Number(delay['nanos'] ?? 0);
      if (Number.isFinite(seconds) && Number.isFinite(nanos)) return Math.round(seconds * 1000 + nanos / 1e6);
    }
  }
  return undefined;
}

function typeOf(detail: Record<string, unknown>): string {
  return typeof detail['@type'] === 'string' ? detail['@type'] : '';
}

interface FailExtra {
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  hint?: string | undefined;
}

function fail(ctx: ErrorContext, errorClass: ProviderErrorClass, message: string, cause: unknown, extra: FailExtra = {}): ProviderError {
  return new ProviderError(message, {
    provider: ctx.provider,
    errorClass,
    cause,
    ...(extra.status !== undefined ? { status: extra.status } : {}),
    ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
  });
}

function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    // undici's wording when the request never got out or the body broke off.
    if (e instanceof TypeError && (e.message === 'terminated' || e.message === 'fetch failed')) return true;
  }
  return false;
}

function isAbortError(error: unknown): boolean {
  const name = error instanceof Error || (typeof error === 'object' && error !== null) ? (error as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** The innermost useful message of an error chain (undici hides the socket error in `cause`). */
function innermostMessage(error: unknown): string | undefined {
  let message: string | undefined;
  for (let e: unknown = (error as Error).cause, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e.message) message = e.message;
  }
  return message;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_CHARS ? `${oneLine.slice(0, MAX_DETAIL_CHARS)}…` : oneLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
