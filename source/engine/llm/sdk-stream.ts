/**
 * The loop every adapter runs over its SDK's stream, with the engine's
 * rules for it in one place: an abort surfaces as the signal's own reason
 * (the SDKs may end an aborted stream quietly, or throw their own error for
 * it), every other failure is mapped before it leaves (no raw SDK or socket
 * error escapes), and a stream left early is closed instead of left open.
 * SDK-neutral: the adapter supplies the call and the mapping.
 */

/** What one streamed SDK call needs from its adapter. */
export interface SdkStreamOptions<T> {
  /**
   * Starts the SDK call. It must hand the SDK an AbortSignal that follows
   * the request's signal, so that an abort closes the HTTP connection rather
   * than only stopping the reading.
   */
  start: () => Promise<AsyncIterable<T>>;
  /** The request's signal; once it has fired, its reason is what is thrown. */
  signal: AbortSignal;
  /** Any other failure of the call or the stream → the error to throw (a `ProviderError`). */
  toError: (error: unknown) => unknown;
  /** Runs when the stream is left before its end (consumer break, error), before the SDK stream is closed. */
  onEarlyExit?: () => void;
}

/** The items of one SDK stream, under the rules above. */
export async function* sdkStream<T>({ start, signal, toError, onEarlyExit }: SdkStreamOptions<T>): AsyncGenerator<T, void, undefined> {
  const failure = (error: unknown) => (signal.aborted ? signal.reason : toError(error));
  let iterator: AsyncIterator<T> | undefined;
  let drained = false;
  try {
    try {
      iterator = (await start())[Symbol.asyncIterator]();
    } catch (error) {
      throw failure(error);
    }
    for (;;) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw failure(error);
      }
      // An SDK may end an aborted stream quietly; the abort must still surface.
      if (signal.aborted) throw signal.reason;
      if (next.done) break;
      yield next.value;
    }
    drained = true;
  } finally {
    if (!drained) {
      onEarlyExit?.();
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
