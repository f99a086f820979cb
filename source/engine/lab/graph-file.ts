/**
 * A lab graph in the host's session file, in the shape a terrarium's own
 * file has: the recipe it came from (meta), the whole topology and the specs
 * of members added at run time. So `kt sessions` lists it as a team,
 * `kt resume` brings it back in one process, and `kt lab resume` places it
 * on the workers again.
 */
import type { SessionStore } from '../session/store.js';
import { MEMBERS_KEY, TOPOLOGY_KEY, type MemberSpec } from '../terrarium/graph-session.js';
import { Topology, type TopologyData } from '../terrarium/topology.js';
import { LabGraph } from './lab-graph.js';
import type { Placement } from './placement.js';
import type { SpawnSpec } from './protocol.js';

/** What only the lab needs besides the terrarium's shape: a restarted host rebuilds the graph and its placements from it. */
export const LAB_GRAPH_KEY = 'lab_graph';

/** How each member was placed (its spec without history): a member moved after a later worker failure is spawned from it. */
export type SavedPlacements = Record<string, { spec: SpawnSpec; placement: Placement }>;

interface LabGraphState {
  allowCycles: boolean;
  maxHops: number;
  fromRecipe: string[];
  recipeWires: string[];
  placed: SavedPlacements;
}

export function saveGraph(store: SessionStore, graph: LabGraph, placed: SavedPlacements = {}): void {
  store.updateMeta({
    terrariumName: graph.name,
    ...(graph.recipeFile ? { configRef: graph.recipeFile, configPath: graph.recipeFile } : {}),
    agents: [...new Set([...store.meta.agents, ...graph.topology.toJSON().creatures.map((c) => c.name)])],
  });
  store.setState(TOPOLOGY_KEY, graph.topology.toJSON());
  store.setState(MEMBERS_KEY, Object.fromEntries(graph.added));
  const state: LabGraphState = { allowCycles: graph.allowCycles, maxHops: graph.maxHops, fromRecipe: [...graph.fromRecipe], recipeWires: [...graph.recipeWires], placed };
  store.setState(LAB_GRAPH_KEY, state);
}

/** The graph a host kept in this file, as it last saved it; undefined for a file that holds no lab graph. */
export function restoreGraph(store: SessionStore): { graph: LabGraph; placed: SavedPlacements } | undefined {
  const state = store.getState<LabGraphState>(LAB_GRAPH_KEY);
  const saved = readGraph(store);
  if (!state || !saved.topology) return undefined;
  const graph = new LabGraph(saved.graph, saved.name, state.allowCycles, state.maxHops, saved.recipeFile, Topology.from(saved.topology));
  for (const name of state.fromRecipe) graph.fromRecipe.add(name);
  for (const id of state.recipeWires) graph.recipeWires.add(id);
  for (const [name, member] of Object.entries(saved.members)) graph.added.set(name, member);
  return { graph, placed: state.placed };
}

export interface SavedGraph {
  graph: string;
  name: string;
  recipeFile?: string;
  topology?: TopologyData;
  members: Record<string, MemberSpec>;
}

export function readGraph(store: SessionStore): SavedGraph {
  const meta = store.meta;
  const topology = store.getState<TopologyData>(TOPOLOGY_KEY);
  return {
    graph: meta.sessionId,
    name: meta.terrariumName ?? meta.sessionId,
    ...(meta.configPath ? { recipeFile: meta.configPath } : {}),
    ...(topology ? { topology } : {}),
    members: store.getState<Record<string, MemberSpec>>(MEMBERS_KEY) ?? {},
  };
}
