/**
 * One retry layer for LLM requests. SDK-level retries are switched off in
 * every adapter so retries never multiply; this policy decides by error
 * class, backs off exponentially with jitter and honours `retry-after`.
 */
import { ProviderError, type ProviderErrorClass } from '../errors.js';

/** The backoff wait; it lives in engine/util, re-exported for the modules that import it from here. */
export { sleep } from '../util/abort.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** ± fraction applied to the computed delay (0.25 = ±25 %). */
  jitter: number;
  retryOn: readonly ProviderErrorClass[];
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 0.25,
  retryOn: Object.freeze(['rate_limit', 'server', 'transient'] as ProviderErrorClass[]),
});

/** Longest server-advised wait we accept before giving up instead. */
const MAX_RETRY_AFTER_MS = 120_000;

export function shouldRetry(policy: RetryPolicy, error: unknown, retriesSoFar: number): error is ProviderError {
  if (!(error instanceof ProviderError)) return false;
  if (retriesSoFar >= policy.maxRetries) return false;
  if (!policy.retryOn.includes(error.errorClass)) return false;
  if (error.retryAfterMs !== undefined && error.retryAfterMs > MAX_RETRY_AFTER_MS) return false;
  return error.retryable || error.errorClass === 'transient';
}

/** Delay before retry number `retry` (1-based). */
export function retryDelayMs(policy: RetryPolicy, retry: number, error: ProviderError, random = Math.random): number {
  if (error.retryAfterMs !== undefined) return Math.max(0, error.retryAfterMs);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const spread = exponential * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(exponential + spread));
}

/** Parse `retry-after-ms` / `retry-after` (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const OVERFLOW_MARKERS = [
  'context_length_exceeded',
  'context length',
  'maximum context',
  'too many tokens',
  'prompt is too long',
  'input is too long',
  'exceeds the context window',
];

/** Map an HTTP status (and the error text) to an error class. */
export function classifyStatus(status: number | undefined, message = ''): ProviderErrorClass {
  const text = message.toLowerCase();
  if (status === 413 || OVERFLOW_MARKERS.some((m) => text.includes(m))) return 'overflow';
  if (status === undefined) return 'transient';
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return text.includes('insufficient_quota') ? 'user' : 'rate_limit';
  if (status === 408 || status === 409) return 'transient';
  if (status === 529 || status >= 500) return 'server';
  if (status >= 400) return 'user';
  return 'unknown';
}
