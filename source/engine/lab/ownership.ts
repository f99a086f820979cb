/**
 * The host's record of who owns each creature (node and placement epoch)
 * and which tool calls it granted. One placement, one epoch, always higher
 * than any before it (a restarted host starts above the clock and above any
 * epoch a worker reports), so a worker holding an older one is outdated:
 * its events are refused, its calls are not granted, and the host's
 * heartbeat tells it to stop that creature.
 */
import type { GrantReply, GrantRequest, HostBeat, WorkerCreature } from './protocol.js';

/** Granted keys kept (oldest forgotten first): far more than the calls in flight at any time. */
const GRANTS_KEPT = 100_000;

export class Ownership {
  private readonly owners = new Map<string, { node: string; epoch: number }>();
  private readonly granted = new Map<string, number>();
  private last = 0;
  /** Grants refused because the asker's placement was outdated (tests, benches). */
  refused = 0;

  nextEpoch(now: number): number {
    this.last = Math.max(now, this.last + 1);
    return this.last;
  }

  place(creature: string, node: string, epoch: number): void {
    this.owners.set(creature, { node, epoch });
    this.last = Math.max(this.last, epoch);
  }

  forget(creature: string): void {
    this.owners.delete(creature);
  }

  ownerOf(creature: string): { node: string; epoch: number } | undefined {
    return this.owners.get(creature);
  }

  /** A worker's heartbeat: creatures the host does not know (it restarted) are adopted with their epoch. */
  adopt(node: string, creatures: readonly WorkerCreature[]): void {
    for (const c of creatures) {
      const known = this.owners.get(c.name);
      if (!known || c.epoch > known.epoch) this.place(c.name, node, c.epoch);
    }
  }

  /** True when events or calls of this epoch come from an outdated placement. */
  stale(creature: string, epoch: number): boolean {
    const owner = this.owners.get(creature);
    return owner !== undefined && epoch < owner.epoch;
  }

  grant(request: GrantRequest): GrantReply {
    const owner = this.owners.get(request.creature);
    if (!owner || request.epoch > owner.epoch) this.place(request.creature, request.node, request.epoch);
    else if (owner.node !== request.node || owner.epoch !== request.epoch) {
      this.refused++;
      return { verdict: 'fenced', reason: `'${request.creature}' now runs on ${owner.node} (epoch ${owner.epoch}); this placement (${request.node}, epoch ${request.epoch}) is outdated` };
    }
    const before = this.granted.get(request.key);
    if (before !== undefined && before !== request.epoch) {
      this.refused++;
      return { verdict: 'fenced', reason: `call ${request.key} was granted to epoch ${before} already` };
    }
    if (before === undefined) {
      this.granted.set(request.key, request.epoch);
      if (this.granted.size > GRANTS_KEPT) this.granted.delete(this.granted.keys().next().value as string);
    }
    // Granted again to the same epoch: the worker lost our reply and asks again before running it.
    return { verdict: 'run' };
  }

  beat(intervalMs: number): HostBeat {
    return { owners: Object.fromEntries(this.owners), intervalMs };
  }
}
