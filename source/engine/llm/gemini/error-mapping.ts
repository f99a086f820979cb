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
import { isRecord } from '../../util/records.js';
import { isAbortError, isNetworkError } from '../network-errors.js';
import {
  abortedBelow,
  brokeOff,
  clipDetail,
  malformedStream,
  noResponse,
  providerFailure,
  statusFailure,
  unknownFailure,
  type ErrorContext as CallContext,
} from '../provider-errors.js';
import { classifyStatus } from '../retry.js';

/** Who was being called, for messages, and what the transport saw. */
export interface ErrorContext extends CallContext {
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

/** Gemini's wording for a prompt over the context window (a 400 INVALID_ARGUMENT). */
const OVERFLOW = /input token count|exceeds the maximum number of tokens|context window|context length/i;

/** Classify anything a Gemini request can throw; a `ProviderError` passes through unchanged. */
export function toProviderError(error: unknown, ctx: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider } = ctx;
  if (error instanceof ApiError) return fromApiError(error, ctx);
  if (error instanceof SyntaxError) return malformedStream(ctx, 'a Gemini API endpoint', error);
  if (error instanceof Error) {
    // The SDK's own stream parser failures, by their (stable) wording.
    if (error.message === 'Incomplete JSON segment at the end') {
      return providerFailure(provider, 'transient', `the stream from ${provider} ended in the middle of an event`, error);
    }
    if (error.message === 'Response body is empty' || error.message.startsWith('exception parsing stream chunk')) {
      return providerFailure(provider, 'protocol', `${provider} sent a stream that could not be read: ${clipDetail(error.message)}`, error);
    }
  }
  if (isNetworkError(error)) {
    // `fetch failed`: no response at all; `terminated`: the body broke off.
    return (error as Error).message === 'fetch failed' ? noResponse(ctx, error as Error) : brokeOff(ctx, error as Error);
  }
  // Our own signal was checked first, so this abort came from below us.
  if (isAbortError(error)) return abortedBelow(ctx, error);
  const message = error instanceof Error ? error.message : String(error);
  return unknownFailure(ctx, 'the request failed', clipDetail(message), error);
}

function fromApiError(error: ApiError, ctx: ErrorContext): ProviderError {
  const body = googleErrorOf(error.message);
  const status = typeof error.status === 'number' ? error.status : typeof body?.code === 'number' ? body.code : undefined;
  const googleStatus = typeof body?.status === 'string' && body.status !== '' ? body.status : undefined;
  const detail = clipDetail(typeof body?.message === 'string' ? body.message : error.message);
  const details = Array.isArray(body?.details) ? (body.details as unknown[]) : [];
  const reason = errorInfoReason(details);
  const errorClass = classify(status, googleStatus, reason, detail);
  const retryAfterMs = ctx.retryAfterMs ?? retryInfoDelay(details);

  const code = [status, googleStatus].filter((s) => s !== undefined).join(' ') || 'error';
  return statusFailure(ctx, { errorClass, status, code, detail, retryAfterMs }, error);
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
