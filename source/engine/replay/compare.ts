/**
 * Recorded trace against replayed trace: per lane, item by item, up to the
 * first difference (what follows a difference is its consequence, not news).
 * Divergences are ordered by where they sit in the recording, so the first
 * one is the first thing that went differently.
 */
import type { Trace, TraceItem } from './trace.js';

export type DivergenceKind = 'prompt' | 'tools' | 'call' | 'result' | 'answer' | 'missing' | 'extra';

export interface Divergence {
  creature: string;
  /** `main`, or a sub-agent run (`creature/sub#call`). */
  lane: string;
  kind: DivergenceKind;
  turn: number | null;
  step: number | null;
  /** What the recording has, and what the replay did (absent when there is nothing on that side). */
  expected?: string;
  actual?: string;
  /** Position in the recording (for ordering). */
  at: number;
}

export interface CompareOptions {
  /** Compare tool results too (default true; off when outputs are known to vary, e.g. timestamps). */
  results?: boolean;
}

export function compareTraces(creature: string, expected: Trace, actual: Trace, options: CompareOptions = {}): Divergence[] {
  const out: Divergence[] = [];
  for (const lane of expected.order) {
    const found = firstDifference(expected.lanes.get(lane) ?? [], actual.lanes.get(lane) ?? [], options.results ?? true);
    if (found) out.push({ creature, lane, ...found });
  }
  for (const lane of actual.order) {
    if (expected.lanes.has(lane)) continue;
    const first = actual.lanes.get(lane)?.[0];
    out.push({ creature, lane, kind: 'extra', turn: turnOf(first), step: stepOf(first), actual: `a run the recording does not have: ${first ? describe(first) : lane}`, at: Number.MAX_SAFE_INTEGER });
  }
  return out.sort((a, b) => a.at - b.at);
}

function firstDifference(expected: readonly TraceItem[], actual: readonly TraceItem[], results: boolean): Omit<Divergence, 'creature' | 'lane'> | undefined {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const e = expected[i];
    const a = actual[i];
    const where = { turn: turnOf(e ?? a), step: stepOf(e ?? a), at: e?.at ?? (expected.at(-1)?.at ?? 0) + 0.5 };
    if (!e) return { ...where, kind: 'extra', actual: describe(a as TraceItem) };
    if (!a) return { ...where, kind: 'missing', expected: describe(e) };
    if (e.kind !== a.kind) return { ...where, kind: e.kind, expected: describe(e), actual: describe(a) };
    switch (e.kind) {
      case 'prompt':
        if (e.text !== (a as typeof e).text) return { ...where, kind: 'prompt', expected: e.text, actual: (a as typeof e).text };
        break;
      case 'tools':
        if (e.names.join(',') !== (a as typeof e).names.join(',')) return { ...where, kind: 'tools', expected: e.names.join(', '), actual: (a as typeof e).names.join(', ') };
        break;
      case 'call': {
        const other = a as typeof e;
        if (e.name !== other.name || stableJson(e.args) !== stableJson(other.args)) return { ...where, kind: 'call', expected: describe(e), actual: describe(other) };
        if (results && e.result && (e.result.output !== other.result?.output || e.result.isError !== other.result.isError)) {
          return { ...where, kind: 'result', expected: resultText(e), actual: other.result ? resultText(other) : '(no result)' };
        }
        break;
      }
      case 'answer': {
        const other = a as typeof e;
        if (e.text !== other.text || e.status !== other.status) return { ...where, kind: 'answer', expected: describe(e), actual: describe(other) };
        break;
      }
    }
  }
  return undefined;
}

function resultText(item: Extract<TraceItem, { kind: 'call' }>): string {
  const result = item.result;
  return result ? `${result.isError ? '[error] ' : ''}${result.output}` : '(no result)';
}

/** One line for an item. */
export function describe(item: TraceItem): string {
  switch (item.kind) {
    case 'prompt':
      return `system prompt (${item.text.length} chars)`;
    case 'tools':
      return `tools ${item.names.join(', ')}`;
    case 'call':
      return `call ${item.name} ${stableJson(item.args)}`;
    case 'answer':
      return `answer ${JSON.stringify(item.text)}${item.status === 'completed' ? '' : ` (${item.status})`}`;
  }
}

function turnOf(item: TraceItem | undefined): number | null {
  return item && (item.kind === 'call' || item.kind === 'answer') ? item.turn : null;
}

function stepOf(item: TraceItem | undefined): number | null {
  return item?.kind === 'call' ? item.step : null;
}

/** JSON with sorted keys, so `{a, b}` and `{b, a}` are the same call. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? 'undefined';
}
