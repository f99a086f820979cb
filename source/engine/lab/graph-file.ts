/**
 * A lab graph in the host's session file, in the shape a terrarium's own
 * file has: the recipe it came from (meta), the whole topology and the specs
 * of members added at run time. So `kt sessions` lists it as a team,
 * `kt resume` brings it back in one process, and `kt lab resume` places it
 * on the workers again.
 */
import type { SessionStore } from '../session/store.js';
import { MEMBERS_KEY, TOPOLOGY_KEY, type MemberSpec } from '../terrarium/graph-session.js';
import type { TopologyData } from '../terrarium/topology.js';
import type { LabGraph } from './lab-graph.js';

export function saveGraph(store: SessionStore, graph: LabGraph): void {
  store.updateMeta({
    terrariumName: graph.name,
    ...(graph.recipeFile ? { configRef: graph.recipeFile, configPath: graph.recipeFile } : {}),
    agents: [...new Set([...store.meta.agents, ...graph.topology.toJSON().creatures.map((c) => c.name)])],
  });
  store.setState(TOPOLOGY_KEY, graph.topology.toJSON());
  store.setState(MEMBERS_KEY, Object.fromEntries(graph.added));
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
