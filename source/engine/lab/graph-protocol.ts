/**
 * What host and workers say about a graph's structure across nodes: the
 * output wires of a creature (the host decides, its worker delivers), edge
 * and channel changes, pausing a member, and the group tools' calls, which a
 * worker passes to the host (the one place that sees the whole graph).
 */
import type { TopologyChannel, OutputWire } from '../terrarium/topology.js';

/** Requests to a worker about structure (beside spawn/stop/chat/list). */
export type GraphOp =
  /** The whole ordered list of wires from `source` (a creature on this worker); replaces the last one. */
  | { op: 'wires'; source: string; wires: OutputWire[]; maxHops: number }
  | { op: 'channel-add'; channel: TopologyChannel }
  | { op: 'channel-remove'; name: string }
  | { op: 'edge'; creature: string; channel: TopologyChannel; direction: 'listen' | 'send'; on: boolean }
  | { op: 'halt'; name: string }
  | { op: 'resume'; name: string };

export const GRAPH_OPS = new Set<GraphOp['op']>(['wires', 'channel-add', 'channel-remove', 'edge', 'halt', 'resume']);

export function isGraphOp(request: { op: string }): request is GraphOp {
  return GRAPH_OPS.has(request.op as GraphOp['op']);
}

/** One wire's message on its way to the target's worker. */
export interface WireDelivery {
  from: string;
  to: string;
  wireId: string;
  content: string;
  hops: number;
  withContent: boolean;
}

/** A group tool's call, made by creature `from` of `graph`, answered by the host. */
export type GroupCall =
  | { call: 'status' }
  | { call: 'direct'; to: string }
  | { call: 'add'; ref: string; options: { name?: string; llm?: string; pwd?: string; listen?: string[]; canSend?: string[] } }
  | { call: 'remove'; name: string }
  | { call: 'start'; name: string }
  | { call: 'stop'; name: string }
  | { call: 'channel'; action: 'create' | 'delete' | 'wire' | 'unwire'; channel: string; options: { description?: string; type?: 'broadcast' | 'queue'; creature?: string; direction?: 'listen' | 'send' } }
  | { call: 'wire'; action: 'add' | 'remove'; options: { from?: string; to?: string; withContent?: boolean; prompt?: string; promptFormat?: 'simple' | 'jinja'; allowSelfTrigger?: boolean; edgeId?: string } };

export type GroupRequest = { op: 'group'; graph: string; from: string } & GroupCall;
