/**
 * SDK and transport failures → `ProviderError`. The controller's retry layer
 * decides only by error class, so every failure the SDK (or undici under it)
 * can raise must land in the right class here, with a message a user can act
 * on. Aborts are not handled here: the adapter rethrows the signal's reason
 * before asking for a mapping.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { ProviderError, type ProviderErrorClass } from '../../errors.js';
import { classifyStatus, parseRetryAfter } from '../retry.js';

/** Who was being called, for messages. */
export interface ErrorContext {
  provider: string;
  model: string;
  baseURL: string;
}

/** Error-body text can be an HTML page from a proxy; keep messages readable. */
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

export function toProviderError(error: unknown, ctx: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider } = ctx;
  if (error instanceof APIConnectionTimeoutError) {
    return fail(ctx, 'transient', `${provider} did not answer in time (request timed out)`, error);
  }
  if (error instanceof APIUserAbortError) {
    // Our own signal was checked first, so this abort came from below us.
    return fail(ctx, 'transient', `the request to ${provider} was aborted by the HTTP client`, error);
  }
  if (error instanceof APIConnectionError) {
    const reason = describeCause(error.cause) ?? error.message;
    return fail(ctx, 'transient', `no response from ${provider} at ${ctx.baseURL}: ${reason}`, error, {
      hint: 'check the network and the base URL',
    });
  }
  if (error instanceof APIError) return fromApiError(error, ctx);
  if (error instanceof SyntaxError) {
    return fail(ctx, 'protocol', `${provider} sent a malformed stream (an event was not valid JSON)`, error, {
      hint: `check that ${ctx.baseURL} is an OpenAI-compatible endpoint`,
    });
  }
  if (isNetworkError(error)) {
    const reason = describeCause((error as Error).cause) ?? (error as Error).message;
    return fail(ctx, 'transient', `the connection to ${provider} broke mid-response: ${reason}`, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof OpenAIError ? 'the OpenAI SDK failed' : 'the request failed';
  return fail(ctx, 'unknown', `${provider}: ${kind}: ${message}`, error);
}

function fromApiError(error: APIError, ctx: ErrorContext): ProviderError {
  const body = isRecord(error.error) ? error.error : undefined;
  const detail = clip(
    typeof body?.['message'] === 'string' ? body['message'] : stripStatus(error.message, error.status),
  );
  // Some servers put the HTTP status into `code` of an error sent inside the stream.
  const status = error.status ?? (typeof body?.['code'] === 'number' ? body['code'] : undefined);
  const classifyText = [detail, error.code, error.type].filter((s) => typeof s === 'string').join(' ');
  const errorClass = classifyStatus(status, classifyText);
  const retryAfterMs = parseRetryAfter(error.headers);
  const { provider, model } = ctx;
  const code = status === undefined ? 'in-stream error' : String(status);
  const suffix = detail ? `: ${detail}` : '';
  const extra = { status, retryAfterMs };

  switch (errorClass) {
    case 'auth':
      return status === 401
        ? fail(ctx, 'auth', `the key for ${provider} was rejected (401)${suffix}`, error, {
            ...extra,
            hint: `store a valid key with kt login ${provider}`,
          })
        : fail(ctx, 'auth', `${provider} refused access to ${model} (${code})${suffix}`, error, {
            ...extra,
            hint: `check that the key for ${provider} may use ${model}`,
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
      if (status === 429) {
        return fail(ctx, 'user', `${provider} quota is used up (429)${suffix}`, error, {
          ...extra,
          hint: `check the billing or plan of the ${provider} account`,
        });
      }
      return fail(ctx, 'user', `${provider} rejected the request for ${model} (${code})${suffix}`, error, {
        ...extra,
        hint: status === 404 ? 'check the model name and the base URL' : undefined,
      });
    default:
      return fail(ctx, errorClass, `${provider} failed (${code})${suffix}`, error, extra);
  }
}

interface FailExtra {
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  hint?: string | undefined;
}

function fail(
  ctx: ErrorContext,
  errorClass: ProviderErrorClass,
  message: string,
  cause: unknown,
  extra: FailExtra = {},
): ProviderError {
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
    // undici's wording when the body stream ends abruptly or the request never got out.
    if (e instanceof TypeError && (e.message === 'terminated' || e.message === 'fetch failed')) return true;
  }
  return false;
}

/** The innermost useful message of an error chain (undici hides the socket error in `cause`). */
function describeCause(cause: unknown): string | undefined {
  let message: string | undefined;
  for (let e: unknown = cause, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e.message) message = e.message;
  }
  return message;
}

function stripStatus(message: string, status: number | undefined): string {
  if (status !== undefined && message.startsWith(`${status} `)) return message.slice(String(status).length + 1);
  return message.includes('status code (no body)') ? '' : message;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_CHARS ? `${oneLine.slice(0, MAX_DETAIL_CHARS)}…` : oneLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
