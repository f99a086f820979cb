/**
 * A restarted host takes its graphs back from its session files (recipe
 * rules, topology, run-time members, each member's spawn spec), and learns
 * where each member runs from the workers' heartbeats: from then on group
 * tools, a re-apply and moving creatures after a worker failure work as
 * before the restart.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { EventSink } from './event-sink.js';
import { restoreGraph, type SavedPlacements } from './graph-file.js';
import type { Placed } from './host-failover.js';
import type { LabGraph } from './lab-graph.js';
import type { Ownership } from './ownership.js';
import type { Heartbeat } from './protocol.js';

const SUFFIX = '.kohakutr';

/** Every lab graph kept in `dir` (files holding only events, without a graph, are left alone). */
export function recoverGraphs(dir: string, events: EventSink): Array<{ graph: LabGraph; placed: SavedPlacements }> {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(SUFFIX)) continue;
    const graph = restoreGraph(events.storeOf(file.slice(0, -SUFFIX.length)));
    if (graph) found.push(graph);
  }
  return found;
}

/**
 * A heartbeat names creatures a recovered graph holds: each is placed where
 * its owner runs it (the ownership record adopted the highest epoch already),
 * so the host can move it when that worker fails later.
 */
export function adoptPlacements(beat: Heartbeat, saved: Map<string, SavedPlacements[string]>, placed: Map<string, Placed>, owners: Ownership): void {
  for (const c of beat.creatures) {
    const spec = saved.get(c.name);
    if (!spec || placed.has(c.name) || spec.spec.graph !== c.graph || owners.ownerOf(c.name)?.node !== beat.node) continue;
    placed.set(c.name, { ...spec, node: beat.node, status: 'running', ...(c.id ? { id: c.id } : {}) });
    saved.delete(c.name);
  }
}

/** The placements to keep in a graph's file: its members' specs (no history: the log is the history). */
export function placementsOf(graph: LabGraph, placed: Map<string, Placed>, saved: Map<string, SavedPlacements[string]>): SavedPlacements {
  const out: SavedPlacements = {};
  for (const { name } of graph.topology.toJSON().creatures) {
    const p = placed.get(name) ?? saved.get(name);
    if (!p) continue;
    const { history: _history, epoch: _epoch, ...spec } = p.spec;
    out[name] = { spec, placement: p.placement };
  }
  return out;
}
