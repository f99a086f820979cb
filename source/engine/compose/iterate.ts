/**
 * `a.iterate(input)`: run the composition again and again, each output the
 * next input, yielding every output. It runs only when asked for the next
 * value, so breaking out of the `for await` stops it with nothing in flight;
 * a failed round ends the loop by throwing its `CompositionError`.
 */
import { addUsage, emptyUsage, type Usage } from '../llm/messages.js';
import type { ComposeResult, ComposeRunOptions } from './types.js';

export class PipelineIterator<I, O> implements AsyncIterableIterator<O> {
  /** Tokens used by every round so far. */
  readonly usage: Usage = emptyUsage();
  /** Rounds run so far. */
  rounds = 0;
  private stopped = false;
  // Held as unknown for the same reason.
  private override: { value: unknown } | undefined;
  private input: unknown;

  constructor(
    // Method syntax, so the input type is compared bivariantly: a Composable<UserContent, …> stays usable where a Composable<string, …> is wanted.
    private readonly source: { run(input: I, options: ComposeRunOptions): Promise<ComposeResult<O>> },
    input: I,
    private readonly options: ComposeRunOptions,
  ) {
    this.input = input;
  }

  /** Use `value` as the next round's input instead of the last output (a human edit, a hint). */
  feed(value: I): void {
    this.override = { value };
  }

  async next(): Promise<IteratorResult<O, undefined>> {
    if (this.stopped) return { done: true, value: undefined };
    const input = this.override ? this.override.value : this.input;
    this.override = undefined;
    let result: ComposeResult<O>;
    try {
      result = await this.source.run(input as I, this.options);
    } catch (error) {
      this.stopped = true;
      throw error;
    }
    this.rounds++;
    addUsage(this.usage, result.usage);
    // The caller promised O is a valid input (agents: text in, text out).
    this.input = result.output;
    return { done: false, value: result.output };
  }

  async return(): Promise<IteratorResult<O, undefined>> {
    this.stopped = true;
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
