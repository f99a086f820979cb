/**
 * The host's registry of workers, kept from their heartbeats: who is alive,
 * who left, who went silent (late by more than half an interval, by the
 * host's clock), and what placement may choose from.
 */
import type { Heartbeat } from './protocol.js';

export interface WorkerView {
  node: string;
  capacity: number;
  labels: Record<string, string>;
  load: number;
  creatures: string[];
  status: 'alive' | 'failed' | 'left';
  lastSeen: number;
}

interface Known {
  beat: Heartbeat;
  lastSeen: number;
  status: WorkerView['status'];
}

/** What a heartbeat changed: nothing, a worker new (or restarted), or the same process back from a partition. */
export interface Heard {
  change: 'same' | 'joined' | 'rejoined';
  /** It had been failed (the host beats at once, so it learns what it still owns: reconcile on heal). */
  wasFailed: boolean;
}

export class WorkerRegistry {
  private readonly workers = new Map<string, Known>();

  heard(beat: Heartbeat, now: number): Heard {
    const known = this.workers.get(beat.node);
    this.workers.set(beat.node, { beat, lastSeen: now, status: 'alive' });
    const wasFailed = known?.status === 'failed';
    if (known && known.status === 'alive' && known.beat.startedAt === beat.startedAt) return { change: 'same', wasFailed };
    return { change: wasFailed && known.beat.startedAt === beat.startedAt ? 'rejoined' : 'joined', wasFailed };
  }

  left(node: string): void {
    const known = this.workers.get(node);
    if (known) known.status = 'left';
  }

  /**
   * This process was busy (heartbeats may be waiting unread in the socket):
   * nobody is judged late on this round, each counted as heard an interval ago at worst.
   */
  excuse(now: number): void {
    for (const w of this.workers.values()) w.lastSeen = Math.max(w.lastSeen, now - w.beat.intervalMs);
  }

  /** Alive workers whose heartbeat is late by more than half an interval, marked failed now. */
  failLate(now: number): string[] {
    const failed: string[] = [];
    for (const [node, w] of this.workers) {
      if (w.status !== 'alive' || now - w.lastSeen <= w.beat.intervalMs * 1.5) continue;
      w.status = 'failed';
      failed.push(node);
    }
    return failed;
  }

  /** What placement chooses from; `placed` counts the creatures the host put on each node (not failed). */
  candidates(placed: Map<string, number>) {
    return [...this.workers.values()].map((w) => ({
      node: w.beat.node,
      capacity: w.beat.capacity,
      labels: w.beat.labels,
      load: Math.max(placed.get(w.beat.node) ?? 0, w.beat.creatures.length),
      alive: w.status === 'alive',
    }));
  }

  /** Each worker for `status`; one not alive lists the creatures the host had placed on it (`byNode`). */
  views(byNode: Map<string, string[]>): WorkerView[] {
    return [...this.workers.values()].map((w) => ({
      node: w.beat.node,
      capacity: w.beat.capacity,
      labels: w.beat.labels,
      load: w.status === 'alive' ? w.beat.creatures.length : 0,
      creatures: w.status === 'alive' ? w.beat.creatures.map((c) => c.name) : (byNode.get(w.beat.node) ?? []),
      status: w.status,
      lastSeen: w.lastSeen,
    }));
  }
}
