/**
 * `kt lab resume`: a saved lab graph placed back onto the workers. The graph
 * comes from its file (topology, loop rules, each member's spawn spec); each
 * member nobody runs is spawned with its conversation from the file's events,
 * then every source gets its wire list again. Members a worker still runs
 * (a heartbeat named them) are left alone, so resuming a running graph
 * places only what is missing.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SessionError } from '../errors.js';
import { findSession } from '../session/listing.js';
import { SessionStore } from '../session/store.js';
import type { EventSink } from './event-sink.js';
import { restoreGraph, type SavedPlacements } from './graph-file.js';
import type { Placed } from './host-failover.js';
import type { HostGraphs } from './host-graphs.js';
import { closeUnfinishedTurn } from './idempotency.js';
import type { Placement } from './placement.js';
import type { SpawnSpec } from './protocol.js';

export interface Resumed {
  graph: string;
  /** Where each member runs now. */
  nodes: Record<string, string>;
  /** Members that were running already and were left alone. */
  running: string[];
}

export interface ResumeHost {
  readonly events: EventSink;
  readonly graphs: HostGraphs;
  readonly sessionDir: string;
  /** Members of recovered graphs not yet seen in a heartbeat (a resume places them). */
  readonly saved: Map<string, SavedPlacements[string]>;
  whereIs(name: string): Placed | undefined;
  isLive(node: string): boolean;
  spawn(spec: SpawnSpec, placement?: Placement): Promise<string>;
  now(): number;
}

/**
 * The graph id a session reference means on this host: a file path, a
 * graph id or a file name's start in the host's folder. A file from
 * elsewhere is copied into the folder first: the host's log of a graph is
 * always `<sessionDir>/<graph>.kohakutr`.
 */
export function resolveGraphFile(ref: string, sessionDir: string): string {
  const path = resolve(findSession(ref, sessionDir));
  const store = SessionStore.open(path, { readonly: true });
  let graph: string;
  try {
    graph = store.meta.sessionId;
    if (!restoreGraph(store)) throw new SessionError(`${path} holds no lab graph (kt lab apply makes one; kt resume resumes other sessions)`);
  } finally {
    store.close();
  }
  const target = join(sessionDir, `${graph}.kohakutr`);
  if (resolve(dirname(path)) === resolve(sessionDir) && resolve(path) === target) return graph;
  if (existsSync(target)) throw new SessionError(`the lab host keeps graph '${graph}' in ${target} already; resume it by its id`);
  copyFileSync(path, target);
  return graph;
}

export async function resumeGraph(host: ResumeHost, ref: string): Promise<Resumed> {
  const id = resolveGraphFile(ref, host.sessionDir);
  const restored = restoreGraph(host.events.storeOf(id));
  if (!restored) throw new SessionError(`graph '${id}' has no topology to resume`);
  // A graph the host took back at start-up is the same graph: keep that one (its workers may hold some members).
  const graph = host.graphs.graphs.get(id) ?? restored.graph;
  if (!host.graphs.graphs.has(id)) host.graphs.restore(graph);
  const nodes: Record<string, string> = {};
  const running: string[] = [];
  for (const { name } of graph.topology.toJSON().creatures) {
    const where = host.whereIs(name);
    if (where && where.status !== 'failed') {
      nodes[name] = where.node;
      running.push(name);
      continue;
    }
    const saved = restored.placed[name] ?? host.saved.get(name);
    if (!saved) throw new SessionError(`graph '${id}' keeps no spawn spec for member '${name}'`);
    const history = host.events.history(id, name);
    // A turn the old worker was cut off in is closed in the log first (its calls never run again).
    const closing = closeUnfinishedTurn(history, name, '(earlier run)', host.now());
    host.events.appendLocal(id, name, closing);
    // A pinned worker that is not in the lab now: the member goes where there is room.
    const { node: pinned, ...free } = saved.placement;
    const placement = pinned && !host.isLive(pinned) ? free : saved.placement;
    nodes[name] = await host.spawn({ ...saved.spec, channels: graph.channels(), history: [...history, ...closing] }, placement);
    host.saved.delete(name);
  }
  await host.graphs.pushWires(graph);
  host.graphs.save(graph);
  return { graph: id, nodes, running };
}
