/**
 * SDK and transport failures → `ProviderError`. The controller's retry layer
 * decides by error class alone, so every failure the Anthropic SDK (or undici
 * under it) can raise must land in the right class, with a message a user can
 * act on. This file recognises the SDK's errors; the wording is shared
 * (`../provider-errors.ts`). Aborts are not handled here: the adapter
 * rethrows the signal's reason before asking for a mapping.
 */
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ProviderError } from '../../errors.js';
import { isRecord } from '../../util/records.js';
import {
  abortedBelow,
  clipDetail,
  noResponse,
  otherFailure,
  statusFailure,
  stripStatus,
  timedOut,
  withDetail,
  type ErrorContext,
  type StatusFailure,
} from '../provider-errors.js';
import { classifyStatus, parseRetryAfter } from '../retry.js';

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
  if (error instanceof APIConnectionTimeoutError) return timedOut(ctx, error);
  // Our own signal was checked first, so this abort came from below us.
  if (error instanceof APIUserAbortError) return abortedBelow(ctx, error);
  if (error instanceof APIConnectionError) return noResponse(ctx, error);
  if (error instanceof APIError) return fromApiError(error, ctx);
  return otherFailure(error, ctx, 'an Anthropic-compatible endpoint', error instanceof AnthropicError ? 'the Anthropic SDK failed' : 'the request failed');
}

function fromApiError(error: APIError, ctx: ErrorContext): ProviderError {
  const body = isRecord(error.error) && isRecord(error.error['error']) ? error.error['error'] : undefined;
  const type = error.type ?? (typeof body?.['type'] === 'string' ? body['type'] : undefined);
  const detail = clipDetail(error.apiMessage ?? (typeof body?.['message'] === 'string' ? body['message'] : stripStatus(error.message, error.status)));
  const { status } = error;
  // An in-stream error event has no status; its type says which one it stands for.
  const effectiveStatus = status ?? (type ? STATUS_OF_TYPE[type] : undefined);
  const failure: StatusFailure = {
    errorClass: classifyStatus(effectiveStatus, [detail, type].filter(Boolean).join(' ')),
    status,
    code: status === undefined ? `in-stream ${type ?? 'error'}` : String(status),
    detail,
    retryAfterMs: parseRetryAfter(error.headers),
  };
  return statusFailure(ctx, { ...failure, ...anthropicWording(ctx, failure, type, effectiveStatus) }, error);
}

/** Where Anthropic's wording adds to the shared one: which model a 403 is about, overload, billing. */
function anthropicWording(
  { provider, model }: ErrorContext,
  { errorClass, status, code, detail }: StatusFailure,
  type: string | undefined,
  effectiveStatus: number | undefined,
): Partial<StatusFailure> {
  if (errorClass === 'auth' && status === 403) return { hint: `run \`kt login ${provider}\` to set a valid key that may use ${model}` };
  if (errorClass === 'server' && (type === 'overloaded_error' || status === 529)) {
    return { message: withDetail(`${provider} is overloaded (${code})`, detail) };
  }
  if (errorClass === 'user') return { hint: userHint(effectiveStatus, provider) };
  return {};
}

function userHint(status: number | undefined, provider: string): string | undefined {
  if (status === 402) return `check the billing or plan of the ${provider} account`;
  if (status === 404) return 'check the model name and the base URL';
  return undefined;
}
