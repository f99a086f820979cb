/**
 * What host and workers say to each other (JSON on the lab's subjects).
 */
import type { AgentEvent } from '../events.js';
import type { TopologyChannel } from '../terrarium/topology.js';

/** One logged event with its place in the turn tree, as a session file keeps it. */
export interface HistoryEvent {
  event: AgentEvent;
  turn: number | null;
  branch: number | null;
}

/** One creature the host places on a worker: a recipe member, made self-contained. */
export interface SpawnSpec {
  /** The graph (a recipe run) it belongs to: its events go to this graph's subject. */
  graph: string;
  name: string;
  /** The member's creature keys (`node`/`labels` placement keys removed). */
  config: Record<string, unknown>;
  /** Where its relative paths start (the recipe's folder). */
  folder: string;
  /** The recipe file, for errors. */
  file?: string;
  listen: string[];
  canSend: string[];
  privileged: boolean;
  /** Every channel of the graph, so sends and listens resolve on each node. */
  channels: TopologyChannel[];
  llm?: string;
  /**
   * This placement's epoch: the host hands out a higher one each time it
   * places the creature. Events and tool calls carry it; the host refuses
   * those of an older placement (a worker that came back after its creature
   * moved), and the worker stops a creature whose epoch the host outgrew.
   */
  epoch?: number;
  /** A creature moved from a failed worker: its log as the host has it, to continue the conversation from. */
  history?: HistoryEvent[];
}

export type WorkerRequest =
  | { op: 'spawn'; spec: SpawnSpec }
  | { op: 'stop'; name: string }
  | { op: 'chat'; name: string; text: string }
  | { op: 'list' };

export interface WorkerCreature {
  name: string;
  graph: string;
  running: boolean;
  /** Its instance id (a spawn's answer). */
  id?: string;
  epoch: number;
}

/** The host's heartbeat: renews every worker's lease and says who owns each creature it knows. */
export interface HostBeat {
  /** Creature name → the node and epoch of its current placement. */
  owners: Record<string, { node: string; epoch: number }>;
  intervalMs: number;
}

/** A worker, at a tool boundary: may this call run? */
export interface GrantRequest {
  node: string;
  creature: string;
  epoch: number;
  /** The call's idempotency key (idempotency.ts). */
  key: string;
}

/** `run`: go ahead (granted once per key and epoch); `fenced`: this placement is outdated, stop the creature. */
export type GrantReply = { verdict: 'run' } | { verdict: 'fenced'; reason: string };

export interface Heartbeat {
  node: string;
  capacity: number;
  labels: Record<string, string>;
  creatures: WorkerCreature[];
  /** Milliseconds between heartbeats (the host marks the worker failed after missing them). */
  intervalMs: number;
  /** Counts up per worker process; a restarted worker starts again at 1. */
  seq: number;
  pid: number;
  startedAt: number;
}

export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: string };
