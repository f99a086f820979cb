/**
 * A team's members replay side by side, each playing its own recorded turns;
 * `TeamOrder` keeps them in the recorded order relative to each other. It
 * counts every member's progress events as they happen, and a member's turn
 * waits until every other member has got as far as the recording says it
 * had when that turn started (a file written first, a member added first).
 *
 * When the replay went another way a count may never be reached: once no
 * member is running anything, the waiting turn that came first in the
 * recording goes ahead, so a changed team ends with a divergence, not a hang.
 */
import type { Agent } from '../creature/agent.js';
import type { AgentEvent } from '../events.js';
import { isProgress } from './recording.js';

interface Waiter {
  needs: Record<string, number>;
  /** Position of the turn in the recording (the earliest goes first on a stall). */
  at: number;
  resolve: () => void;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TeamOrder {
  private readonly counts = new Map<string, number>();
  private readonly agents = new Set<Agent>();
  private waiters: Waiter[] = [];
  private looking = false;

  /** Follow a member (call before it starts, so its first events count). */
  follow(name: string, agent: Agent): () => void {
    this.agents.add(agent);
    const off = agent.on((event: AgentEvent) => {
      if (isProgress(event)) {
        this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
        this.release();
      }
      if (event.type === 'turn.end' || event.type === 'job.end') this.lookForStall();
    });
    return () => {
      off();
      this.agents.delete(agent);
    };
  }

  /** Resolves once every member named in `needs` has logged at least that many progress events. */
  async until(needs: Record<string, number> | undefined, at: number): Promise<void> {
    if (!needs || this.met(needs)) return;
    await new Promise<void>((resolve) => {
      this.waiters.push({ needs, at, resolve });
      this.lookForStall();
    });
  }

  private met(needs: Record<string, number>): boolean {
    return Object.entries(needs).every(([name, count]) => (this.counts.get(name) ?? 0) >= count);
  }

  private release(): void {
    const ready = this.waiters.filter((w) => this.met(w.needs));
    if (!ready.length) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }

  /** After the current burst of work settles: if nothing runs and turns still wait, let the earliest one go. */
  private lookForStall(): void {
    if (this.looking) return;
    this.looking = true;
    void (async () => {
      // A finished turn's driver asks for its next turn a few promise steps later; a job's end starts a turn likewise.
      for (let i = 0; i < 3; i++) await tick();
      this.looking = false;
      if (!this.waiters.length || this.busy()) return;
      const first = this.waiters.reduce((a, b) => (b.at < a.at ? b : a));
      this.waiters = this.waiters.filter((w) => w !== first);
      first.resolve();
    })();
  }

  private busy(): boolean {
    return [...this.agents].some((agent) => agent.state === 'running' || agent.jobs.list().some((j) => j.status === 'running'));
  }
}
