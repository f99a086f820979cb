/**
 * A worker's hold on its creatures. Each placement comes with an epoch; the
 * host's heartbeat renews the worker's lease and names the owner (node and
 * epoch) of every creature it knows. A creature whose owner is now another
 * node, or a newer epoch, is fenced: stopped here, since it runs elsewhere.
 *
 * Every tool call asks the host first (`grant`, with its idempotency key
 * and the epoch). While the host cannot be reached (a partition, a host
 * restart) the call waits there: the creature pauses at that tool boundary
 * and goes on when the host answers, or stops when the answer is "fenced".
 * A call therefore never runs without the host knowing, and never twice.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { PluginBlockError } from '../errors.js';
import type { PluginDefinition } from '../plugins/define.js';
import { decode, encode } from './connect.js';
import { callKey } from './idempotency.js';
import type { GrantReply, GrantRequest, HostBeat } from './protocol.js';
import type { LabSubjects } from './subjects.js';

export type LeaseNews = { kind: 'paused' | 'resumed' | 'fenced' | 'renewed'; creature?: string; reason?: string };

export class CreatureLeases {
  private readonly epochs = new Map<string, number>();
  private readonly fenced = new Map<string, string>();
  private readonly paused = new Set<string>();
  private readonly wakers = new Set<() => void>();
  private readonly listeners = new Set<(news: LeaseNews) => void>();
  /** When the host was last heard (its heartbeat), by this worker's clock. */
  lastRenewed: number | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: LabSubjects,
    private readonly node: string,
    private readonly onFenced: (creature: string, reason: string) => void,
    private readonly grantTimeoutMs = 5000,
    private readonly now: () => number = Date.now,
    /** Resolves when the creature's events so far are in the stream (the call is logged before it may run). */
    private readonly logged: (signal?: AbortSignal) => Promise<void> = async () => undefined,
  ) {}

  hold(creature: string, epoch: number): void {
    this.epochs.set(creature, epoch);
    this.fenced.delete(creature);
  }

  drop(creature: string): void {
    this.epochs.delete(creature);
  }

  epochOf(creature: string): number {
    return this.epochs.get(creature) ?? 0;
  }

  isPaused(creature: string): boolean {
    return this.paused.has(creature);
  }

  /** Hear pauses, resumptions, fencing and renewals (tests wait on these). */
  on(listener: (news: LeaseNews) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(news: LeaseNews): void {
    for (const listener of this.listeners) listener(news);
  }

  /** The host's heartbeat: the lease is renewed, and creatures the host placed elsewhere since are fenced (reconcile). */
  heard(beat: HostBeat): void {
    this.lastRenewed = this.now();
    for (const [creature, epoch] of [...this.epochs]) {
      const owner = beat.owners[creature];
      if (!owner) continue; // A host that does not know it (restarted) adopts it from our heartbeat.
      if (owner.node !== this.node) this.fence(creature, `the host placed '${creature}' on ${owner.node} (epoch ${owner.epoch})`);
      else if (owner.epoch > epoch) this.fence(creature, `the host placed '${creature}' again (epoch ${owner.epoch} > ${epoch})`);
    }
    this.tell({ kind: 'renewed' });
    this.wake();
  }

  fence(creature: string, reason: string): void {
    if (!this.epochs.has(creature)) return;
    this.epochs.delete(creature);
    this.fenced.set(creature, reason);
    this.tell({ kind: 'fenced', creature, reason });
    this.wake();
    this.onFenced(creature, reason);
  }

  private wake(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Resolves on the next host heartbeat, a backoff timer, or the turn's abort, whichever comes first. */
  private pause(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakers.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private markPaused(creature: string): void {
    if (this.paused.has(creature)) return;
    this.paused.add(creature);
    this.tell({ kind: 'paused', creature });
  }

  /** At a tool boundary: returns when the host granted the call; throws (the call does not run) when fenced. */
  async beforeTool(creature: string, key: string, signal?: AbortSignal): Promise<void> {
    let wait = 100;
    try {
      // Its events so far (the call's own `tool.call` among them) reach the stream first; while they cannot, it pauses here.
      let logged = false;
      const sent = this.logged(signal).then(() => (logged = true));
      await Promise.resolve();
      if (!logged) this.markPaused(creature);
      await sent;
      if (signal?.aborted) throw new PluginBlockError('Not run: the turn was stopped while waiting for the lab host.', { plugin: 'lab-lease' });
      for (;;) {
        const fenced = this.fenced.get(creature);
        if (fenced !== undefined || !this.epochs.has(creature)) throw new PluginBlockError(`Not run: this creature no longer runs on ${this.node} (${fenced ?? 'not placed here'}).`, { plugin: 'lab-lease' });
        if (signal?.aborted) throw new PluginBlockError('Not run: the turn was stopped while waiting for the lab host.', { plugin: 'lab-lease' });
        const request: GrantRequest = { node: this.node, creature, epoch: this.epochOf(creature), key };
        let reply: GrantReply | undefined;
        try {
          reply = decode<GrantReply>((await this.nc.request(this.subjects.grant, encode(request), { timeout: this.grantTimeoutMs })).data);
        } catch {
          // No host (a partition, a restart): pause here until it answers.
          this.markPaused(creature);
          await this.pause(wait, signal);
          wait = Math.min(wait * 2, 2000);
          continue;
        }
        if (reply.verdict === 'run') return;
        this.fence(creature, reply.reason);
      }
    } finally {
      if (this.paused.delete(creature)) this.tell({ kind: 'resumed', creature });
    }
  }

  /** The plugin a creature on this worker runs: every tool call asks the host first. */
  plugin(creature: string): PluginDefinition {
    return {
      name: 'lab-lease',
      description: 'lab: each tool call is granted by the host once (idempotency), and waits while the host is away',
      // After every other pre hook (an approval included): the grant is the last word before the call runs.
      priority: 1000,
      setup: () => ({
        preToolExecute: async (args, info) => {
          await this.beforeTool(creature, callKey(creature, info.agentPath, info.turnId, info.callId), info.signal);
          return args;
        },
      }),
    };
  }
}
