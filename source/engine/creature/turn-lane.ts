/**
 * The one lane turns run in. A creature runs one turn at a time; input that
 * arrives meanwhile waits in order (and is announced as `input.queued`).
 * The lane owns the queue and the running job, so the Agent stays a facade.
 */
import { AbortReason } from '../errors.js';
import type { EventDraft } from '../events.js';
import type { Controller } from './controller.js';
import type { Conversation } from './conversation.js';
import type { ActiveTurn } from './emitter.js';
import { notStartedResult, type TurnJob } from './turn-job.js';
import type { TurnTree } from './turn-tree.js';

export interface TurnLaneParts {
  controller: Controller;
  conversation: Conversation;
  tree: TurnTree;
  sessionId: string;
  emit(draft: EventDraft, turnId: string | null): void;
  /** Runs after each turn ends (deliver what waited for the lane to be free). */
  afterTurn?(): void;
  /** Kept pointing at the running turn, so events emitted outside the loop (jobs, plugins) land in it. */
  turn?: ActiveTurn;
}

export class TurnLane {
  private readonly queue: TurnJob[] = [];
  private active: TurnJob | undefined;
  private pumping: Promise<void> | undefined;

  constructor(private readonly parts: TurnLaneParts) {}

  /** A turn is running or waiting. */
  get busy(): boolean {
    return Boolean(this.active || this.queue.length);
  }

  get running(): boolean {
    return Boolean(this.active);
  }

  /** The turn id of the running turn. */
  get activeTurnId(): string | undefined {
    return this.active?.turnId;
  }

  /** The lane has work in flight (a turn running or the loop winding down). */
  get draining(): boolean {
    return Boolean(this.active || this.pumping);
  }

  push(job: TurnJob): void {
    this.queue.push(job);
    if (this.active) this.parts.emit({ type: 'input.queued', input: job.input, position: this.queue.length }, job.turnId);
    this.kick();
  }

  /** Interrupt the running turn (status `interrupted`); queued input still runs. */
  interrupt(): boolean {
    if (!this.active || this.active.abort.signal.aborted) return false;
    this.active.abort.abort(new AbortReason('interrupted'));
    return true;
  }

  /** Cancel everything and wait until the running turn has ended. */
  async cancelAll(detail: string): Promise<void> {
    for (const job of this.queue) job.abort.abort(new AbortReason('cancelled', detail));
    this.active?.abort.abort(new AbortReason('cancelled', detail));
    await this.pumping;
  }

  private kick(): void {
    if (this.pumping) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      // A job may have been queued after the loop saw an empty queue but before this ran.
      if (this.queue.length) this.kick();
    });
  }

  private async pump(): Promise<void> {
    const { controller, conversation, tree, sessionId } = this.parts;
    // Let the caller attach to the stream before the first event.
    await Promise.resolve();
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      if (job.abort.signal.aborted) {
        tree.release();
        job.resolve(notStartedResult(job, sessionId));
        continue;
      }
      this.active = job;
      if (this.parts.turn) this.parts.turn.id = job.turnId;
      const parentBranch = tree.begin(job, conversation.length, job.input);
      try {
        const result = await controller.runTurn({
          turnId: job.turnId,
          turnIndex: job.turnIndex,
          branch: job.branch,
          ...(parentBranch !== undefined ? { parentBranch } : {}),
          sessionId,
          input: job.input,
          source: job.source,
          ...(job.origin ? { origin: job.origin } : {}),
          signal: job.abort.signal,
          emit: (draft) => this.parts.emit(draft, job.turnId),
        });
        job.resolve(result);
      } finally {
        this.active = undefined;
        if (this.parts.turn) this.parts.turn.id = null;
      }
      if (!this.queue.length) this.parts.afterTurn?.();
    }
  }
}
