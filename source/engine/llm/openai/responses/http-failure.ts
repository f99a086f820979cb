/**
 * HTTP failures of the Responses endpoints. The chat-completions adapter's
 * mapping does the classing; this adds what differs here: a rejected token
 * means "log in again", and ChatGPT plans have usage limits that no retry
 * within a turn will outlast.
 */
import { APIError } from 'openai/core/error';
import { ProviderError } from '../../../errors.js';
import { isRecord } from '../../../util/records.js';

/** What the refinement needs to know about the provider. */
export interface HttpFailureContext {
  provider: string;
  /** Whether an OAuth login (rather than an API key) supplied the token. */
  oauth: boolean;
}

const USAGE_LIMIT_TYPES = new Set(['usage_limit_reached', 'usage_not_included']);

/** `mapped` as this API should present it; `raw` is the SDK error it came from. */
export function refineHttpFailure(mapped: ProviderError, raw: unknown, ctx: HttpFailureContext): ProviderError {
  const { provider } = ctx;
  if (mapped.status === 401) {
    // The shared mapping already says "the key for ... was rejected (401)"; a sign-in is not a key.
    if (!ctx.oauth) return mapped;
    const detail = mapped.message.slice(mapped.message.indexOf('(401)') + '(401)'.length);
    return new ProviderError(`the sign-in for ${provider} was rejected (401)${detail}`, {
      provider,
      errorClass: 'auth',
      status: 401,
      cause: raw,
      hint: `run \`kt login ${provider}\` to sign in again`,
    });
  }
  const body = raw instanceof APIError && isRecord(raw.error) ? raw.error : undefined;
  const type = typeof body?.['type'] === 'string' ? body['type'] : typeof body?.['code'] === 'string' ? body['code'] : '';
  if (mapped.status === 429 && USAGE_LIMIT_TYPES.has(type)) {
    const resets = typeof body?.['resets_in_seconds'] === 'number' ? body['resets_in_seconds'] : undefined;
    const message = typeof body?.['message'] === 'string' ? `: ${body['message']}` : '';
    return new ProviderError(`the usage limit of the ${provider} plan is reached (429)${message}`, {
      provider,
      // Limits reset after hours, far past any retry backoff: fail the turn now.
      errorClass: 'user',
      status: 429,
      cause: raw,
      hint: resets === undefined ? 'wait for the plan limit to reset' : `the limit resets in about ${formatWait(resets)}`,
    });
  }
  return mapped;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
