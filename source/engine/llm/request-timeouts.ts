/**
 * kt's own bounds on one model request, so that no server can stall a run:
 * the wait for the response headers (connect included), and the wait for
 * each next stream item once the answer has started. SDK timeouts cannot
 * do this: they bound the headers only, or the whole stream. A timer that
 * fires aborts the request (the HTTP connection closes) and the request
 * fails with a retryable `ProviderError` that names the timeout.
 */
import { ProviderError } from '../errors.js';

export interface RequestTimeouts {
  /** Connect and response headers, in milliseconds (`controller.request_timeout`). */
  requestMs: number;
  /** Longest gap between two stream items once the response has started (`controller.stream_idle_timeout`). */
  idleMs: number;
}

/** Generous for slow local servers and long reasoning pauses, yet no hang lasts longer. */
export const DEFAULT_REQUEST_TIMEOUTS: Readonly<RequestTimeouts> = Object.freeze({ requestMs: 60_000, idleMs: 120_000 });

/** setTimeout's largest delay; Node fires anything larger after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export type TimeoutKind = 'request' | 'stream_idle';

/** The config key behind each timeout, for messages that tell the user what to raise. */
const KEYS: Record<TimeoutKind, string> = { request: 'controller.request_timeout', stream_idle: 'controller.stream_idle_timeout' };

/** `0.2 s`, `60 s`: the unit the config keys take. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The failure of a request whose timer ran out: transient (the usual retry policy applies), code `PROVIDER_TIMEOUT`. */
export function timeoutFailure(provider: string, kind: TimeoutKind, ms: number): ProviderError {
  const message =
    kind === 'request'
      ? `${provider} sent no response within ${seconds(ms)} (request timeout)`
      : `the stream from ${provider} stalled: nothing arrived for ${seconds(ms)} (stream idle timeout)`;
  return new ProviderError(message, {
    provider,
    errorClass: 'transient',
    code: 'PROVIDER_TIMEOUT',
    hint: `raise ${KEYS[kind]} (seconds) in the creature config if the server is just slow`,
  });
}

/**
 * The timers of one request. `guard` races a step of the request (start,
 * next item) against its timer; when the timer wins, `onExpire` aborts the
 * request and the step rejects with the timeout failure, even if the SDK
 * were slow to notice the abort.
 */
export class Watchdog {
  /** Set once a timer has fired. */
  expired: ProviderError | undefined;

  constructor(
    private readonly provider: string,
    private readonly limits: Partial<RequestTimeouts>,
    private readonly onExpire: (failure: ProviderError) => void,
  ) {}

  async guard<T>(kind: TimeoutKind, step: Promise<T>): Promise<T> {
    const ms = kind === 'request' ? this.limits.requestMs : this.limits.idleMs;
    // 0, Infinity or none: this bound is off.
    if (ms === undefined || !(ms > 0) || ms === Infinity) return step;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const failure = timeoutFailure(this.provider, kind, ms);
        this.expired = failure;
        this.onExpire(failure);
        reject(failure);
      }, Math.min(ms, MAX_TIMER_MS));
    });
    try {
      return await Promise.race([step, expiry]);
    } finally {
      clearTimeout(timer);
    }
  }
}
