/**
 * The graph view of a live session: for a terrarium member, its team's
 * topology as the engine keeps it (creatures, channels, who listens and
 * sends where, output wires) with each member's state, graph and session
 * id; for a creature on its own, a graph of one (itself and its direct
 * channel), so the dashboard draws both the same way.
 */
import type { TopologyData } from '../../index.js';
import type { LiveSession } from './live-session.js';
import type { HostedTeam } from './team.js';

export type TopologyCreatureView = TopologyData['creatures'][number] & {
  state: 'idle' | 'running' | 'stopping' | 'stopped';
  /** The team graph (connected part) it is in; absent for a creature on its own. */
  graph?: string;
  /** Its live session id in the studio (what the other routes take); absent for a member added at run time. */
  session?: string;
};

export interface TopologyView extends Omit<TopologyData, 'creatures'> {
  /** The terrarium's name; absent for a creature on its own. */
  team?: string;
  creatures: TopologyCreatureView[];
  graphs: Array<{ id: string; members: string[] }>;
}

export function teamTopology(team: HostedTeam): TopologyView {
  const data = team.terrarium.snapshot();
  const graphs = team.terrarium.graphs().map((g) => ({ id: g.id, members: g.members }));
  const graphOf = new Map(graphs.flatMap((g) => g.members.map((m): [string, string] => [m, g.id])));
  const members = new Map(team.terrarium.listCreatures().map((m) => [m.name, m]));
  const sessions = new Map(team.sessions.map((s) => [s.agent.name, s.id]));
  return {
    team: team.terrarium.name,
    ...data,
    creatures: data.creatures.map((c) => {
      const graph = graphOf.get(c.name);
      const session = sessions.get(c.name);
      return { ...c, state: members.get(c.name)?.state ?? 'stopped', ...(graph ? { graph } : {}), ...(session ? { session } : {}) };
    }),
    graphs,
  };
}

/** A creature alone: privileged (it may grow a team), listening on its own direct channel. */
export function soloTopology(session: LiveSession): TopologyView {
  const name = session.agent.name;
  return {
    creatures: [{ name, privileged: true, state: session.agent.state, session: session.id }],
    channels: [{ name, type: 'broadcast', description: `direct messages to ${name}` }],
    listen: [[name, name]],
    send: [],
    wires: [],
    graphs: [],
  };
}
