/**
 * What `runStream()` returns: the run's events as an async iterable, and
 * `.result`. Leaving the loop early cancels the run, as with an agent's
 * `runStream`. Events are buffered until read (a run emits a bounded number:
 * its creatures' turns), and a failed run makes the loop throw its
 * `CompositionError` after the last event.
 */
import type { ComposeEvent, ComposeResult } from './types.js';

export class ComposeStream<O> implements AsyncIterable<ComposeEvent> {
  readonly result: Promise<ComposeResult<O>>;
  private readonly buffer: ComposeEvent[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;

  constructor(
    start: (emit: (event: ComposeEvent) => void) => Promise<ComposeResult<O>>,
    private readonly cancelRun: (reason: string) => void,
  ) {
    this.result = start((event) => {
      this.buffer.push(event);
      this.notify();
    });
    this.result.then(
      () => this.finish(),
      (error: unknown) => {
        this.failure = { error };
        this.finish();
      },
    );
  }

  /** Cancel the run; the stream ends once every running step has stopped. */
  cancel(reason = 'stream consumer stopped'): void {
    if (!this.ended) this.cancelRun(reason);
  }

  private finish(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ComposeEvent, void, undefined> {
    let finished = false;
    try {
      for (;;) {
        const event = this.buffer.shift();
        if (event) {
          yield event;
          continue;
        }
        if (this.ended) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      finished = true;
      if (this.failure) throw this.failure.error;
    } finally {
      if (!finished) {
        this.cancel();
        await this.result.catch(() => undefined);
      }
    }
  }
}
