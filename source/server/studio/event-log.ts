/**
 * The recent events of one live session, kept so a client that reconnects
 * with `since=<seq>` gets every event it missed exactly once. Bounded: a
 * client that was away longer than the buffer holds is told how many events
 * it cannot get back (it can still read them from the saved session).
 */
import type { AgentEvent } from '../../index.js';

export class EventLog {
  private readonly events: AgentEvent[] = [];
  private head = 0;

  constructor(private readonly capacity = 20_000) {}

  push(event: AgentEvent): void {
    this.events.push(event);
    if (this.events.length - this.head > this.capacity) this.head++;
    // Compact now and then so the array does not grow without end.
    if (this.head > this.capacity) {
      this.events.splice(0, this.head);
      this.head = 0;
    }
  }

  get lastSeq(): number {
    return this.events.length > this.head ? (this.events[this.events.length - 1] as AgentEvent).seq : 0;
  }

  /** Events with seq > since, oldest first, and how many older ones are gone from the buffer. */
  since(since: number): { events: AgentEvent[]; lagged: number } {
    const first = this.events[this.head];
    if (!first) return { events: [], lagged: 0 };
    const lagged = Math.max(0, first.seq - since - 1);
    // seq is strictly increasing, so binary search for the first event after `since`.
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.events[mid] as AgentEvent).seq <= since) lo = mid + 1;
      else hi = mid;
    }
    return { events: this.events.slice(lo), lagged };
  }
}
