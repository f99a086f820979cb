/**
 * What the team view needs of a terrarium, written as the shape it reads
 * (the engine's `Terrarium` has it): its members with their Agents, its
 * engine events, its graph as data, and its channels to post on. The UI reads nothing else of the
 * engine, so it stays behind the public API.
 */
import type { Agent } from '../../index.js';

export interface TeamMember {
  readonly name: string;
  readonly agent: Agent;
  readonly privileged: boolean;
  readonly state: 'idle' | 'running' | 'stopped';
}

export interface TeamEvent {
  kind: string;
  creature?: string;
  channel?: string;
  payload: Record<string, unknown>;
}

export interface TeamGraph {
  creatures: Array<{ name: string; privileged: boolean }>;
  channels: Array<{ name: string; type: string; description: string }>;
  listen: Array<[string, string]>;
  send: Array<[string, string]>;
  wires: Array<{ id: string; from: string; to: string }>;
}

/** The team's channels as the person uses them: post a message under a sender name (the engine's `ChannelHub` has it). */
export interface TeamChannels {
  send(channel: string, content: string, options: { sender: string }): unknown;
}

export interface TeamSource {
  readonly name: string;
  /** Where the person posts to a channel (`Terrarium.hub`); without it, channel tabs only read. */
  readonly hub?: TeamChannels;
  listCreatures(): TeamMember[];
  getCreature(name: string): TeamMember | undefined;
  on(listener: (event: TeamEvent) => void): () => void;
  snapshot(): TeamGraph;
}
