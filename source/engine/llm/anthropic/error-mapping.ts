/**
 * SDK and transport failures → `ProviderError`. The controller's retry layer
 * decides by error class alone, so every failure the Anthropic SDK (or undici
 * under it) can raise must land in the right class, with a message a user can
 * act on. Aborts are not handled here: the adapter rethrows the signal's
 * reason before asking for a mapping.
 */
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ProviderError, type ProviderErrorClass } from '../../errors.js';
import { classifyStatus, parseRetryAfter } from '../retry.js';
import { describeCause, isNetworkError } from './network-errors.js';

/** Who was being called, for messages. */
export interface ErrorContext {
  provider: string;
  model: string;
  baseURL: string;
}

/** Error text can be an HTML page from a proxy; keep messages readable. */
const MAX_DETAIL_CHARS = 300;

/**
 * The HTTP status each API error type comes with. An `error` event inside a
 * 200 stream has no status of its own; classifying it by the status its type
 * would have had keeps one set of rules (`overloaded_error` → 529 → server).
 */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = Object.freeze({
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
});

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
      hint: `check that ${ctx.baseURL} is an Anthropic-compatible endpoint`,
    });
  }
  if (isNetworkError(error)) {
    const reason = describeCause((error as Error).cause) ?? (error as Error).message;
    return fail(ctx, 'transient', `the connection to ${provider} broke mid-response: ${reason}`, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof AnthropicError ? 'the Anthropic SDK failed' : 'the request failed';
  return fail(ctx, 'unknown', `${provider}: ${kind}: ${message}`, error);
}

function fromApiError(error: APIError, ctx: ErrorContext): ProviderError {
  const body = isRecord(error.error) && isRecord(error.error['error']) ? error.error['error'] : undefined;
  const type = error.type ?? (typeof body?.['type'] === 'string' ? body['type'] : undefined);
  const detail = clip(error.apiMessage ?? (typeof body?.['message'] === 'string' ? body['message'] : stripStatus(error.message, error.status)));
  const status = error.status;
  const errorClass = classifyStatus(status ?? (type ? STATUS_OF_TYPE[type] : undefined), [detail, type].filter(Boolean).join(' '));
  const retryAfterMs = parseRetryAfter(error.headers);
  const { provider, model } = ctx;
  const code = status === undefined ? `in-stream ${type ?? 'error'}` : String(status);
  const suffix = detail ? `: ${detail}` : '';
  const extra: FailExtra = { status, retryAfterMs };

  switch (errorClass) {
    case 'auth':
      return fail(ctx, 'auth', `the key for ${provider} was rejected (${code})${suffix}`, error, {
        ...extra,
        hint: `run \`kt login ${provider}\` to set a valid key${status === 403 ? ` that may use ${model}` : ''}`,
      });
    case 'rate_limit':
      return fail(ctx, 'rate_limit', `${provider} rate limit reached (${code})${suffix}`, error, extra);
    case 'overflow':
      return fail(ctx, 'overflow', `the conversation is too long for ${model} (${code})${suffix}`, error, extra);
    case 'server':
      return type === 'overloaded_error' || status === 529
        ? fail(ctx, 'server', `${provider} is overloaded (${code})${suffix}`, error, extra)
        : fail(ctx, 'server', `${provider} had a server error (${code})${suffix}`, error, extra);
    case 'transient':
      return fail(ctx, 'transient', `${provider} asked to try again (${code})${suffix}`, error, extra);
    case 'user':
      return fail(ctx, 'user', `${provider} rejected the request for ${model} (${code})${suffix}`, error, {
        ...extra,
        hint: userHint(status ?? (type ? STATUS_OF_TYPE[type] : undefined), provider),
      });
    default:
      return fail(ctx, errorClass, `${provider} failed (${code})${suffix}`, error, extra);
  }
}

function userHint(status: number | undefined, provider: string): string | undefined {
  if (status === 402) return `check the billing or plan of the ${provider} account`;
  if (status === 404) return 'check the model name and the base URL';
  return undefined;
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

/** The SDK prefixes its message with the status; the body's own message is what we want. */
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
