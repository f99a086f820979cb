/**
 * A failed worker's creatures placed again elsewhere, each continuing from
 * the host's copy of its log: the log first takes in whatever the failed
 * worker got into the stream, and a turn it cut off mid-call is closed there
 * (its calls reported interrupted, never run again) before the creature moves.
 */
import type { EventSink } from './event-sink.js';
import { closeUnfinishedTurn } from './idempotency.js';
import type { Placement } from './placement.js';
import type { SpawnSpec } from './protocol.js';

/** How long a move waits for the log to catch up with the stream (the server may be away). */
const CATCH_UP_MS = 10_000;

export interface Placed {
  spec: SpawnSpec;
  placement: Placement;
  node: string;
  status: 'running' | 'failed' | 'restarting';
  /** Its instance id on its worker. */
  id?: string;
}

export interface FailoverHost {
  readonly events: EventSink;
  spawn(spec: SpawnSpec, placement?: Placement): Promise<string>;
  now(): number;
  tell(what: string, detail: string): void;
}

export async function moveCreatures(host: FailoverHost, lost: Placed[], from: string): Promise<void> {
  // Bounded: a stream that cannot be read must not keep the creatures from moving.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([host.events.caughtUp().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, CATCH_UP_MS)))]);
  clearTimeout(timer);
  for (const p of lost) {
    p.status = 'restarting';
    try {
      // Elsewhere: the failed node is not alive, so placement never picks it; a pinned node is dropped.
      const { node: _pinned, ...rest } = p.placement;
      const history = host.events.history(p.spec.graph, p.spec.name);
      const closing = closeUnfinishedTurn(history, p.spec.name, from, host.now());
      host.events.appendLocal(p.spec.graph, p.spec.name, closing);
      const node = await host.spawn({ ...p.spec, history: [...history, ...closing] }, rest);
      host.tell('restarted', `${p.spec.name}@${node}`);
    } catch (error) {
      p.status = 'failed';
      host.tell('restart-failed', `${p.spec.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
