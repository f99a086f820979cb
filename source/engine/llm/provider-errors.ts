/**
 * The provider-neutral half of turning a failed request into a
 * `ProviderError`: the wording, hints and fields every adapter uses. Each
 * adapter recognises its own SDK's errors (`instanceof APIError` and the
 * like) and picks the builder here; the retry layer then decides by the
 * error class alone, and the user reads the same message whichever
 * provider failed.
 */
import { ProviderError, type ProviderErrorClass } from '../errors.js';
import { describeCause, isNetworkError } from './network-errors.js';

/** Who was being called, for messages. */
export interface ErrorContext {
  provider: string;
  model: string;
  baseURL: string;
}

/** The optional fields of a failure; unset ones are left off the error. */
export interface FailureExtra {
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  hint?: string | undefined;
}

/** A `ProviderError` carrying only the optional fields that are set. */
export function providerFailure(
  provider: string,
  errorClass: ProviderErrorClass,
  message: string,
  cause: unknown,
  extra: FailureExtra = {},
): ProviderError {
  return new ProviderError(message, {
    provider,
    errorClass,
    cause,
    ...(extra.status !== undefined ? { status: extra.status } : {}),
    ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
  });
}

/** The HTTP client's own timeout fired before the server answered. */
export function timedOut(ctx: ErrorContext, cause: unknown): ProviderError {
  return providerFailure(ctx.provider, 'transient', `${ctx.provider} did not answer in time (request timed out)`, cause);
}

/** The request was aborted below us; adapters check their own signal first, so it was not the caller. */
export function abortedBelow(ctx: ErrorContext, cause: unknown): ProviderError {
  return providerFailure(ctx.provider, 'transient', `the request to ${ctx.provider} was aborted by the HTTP client`, cause);
}

/** No response at all: the server is unreachable (or the base URL is wrong). */
export function noResponse(ctx: ErrorContext, error: Error): ProviderError {
  return providerFailure(ctx.provider, 'transient', `no response from ${ctx.provider} at ${ctx.baseURL}: ${reasonOf(error)}`, error, {
    hint: 'check the network and the base URL',
  });
}

/** The connection broke after the response had started. */
export function brokeOff(ctx: ErrorContext, error: Error): ProviderError {
  return providerFailure(ctx.provider, 'transient', `the connection to ${ctx.provider} broke mid-response: ${reasonOf(error)}`, error);
}

/** Why a connection failed: undici hides the socket error in `cause`, the wrapper only says "fetch failed". */
function reasonOf(error: Error): string {
  return describeCause(error.cause) ?? error.message;
}

/** A stream event was not valid JSON; `endpoint` names what the base URL should be, e.g. "a Gemini API endpoint". */
export function malformedStream(ctx: ErrorContext, endpoint: string, cause: unknown): ProviderError {
  return providerFailure(ctx.provider, 'protocol', `${ctx.provider} sent a malformed stream (an event was not valid JSON)`, cause, {
    hint: `check that ${ctx.baseURL} is ${endpoint}`,
  });
}

/** Anything unrecognised: `${provider}: ${what}: ${detail}`, e.g. "the request failed". */
export function unknownFailure(ctx: ErrorContext, what: string, detail: string, cause: unknown): ProviderError {
  return providerFailure(ctx.provider, 'unknown', `${ctx.provider}: ${what}: ${detail}`, cause);
}

/**
 * What is left once an adapter has recognised its SDK's own error classes:
 * an event that was not JSON, a connection that broke mid-response (undici
 * under the SDK), anything else. `endpoint` is for the hint, `what` names
 * the failing party in the message ("the request failed").
 */
export function otherFailure(error: unknown, ctx: ErrorContext, endpoint: string, what: string): ProviderError {
  if (error instanceof SyntaxError) return malformedStream(ctx, endpoint, error);
  if (isNetworkError(error)) return brokeOff(ctx, error as Error);
  return unknownFailure(ctx, what, error instanceof Error ? error.message : String(error), error);
}

/** A stream item this API never sends (`what` says what it is instead): the server speaks another protocol. */
export function unexpectedItem(provider: string, what: string, cause: Error): ProviderError {
  return providerFailure(provider, 'protocol', `${provider} sent ${what}: ${cause.message}`, cause);
}

/**
 * The stream ended without anything an answer of this API holds: the server
 * does not speak it, and a retry will not help. `stream` says what came,
 * e.g. "an empty stream (no completion chunks)".
 */
export function emptyStream(provider: string, stream: string, hint: string): ProviderError {
  return providerFailure(provider, 'protocol', `${provider} answered with ${stream}`, undefined, { hint });
}

/**
 * The answer (`what`: message, response) started but ended without its
 * finish (no finish reason, `message_stop`, `response.completed`), by a
 * proxy or the server closing early: a truncated stream, which a retry may
 * well fix.
 */
export function cutOff(provider: string, what: string): ProviderError {
  return providerFailure(provider, 'transient', `truncated stream: the stream from ${provider} ended before the ${what} was complete`, undefined);
}

/** An error status from the server (over HTTP or as an error event in the stream), already classified. */
export interface StatusFailure {
  errorClass: ProviderErrorClass;
  status: number | undefined;
  /** How the status appears in the message: `429`, `400 INVALID_ARGUMENT`, `in-stream error`. */
  code: string;
  /** The server's own explanation, clipped; empty when it gave none. */
  detail: string;
  retryAfterMs?: number | undefined;
  /** Replaces the standard message of the class, for wording a provider needs of its own. */
  message?: string | undefined;
  /** Replaces the standard hint of the class. */
  hint?: string | undefined;
}

/** The `ProviderError` for a server-reported failure: the class's standard wording unless overridden. */
export function statusFailure(ctx: Pick<ErrorContext, 'provider' | 'model'>, failure: StatusFailure, cause: unknown): ProviderError {
  const { errorClass, status, retryAfterMs } = failure;
  const message = failure.message ?? withDetail(standardMessage(ctx, errorClass, failure.code), failure.detail);
  const hint = failure.hint ?? standardHint(ctx.provider, errorClass, status);
  return providerFailure(ctx.provider, errorClass, message, cause, { status, retryAfterMs, hint });
}

function standardMessage({ provider, model }: Pick<ErrorContext, 'provider' | 'model'>, errorClass: ProviderErrorClass, code: string): string {
  switch (errorClass) {
    case 'auth':
      return `the key for ${provider} was rejected (${code})`;
    case 'rate_limit':
      return `${provider} rate limit reached (${code})`;
    case 'overflow':
      return `the conversation is too long for ${model} (${code})`;
    case 'server':
      return `${provider} had a server error (${code})`;
    case 'transient':
      return `${provider} asked to try again (${code})`;
    case 'user':
      return `${provider} rejected the request for ${model} (${code})`;
    default:
      return `${provider} failed (${code})`;
  }
}

function standardHint(provider: string, errorClass: ProviderErrorClass, status: number | undefined): string | undefined {
  if (errorClass === 'auth') return `run \`kt login ${provider}\` to set a valid key`;
  if (errorClass === 'user' && status === 404) return 'check the model name and the base URL';
  return undefined;
}

/** `text: detail`, or just `text` when there is no detail. */
export function withDetail(text: string, detail: string): string {
  return detail ? `${text}: ${detail}` : text;
}

/** Error bodies can be HTML pages from proxies; keep messages readable. */
const MAX_DETAIL_CHARS = 300;

/** `text` on one line, cut at a readable length. */
export function clipDetail(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_CHARS ? `${oneLine.slice(0, MAX_DETAIL_CHARS)}…` : oneLine;
}

/**
 * The server's explanation in an SDK error message. The `openai` and
 * Anthropic SDKs (built by one code generator) write `<status> <message>`,
 * or `<status> status code (no body)` when the server gave none.
 */
export function stripStatus(message: string, status: number | undefined): string {
  if (status !== undefined && message.startsWith(`${status} `)) return message.slice(String(status).length + 1);
  return message.includes('status code (no body)') ? '' : message;
}
