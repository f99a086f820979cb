/**
 * Questions a creature puts to whoever answers for it, as events.
 *
 * A request is an `interaction.request` event; any surface (the terminal
 * app, the plain REPL, a WebSocket client, a plugin, a test) answers with
 * `respond(id, reply)`, which logs `interaction.reply` and wakes the asker.
 * Nothing here knows who answers: surfaces say they are present with
 * `attach()`, and with nobody attached a request fails at once instead of
 * waiting forever (a pipe, CI).
 *
 * A surface that fails while handling a request reports it with `fail()`:
 * the asker gets an error, never a made-up "deny".
 */
import { InteractionFailedError, NoAnswerError } from '../errors.js';

export { InteractionFailedError, NoAnswerError } from '../errors.js';
import type { EventDraft, InteractionKind } from '../events.js';

export interface InteractionRequest {
  id: string;
  kind: InteractionKind;
  payload: Record<string, unknown>;
}

interface Pending extends InteractionRequest {
  resolve(reply: unknown): void;
  reject(error: Error): void;
  /** Aborted when the request closes in any way, so a surface can take its question down. */
  closed: AbortController;
}

export class Interactions {
  private readonly pending = new Map<string, Pending>();
  private attached = 0;
  private counter = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly emit: (draft: EventDraft) => void,
    private readonly prefix = 'ix',
  ) {}

  /** True while at least one surface can answer. */
  get available(): boolean {
    return this.attached > 0;
  }

  /** Resolves once a surface is attached (at once when one is). */
  whenAvailable(): Promise<void> {
    if (this.available) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A surface that answers requests is present until the returned function is called. */
  attach(): () => void {
    this.attached++;
    for (const resolve of this.waiting.splice(0)) resolve();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.attached--;
    };
  }

  /** Requests still waiting for an answer, oldest first. */
  get open(): InteractionRequest[] {
    return [...this.pending.values()].map(({ id, kind, payload }) => ({ id, kind, payload }));
  }

  /**
   * Ask and wait. Rejects with `NoAnswerError` when nobody is attached, with
   * the signal's reason when it fires first (the request is logged as
   * cancelled), and with `InteractionFailedError` when the surface failed.
   */
  request(kind: InteractionKind, payload: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    if (!this.available) return Promise.reject(new NoAnswerError(kind));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = `${this.prefix}_${++this.counter}`;
    return new Promise((resolve, reject) => {
      const closed = new AbortController();
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        closed.abort();
        this.emit({ type: 'interaction.reply', id, reply: null, outcome: 'cancelled' });
        reject(signal?.reason);
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        id,
        kind,
        payload,
        closed,
        resolve: (reply) => {
          done();
          resolve(reply);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.emit({ type: 'interaction.request', id, kind, payload });
    });
  }

  /** A signal that fires when request `id` closes (answered, cancelled, failed); already fired when it is not open. */
  closedSignal(id: string): AbortSignal {
    return this.pending.get(id)?.closed.signal ?? AbortSignal.abort();
  }

  /** Answer a request. False when it is not open (answered already, cancelled, unknown). */
  respond(id: string, reply: unknown): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    entry.closed.abort();
    this.emit({ type: 'interaction.reply', id, reply, outcome: 'answered' });
    entry.resolve(reply);
    return true;
  }

  /** The surface could not handle a request: the asker gets an error. */
  fail(id: string, error: unknown): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    entry.closed.abort();
    const message = error instanceof Error ? error.message : String(error);
    this.emit({ type: 'interaction.reply', id, reply: null, outcome: 'failed', error: message });
    entry.reject(new InteractionFailedError(`the surface answering ${entry.kind} request ${id} failed: ${message}`));
    return true;
  }
}
