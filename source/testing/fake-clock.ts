/**
 * A clock that moves only when a test says so. Timers fire in due order
 * while `advance` walks time forward, and every callback's follow-up
 * promises settle before the next one fires, so a trigger that re-arms
 * itself after firing is seen firing again within the same `advance`.
 */
import type { Clock } from '../engine/util/clock.js';

interface PendingTimer {
  id: number;
  due: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private timers: PendingTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { id: this.nextId++, due: this.time + Math.max(0, ms), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.length;
  }

  /** When the next timer is due, if any. */
  get nextDue(): number | undefined {
    return this.timers.reduce<number | undefined>((min, t) => (min === undefined || t.due < min ? t.due : min), undefined);
  }

  /** Move time forward by `ms`, firing every timer that falls due on the way (in order). */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.time + ms);
  }

  /** Move time to `epochMs`, firing timers due by then. */
  async advanceTo(epochMs: number): Promise<void> {
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > epochMs) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.due);
      next.fn();
      await settle();
    }
    this.time = Math.max(this.time, epochMs);
    await settle();
  }

  private earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    return best;
  }
}

/** Let queued promise callbacks and I/O callbacks already due run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
