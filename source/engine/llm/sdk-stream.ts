/**
 * The loop every adapter runs over its SDK's stream, with the engine's
 * rules for it in one place: an abort surfaces as the signal's own reason
 * (the SDKs may end an aborted stream quietly, or throw their own error for
 * it), the request and idle timeouts end the HTTP request and surface as a
 * timeout failure, every other failure is mapped before it leaves (no raw
 * SDK or socket error escapes), and a stream left early is closed instead
 * of left open. SDK-neutral: the adapter supplies the call and the mapping.
 */
import { DEFAULT_REQUEST_TIMEOUTS, Watchdog, type RequestTimeouts } from './request-timeouts.js';

/** What one streamed SDK call needs from its adapter. */
export interface SdkStreamOptions<T> {
  /**
   * Starts the SDK call; the promise settles once the response headers are
   * in. The SDK must be handed `signal` (it follows the request's signal and
   * the timeouts), so that aborting it closes the HTTP connection rather
   * than only stopping the reading.
   */
  start: (signal: AbortSignal) => Promise<AsyncIterable<T>>;
  /** The request's signal; once it has fired, its reason is what is thrown. */
  signal: AbortSignal;
  /** Provider name, for the timeout messages. */
  provider: string;
  /** The bounds on the headers and on each gap between items; none given: the defaults. A bound of 0 is off. */
  timeouts?: Partial<RequestTimeouts> | undefined;
  /** Any other failure of the call or the stream → the error to throw (a `ProviderError`). */
  toError: (error: unknown) => unknown;
}

/** The items of one SDK stream, under the rules above. */
export async function* sdkStream<T>({ start, signal, provider, timeouts, toError }: SdkStreamOptions<T>): AsyncGenerator<T, void, undefined> {
  signal.throwIfAborted();
  // A signal of our own per request: timeouts and early exits abort it without
  // touching the caller's, and the SDKs' listeners on it die with the request.
  const local = new AbortController();
  const forward = () => local.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  const watchdog = new Watchdog(provider, timeouts ?? DEFAULT_REQUEST_TIMEOUTS, (failure) => local.abort(failure));
  const failure = (error: unknown) => (signal.aborted ? signal.reason : (watchdog.expired ?? toError(error)));
  let iterator: AsyncIterator<T> | undefined;
  let drained = false;
  try {
    try {
      iterator = (await watchdog.guard('request', start(local.signal)))[Symbol.asyncIterator]();
    } catch (error) {
      throw failure(error);
    }
    for (;;) {
      let next: IteratorResult<T>;
      try {
        next = await watchdog.guard('stream_idle', iterator.next());
      } catch (error) {
        throw failure(error);
      }
      // An SDK may end an aborted stream quietly; the abort must still surface.
      if (signal.aborted) throw signal.reason;
      if (watchdog.expired) throw watchdog.expired;
      if (next.done) break;
      yield next.value;
    }
    drained = true;
  } finally {
    signal.removeEventListener('abort', forward);
    if (!drained) {
      // Aborting our signal is what closes the HTTP request; closing the SDK stream alone may not.
      local.abort();
      await closeQuietly(iterator);
    }
  }
}

/** Close the SDK stream; a failure while closing must not replace the error already on its way. */
async function closeQuietly(iterator: AsyncIterator<unknown> | undefined): Promise<void> {
  try {
    await iterator?.return?.();
  } catch {
    // The request is being torn down anyway.
  }
}
