/**
 * Where a creature goes: the node a recipe names (`node: worker-a`), else
 * the least-loaded live worker whose labels match the member's selector
 * (`labels: {gpu: "yes"}`), never a full one. Ties go to the name first in
 * order, so a placement is reproducible.
 */
import { UsageError } from '../errors.js';

export interface Placement {
  node?: string;
  labels?: Record<string, string>;
}

export interface Candidate {
  node: string;
  capacity: number;
  load: number;
  labels: Record<string, string>;
  alive: boolean;
}

export function choose(workers: readonly Candidate[], want: Placement, creature: string): string {
  const live = workers.filter((w) => w.alive);
  if (want.node) {
    const named = live.find((w) => w.node === want.node);
    if (!named) throw new UsageError(`creature '${creature}' asks for node '${want.node}', which is not a live worker (live: ${live.map((w) => w.node).join(', ') || 'none'})`);
    if (named.load >= named.capacity) throw new UsageError(`creature '${creature}' asks for node '${want.node}', which is full (${named.load}/${named.capacity})`);
    return named.node;
  }
  const selector = Object.entries(want.labels ?? {});
  const fits = live.filter((w) => w.load < w.capacity && selector.every(([k, v]) => w.labels[k] === v));
  if (!fits.length) {
    const what = selector.length ? ` with labels ${selector.map(([k, v]) => `${k}=${v}`).join(',')}` : '';
    throw new UsageError(`no live worker${what} has room for creature '${creature}' (workers: ${live.map((w) => `${w.node} ${w.load}/${w.capacity}`).join(', ') || 'none'})`);
  }
  fits.sort((a, b) => a.load / a.capacity - b.load / b.capacity || a.load - b.load || a.node.localeCompare(b.node));
  return fits[0]!.node;
}

/** A recipe member's placement keys, taken out of its creature config (the creature never sees them). */
export function placementOf(config: Record<string, unknown>): { placement: Placement; config: Record<string, unknown> } {
  const { node, labels, ...rest } = config;
  const placement: Placement = {};
  if (typeof node === 'string') placement.node = node;
  if (labels && typeof labels === 'object') placement.labels = Object.fromEntries(Object.entries(labels as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return { placement, config: rest };
}
