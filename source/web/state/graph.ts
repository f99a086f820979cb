/**
 * A terrarium as a live graph: its topology (creatures, channels, who sends
 * and listens where, output wires) plus what the event stream says is
 * happening on it (who is working, which channel carried how many messages,
 * the last one). The topology comes from the server when it has one for the
 * session; otherwise the graph grows from the events themselves (a creature
 * that spoke, a channel that carried a message).
 */
import type { AgentEvent } from '../../engine/events.js';

export interface TopologyData {
  /** `state` comes with the server's topology (a team member's own stream is not the one the graph follows). */
  creatures: Array<{ name: string; privileged: boolean; parent?: string; state?: string }>;
  channels: Array<{ name: string; type: string; description: string }>;
  listen: Array<[string, string]>;
  send: Array<[string, string]>;
  wires: Array<{ id: string; from: string; to: string; withContent: boolean; allowSelfTrigger: boolean }>;
}

export interface ChannelTraffic {
  count: number;
  last: { sender: string; content: string; seq: number };
}

export interface GraphState {
  topology: TopologyData;
  working: Record<string, boolean>;
  traffic: Record<string, ChannelTraffic>;
  /** Turns a wire delivered, by receiving creature. */
  wired: Record<string, number>;
  /** Seq of the newest event, so the view can light what changed last. */
  lastSeq: number;
}

export const emptyTopology: TopologyData = { creatures: [], channels: [], listen: [], send: [], wires: [] };
export const emptyGraph: GraphState = { topology: emptyTopology, working: {}, traffic: {}, wired: {}, lastSeq: 0 };

export function withTopology(state: GraphState, topology: TopologyData): GraphState {
  // Keep creatures and channels the events found that the server's topology does not know (yet).
  const names = new Set(topology.creatures.map((c) => c.name));
  const channels = new Set(topology.channels.map((c) => c.name));
  const working = { ...state.working };
  for (const c of topology.creatures) if (c.state) working[c.name] = c.state === 'running';
  return {
    ...state,
    working,
    topology: {
      ...topology,
      creatures: [...topology.creatures, ...state.topology.creatures.filter((c) => !names.has(c.name))],
      channels: [...topology.channels, ...state.topology.channels.filter((c) => !channels.has(c.name))],
    },
  };
}

/** A team's member names (from the session's `team`), as nodes: the fallback when the server has no topology to give. */
export function withMembers(state: GraphState, members: string[]): GraphState {
  return members.reduce(ensureCreature, state);
}

export function reduceGraph(state: GraphState, event: AgentEvent): GraphState {
  const who = event.agentPath[0] ?? event.creatureId;
  let next = ensureCreature({ ...state, lastSeq: Math.max(state.lastSeq, event.seq) }, who);
  if (event.agentPath.length > 1) return next;
  switch (event.type) {
    case 'turn.start':
      next = { ...next, working: { ...next.working, [who]: true } };
      return event.source === 'wire' ? { ...next, wired: { ...next.wired, [who]: (next.wired[who] ?? 0) + 1 } } : next;
    case 'turn.end':
    case 'creature.stop':
      return { ...next, working: { ...next.working, [who]: false } };
    case 'channel.message': {
      next = ensureCreature(ensureChannel(next, event.channel), event.sender);
      const count = (next.traffic[event.channel]?.count ?? 0) + 1;
      const sends = next.topology.send.some(([c, ch]) => c === event.sender && ch === event.channel);
      return {
        ...next,
        topology: sends ? next.topology : { ...next.topology, send: [...next.topology.send, [event.sender, event.channel]] },
        traffic: { ...next.traffic, [event.channel]: { count, last: { sender: event.sender, content: event.content, seq: event.seq } } },
      };
    }
    default:
      return next;
  }
}

function ensureCreature(state: GraphState, name: string): GraphState {
  if (!name || state.topology.creatures.some((c) => c.name === name)) return state;
  return { ...state, topology: { ...state.topology, creatures: [...state.topology.creatures, { name, privileged: false }] } };
}

function ensureChannel(state: GraphState, name: string): GraphState {
  if (state.topology.channels.some((c) => c.name === name)) return state;
  return { ...state, topology: { ...state.topology, channels: [...state.topology.channels, { name, type: 'broadcast', description: '' }] } };
}

export interface Point {
  x: number;
  y: number;
}

/**
 * Where each node goes in a 1000×1000 box: creatures on an outer ring,
 * channels on an inner one (a creature's own direct channel is drawn on the
 * creature, not as a node of its own). Deterministic: the same topology
 * always lays out the same.
 */
export function layoutGraph(topology: TopologyData): { creatures: Record<string, Point>; channels: Record<string, Point> } {
  const names = new Set(topology.creatures.map((c) => c.name));
  const shown = shownChannels(topology);
  const ring = (count: number, radius: number, offset: number) => (i: number): Point => {
    const angle = offset + (2 * Math.PI * i) / Math.max(1, count) - Math.PI / 2;
    return { x: Math.round(500 + radius * Math.cos(angle)), y: Math.round(500 + radius * Math.sin(angle)) };
  };
  const outer = ring(names.size, names.size === 1 ? 0 : 380, 0);
  const inner = ring(shown.length, shown.length === 1 ? 0 : 180, Math.PI / Math.max(1, shown.length));
  return {
    creatures: Object.fromEntries(topology.creatures.map((c, i) => [c.name, outer(i)])),
    channels: Object.fromEntries(shown.map((c, i) => [c.name, inner(i)])),
  };
}

/** Channels drawn as their own node: all but a creature's direct channel nobody else sends on. */
export function shownChannels(topology: TopologyData): TopologyData['channels'] {
  const names = new Set(topology.creatures.map((c) => c.name));
  return topology.channels.filter((ch) => !names.has(ch.name) || topology.send.some(([who, c]) => c === ch.name && who !== ch.name));
}
