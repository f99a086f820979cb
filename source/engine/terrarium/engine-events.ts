/**
 * What a terrarium tells its watchers: one stream of `EngineEvent`s for the
 * whole team (the original's EventKind set), filtered by kind, creature,
 * graph and channel (AND-combined; an absent field matches anything). A
 * slow subscriber is never waited on: its buffer is bounded and it is told
 * how much it missed.
 */

export type EngineEventKind =
  | 'text'
  | 'activity'
  | 'channel_message'
  | 'topology_changed'
  | 'creature_started'
  | 'creature_stopped'
  | 'output_wire_added'
  | 'output_wire_removed'
  | 'processing_start'
  | 'processing_end'
  | 'error'
  | 'lagged';

export interface EngineEvent {
  kind: EngineEventKind;
  /** The creature's instance id (absent for graph-wide events). */
  creatureId?: string;
  /** The creature's name in the terrarium. */
  creature?: string;
  graphId?: string;
  channel?: string;
  payload: Record<string, unknown>;
  ts: number;
}

export interface EventFilter {
  kinds?: readonly EngineEventKind[];
  /** Instance ids or names. */
  creatures?: readonly string[];
  graphs?: readonly string[];
  channels?: readonly string[];
}

export function matches(event: EngineEvent, filter: EventFilter): boolean {
  if (filter.kinds && !filter.kinds.includes(event.kind)) return false;
  if (filter.creatures && !filter.creatures.some((c) => c === event.creatureId || c === event.creature)) return false;
  if (filter.graphs && (!event.graphId || !filter.graphs.includes(event.graphId))) return false;
  if (filter.channels && (!event.channel || !filter.channels.includes(event.channel))) return false;
  return true;
}

const BUFFER = 10_000;

/** Fan-out of engine events to listeners and async-iterable subscriptions. */
export class EngineEventHub {
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events matching `filter` from now on, until the loop breaks or `signal` aborts. */
  subscribe(filter: EventFilter = {}, signal?: AbortSignal): AsyncIterableIterator<EngineEvent> {
    const queue: EngineEvent[] = [];
    let dropped = 0;
    let wake: (() => void) | undefined;
    let done = false;
    const off = this.on((event) => {
      if (!matches(event, filter)) return;
      if (queue.length >= BUFFER) {
        queue.shift();
        dropped++;
      }
      queue.push(event);
      wake?.();
    });
    const finish = () => {
      done = true;
      off();
      wake?.();
    };
    signal?.addEventListener('abort', finish, { once: true });
    const iterator: AsyncIterableIterator<EngineEvent> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        for (;;) {
          if (dropped) {
            const event: EngineEvent = { kind: 'lagged', payload: { dropped }, ts: Date.now() };
            dropped = 0;
            return { value: event, done: false };
          }
          const event = queue.shift();
          if (event) return { value: event, done: false };
          if (done) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      },
      return: async () => {
        finish();
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }
}
