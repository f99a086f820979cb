/**
 * What `agent.runStream()` returns: the turn's events as an async iterable,
 * plus `.result`. Leaving the loop early (break, return, throw) cancels the
 * turn — a consumer that stops listening should not leave work running.
 */
import type { AgentEvent } from '../events.js';
import type { EventStream } from './bus.js';
import type { TurnResult } from './turn-result.js';

export class TurnStream implements AsyncIterable<AgentEvent> {
  private finished = false;

  constructor(
    private readonly events: EventStream,
    /** Resolves when the turn ends, however it ends. */
    readonly result: Promise<TurnResult>,
    private readonly cancelTurn: (reason?: string) => void,
  ) {
    void result.then(() => {
      this.finished = true;
    });
  }

  /** Cancel the turn; the stream then ends after its `turn.end` event. */
  cancel(reason?: string): void {
    if (!this.finished) this.cancelTurn(reason);
  }

  /** Only the assistant's text, as it streams. */
  async *text(): AsyncGenerator<string, void, undefined> {
    for await (const event of this) if (event.type === 'text.delta') yield event.text;
  }

  [Symbol.asyncIterator](): AsyncIterator<AgentEvent> {
    const events = this.events;
    return {
      next: () => events.next(),
      return: async () => {
        this.cancel('stream consumer stopped');
        await events.return();
        return { value: undefined, done: true };
      },
    };
  }
}
