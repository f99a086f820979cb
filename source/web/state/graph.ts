/**
 * A terrarium as a live graph: its topology (creatures, channels, who sends
 * and listens where, output wires) plus what the event stream says is
 * happening on it (who is working, which channel carried how many messages,
 * the last one). The topology comes from the server when it has one for the
 * session; otherwise the graph grows from the events themselves (a creature
 * that spoke, a channel that carried a message).
 *
 * For a team the events come from every member's own session, each with its
 * own seq: `foldSessionEvents` drops what a session already delivered (a
 * reconnect's replay), and a channel message counts once by its id however
 * many listeners heard it (each listener's `trigger.fired` carries it).
 */
import type { AgentEvent } from '../../engine/events.js';

export interface TopologyData {
  /** `state` and `session` (the member's live session id) come with the server's topology. */
  creatures: Array<{ name: string; privileged: boolean; parent?: string; state?: string; session?: string }>;
  channels: Array<{ name: string; type: string; description: string }>;
  listen: Array<[string, string]>;
  send: Array<[string, string]>;
  wires: Array<{ id: string; from: string; to: string; withContent: boolean; allowSelfTrigger: boolean }>;
}

export interface ChannelTraffic {
  count: number;
  /** `at`: the state's `clock` when it arrived, comparable across the members' sessions (their seqs are not). */
  last: { sender: string; content: string; at: number };
}

export interface GraphState {
  topology: TopologyData;
  working: Record<string, boolean>;
  traffic: Record<string, ChannelTraffic>;
  /** Turns a wire delivered, by receiving creature. */
  wired: Record<string, number>;
  /** Events folded so far, from all sessions: the order the view lights channels by. */
  clock: number;
  /** Newest seq folded, by live session id. */
  seen: Record<string, number>;
  /** Ids of the latest channel messages counted (bounded), so a broadcast heard by several members counts once. */
  counted: string[];
}

/** How many message ids are remembered for de-duplication: far more than can be in flight between members at once. */
const COUNTED_KEEP = 500;

export const emptyTopology: TopologyData = { creatures: [], channels: [], listen: [], send: [], wires: [] };
export const emptyGraph: GraphState = { topology: emptyTopology, working: {}, traffic: {}, wired: {}, clock: 0, seen: {}, counted: [] };

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

/** A burst of one live session's events; what that session already delivered (seq at or below the newest seen) is skipped. */
export function foldSessionEvents(state: GraphState, session: string, events: readonly AgentEvent[]): GraphState {
  let next = state;
  for (const event of events) {
    const seen = next.seen[session] ?? 0;
    if (event.seq > 0 && event.seq <= seen) continue;
    next = reduceGraph({ ...next, seen: { ...next.seen, [session]: Math.max(seen, event.seq) } }, event);
  }
  return next;
}

export function reduceGraph(state: GraphState, event: AgentEvent): GraphState {
  const who = event.agentPath[0] ?? event.creatureId;
  let next = ensureCreature({ ...state, clock: state.clock + 1 }, who);
  if (event.agentPath.length > 1) return next;
  switch (event.type) {
    case 'turn.start':
      next = { ...next, working: { ...next.working, [who]: true } };
      return event.source === 'wire' ? { ...next, wired: { ...next.wired, [who]: (next.wired[who] ?? 0) + 1 } } : next;
    case 'turn.end':
    case 'creature.stop':
      return { ...next, working: { ...next.working, [who]: false } };
    case 'channel.message':
      return countMessage(next, { channel: event.channel, sender: event.sender, content: event.content, id: event.messageId });
    case 'trigger.fired': {
      // A live member hears a channel message as a trigger of its channel listener.
      const ctx = event.context ?? {};
      if (event.kind !== 'channel' || typeof ctx['channel'] !== 'string' || typeof ctx['sender'] !== 'string') return next;
      const channel = ctx['channel'];
      const sender = ctx['sender'];
      const id = typeof ctx['messageId'] === 'string' ? ctx['messageId'] : `${event.creatureId}:${event.seq}`;
      next = ensureEdge(next, 'listen', who, channel);
      return countMessage(next, { channel, sender, content: stripChannelPrefix(event.content, channel, sender), id });
    }
    default:
      return next;
  }
}

function countMessage(state: GraphState, message: { channel: string; sender: string; content: string; id: string }): GraphState {
  if (state.counted.includes(message.id)) return state;
  const next = ensureEdge(ensureCreature(ensureChannel(state, message.channel), message.sender), 'send', message.sender, message.channel);
  const count = (next.traffic[message.channel]?.count ?? 0) + 1;
  return {
    ...next,
    counted: [...next.counted.slice(-(COUNTED_KEEP - 1)), message.id],
    traffic: { ...next.traffic, [message.channel]: { count, last: { sender: message.sender, content: message.content, at: next.clock } } },
  };
}

/** The listener's default wording of a channel message, back to what the sender wrote. */
function stripChannelPrefix(text: string, channel: string, sender: string): string {
  const prefix = `[Channel '${channel}' from ${sender}]: `;
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

function ensureEdge(state: GraphState, kind: 'send' | 'listen', who: string, channel: string): GraphState {
  const edges = state.topology[kind];
  if (edges.some(([c, ch]) => c === who && ch === channel)) return state;
  return { ...state, topology: { ...state.topology, [kind]: [...edges, [who, channel]] } };
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
