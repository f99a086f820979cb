/**
 * A worker's side of the event log: every event of every creature it runs
 * is published, in order, to its graph's subject on the lab's JetStream
 * stream, with a message id (creature instance, agent path, seq) the stream
 * de-duplicates on. A publish that fails (no host yet, a partition) is
 * retried, still in order, until it is stored: the host then has every event.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { AgentEvent } from '../events.js';
import type { TerrariumCreature } from '../terrarium/member.js';
import { encode, jetStreamClient } from './connect.js';
import type { LabSubjects } from './subjects.js';

/** An event as it travels to the host. */
export interface CarriedEvent {
  graph: string;
  node: string;
  creature: string;
  /** The placement epoch it ran under: the host refuses an outdated placement's events. */
  epoch?: number;
  event: AgentEvent;
}

export function eventKey(event: Pick<AgentEvent, 'creatureId' | 'agentPath' | 'seq'>): string {
  return `${event.creatureId}|${event.agentPath.join('/')}|${event.seq}`;
}

export class EventTee {
  private readonly queue: Array<{ subject: string; data: Uint8Array; id: string }> = [];
  private pumping: Promise<void> | undefined;
  private js: Promise<import('@nats-io/jetstream').JetStreamClient> | undefined;
  private readonly detach: Array<() => void> = [];
  private readonly settledWaiters = new Set<() => void>();
  /** Events the stream confirmed it stored. */
  stored = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: LabSubjects,
    private readonly node: string,
  ) {}

  follow(member: TerrariumCreature, graph: string, epoch = 0): void {
    this.detach.push(
      member.agent.on((event) => {
        const carried: CarriedEvent = { graph, node: this.node, creature: member.name, epoch, event };
        // The epoch is in the stream's message id: a moved creature continues the seq numbers, and its
        // events must not be taken for duplicates of those its old worker published after the move.
        this.queue.push({ subject: this.subjects.events(graph), data: encode(carried), id: `${eventKey(event)}@${epoch}` });
        this.pumping ??= this.pump();
      }),
    );
  }

  private async pump(): Promise<void> {
    this.js ??= jetStreamClient().then((m) => m.jetstream(this.nc));
    const js = await this.js;
    let wait = 50;
    while (this.queue.length && !this.nc.isClosed()) {
      const next = this.queue[0]!;
      try {
        await js.publish(next.subject, next.data, { msgID: next.id, timeout: 2000 });
        this.queue.shift();
        this.stored++;
        wait = 50;
      } catch {
        // Kept at the head of the queue: order is what the host's de-duplication relies on.
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 2000);
      }
    }
    this.pumping = undefined;
    if (!this.queue.length) for (const wake of [...this.settledWaiters]) wake();
  }

  /**
   * Resolves when every event queued so far is in the stream (or `signal`
   * aborts). A tool call waits for this before it asks to run: the host's
   * log then holds the call before it can have had any effect.
   */
  settled(signal?: AbortSignal): Promise<void> {
    if (!this.queue.length || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.settledWaiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.settledWaiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Events not yet stored. */
  get pending(): number {
    return this.queue.length;
  }

  /** Wait until every queued event is stored (or the connection closed). */
  async drain(): Promise<void> {
    for (const d of this.detach) d();
    while (this.pumping) await this.pumping;
  }
}
