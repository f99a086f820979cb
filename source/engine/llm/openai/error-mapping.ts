/**
 * SDK and transport failures → `ProviderError`. The controller's retry layer
 * decides only by error class, so every failure the SDK (or undici under it)
 * can raise must land in the right class here, with a message a user can act
 * on. This file recognises the `openai` SDK's errors; the wording is shared
 * (`../provider-errors.ts`). Aborts are not handled here: the adapter
 * rethrows the signal's reason before asking for a mapping.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai/core/error';
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

export function toProviderError(error: unknown, ctx: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) return timedOut(ctx, error);
  // Our own signal was checked first, so this abort came from below us.
  if (error instanceof APIUserAbortError) return abortedBelow(ctx, error);
  if (error instanceof APIConnectionError) return noResponse(ctx, error);
  if (error instanceof APIError) return fromApiError(error, ctx);
  return otherFailure(error, ctx, 'an OpenAI-compatible endpoint', error instanceof OpenAIError ? 'the OpenAI SDK failed' : 'the request failed');
}

function fromApiError(error: APIError, ctx: ErrorContext): ProviderError {
  const body = isRecord(error.error) ? error.error : undefined;
  const detail = clipDetail(
    typeof body?.['message'] === 'string' ? body['message'] : stripStatus(error.message, error.status),
  );
  // Some servers put the HTTP status into `code` of an error sent inside the stream.
  const status = error.status ?? (typeof body?.['code'] === 'number' ? body['code'] : undefined);
  const classifyText = [detail, error.code, error.type].filter((s) => typeof s === 'string').join(' ');
  const failure: StatusFailure = {
    errorClass: classifyStatus(status, classifyText),
    status,
    code: status === undefined ? 'in-stream error' : String(status),
    detail,
    retryAfterMs: parseRetryAfter(error.headers),
  };
  return statusFailure(ctx, { ...failure, ...openAIWording(ctx, failure) }, error);
}

/** Where OpenAI's wording differs from the shared one: auth hints, and 429 with the quota used up. */
function openAIWording({ provider, model }: ErrorContext, { errorClass, status, code, detail }: StatusFailure): Partial<StatusFailure> {
  if (errorClass === 'auth' && status === 401) return { hint: `store a valid key with kt login ${provider}` };
  if (errorClass === 'auth') {
    return {
      message: withDetail(`${provider} refused access to ${model} (${code})`, detail),
      hint: `check that the key for ${provider} may use ${model}`,
    };
  }
  if (errorClass === 'user' && status === 429) {
    return {
      message: withDetail(`${provider} quota is used up (429)`, detail),
      hint: `check the billing or plan of the ${provider} account`,
    };
  }
  return {};
}
