/**
 * Failures the server reports inside a 200 stream (`response.failed`, an
 * `error` event) → `ProviderError`. There is no HTTP status to go by, only
 * the error code the API puts on the event, so the class comes from that.
 */
import type { ProviderError, ProviderErrorClass } from '../../../errors.js';
import { statusFailure, withDetail } from '../../provider-errors.js';
import { classifyStatus } from '../../retry.js';

/** Who was being called, for messages. */
export interface StreamFailureContext {
  provider: string;
  model: string;
}

/** A failure reported in the stream, as the event gave it. */
export interface ReportedFailure {
  code: string | undefined;
  message: string;
  /** `response.failed` or `error`. */
  event: string;
}

const SERVER_CODES = new Set(['server_error', 'server_is_overloaded', 'internal_error', 'vector_store_timeout']);

/**
 * Codes that mean the request itself cannot succeed as sent (bad images,
 * policy refusals, an exhausted plan): retrying the same request is pointless.
 */
const USER_CODE = /invalid_|image|policy|quota|usage_limit|usage_not_included|data_residency/;

/** The class of an in-stream error code. */
export function classifyStreamCode(code: string | undefined, message: string): ProviderErrorClass {
  const c = (code ?? '').toLowerCase();
  if (c === 'rate_limit_exceeded') return 'rate_limit';
  if (SERVER_CODES.has(c)) return 'server';
  if (c === 'context_length_exceeded' || classifyStatus(undefined, message) === 'overflow') return 'overflow';
  if (USER_CODE.test(c)) return 'user';
  return 'unknown';
}

/**
 * The wait the server suggests in the message text ("Please try again in
 * 11.054s"), since in-stream rate limits come without a `retry-after` header.
 */
export function retryAfterFromText(message: string): number | undefined {
  const match = /try again in (\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?)\b/i.exec(message);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Math.round(match[2]?.toLowerCase() === 'ms' ? value : value * 1000);
}

/** The `ProviderError` for a reported failure, labelled by its code (or the event when it has none). */
export function streamFailureError(failure: ReportedFailure, ctx: StreamFailureContext, cause: unknown): ProviderError {
  const errorClass = classifyStreamCode(failure.code, failure.message);
  const code = failure.code ?? failure.event;
  return statusFailure(
    ctx,
    {
      errorClass,
      status: undefined,
      code,
      detail: failure.message,
      retryAfterMs: errorClass === 'rate_limit' ? retryAfterFromText(failure.message) : undefined,
      // The response had started, so this is the model failing mid-answer rather than a server error status.
      ...(errorClass === 'server' ? { message: withDetail(`${ctx.provider} failed while answering (${code})`, failure.message) } : {}),
    },
    cause,
  );
}
