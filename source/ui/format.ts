/**
 * Text shaping shared by every UI mode: how a tool call, a duration or a
 * token count reads in one line. Pure functions, no terminal access.
 */

const PRIMARY_ARGS = ['command', 'path', 'file_path', 'pattern', 'url', 'query', 'name', 'task', 'question'];

/** One-line summary of a tool call's arguments: the telling argument, else compact JSON. */
export function summarizeArgs(args: unknown, width = 80): string {
  if (args && typeof args === 'object' && !Array.isArray(args)) {
    const record = args as Record<string, unknown>;
    for (const key of PRIMARY_ARGS) {
      const value = record[key];
      if (typeof value === 'string' && value) return clip(oneLine(value), width);
    }
  }
  if (typeof args === 'string') return clip(oneLine(args), width);
  const json = JSON.stringify(args) ?? '';
  return json === '{}' ? '' : clip(json, width);
}

/** First line of a tool result, for a collapsed view. */
export function firstLine(text: string, width = 100): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return clip(line.trim(), width);
}

/** `1.2s` under 10 s, `12s`, `3m 05s`, `1h 04m 03s`; under a second in ms. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  const total = Math.round(s);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h ? `${h}h ${String(m).padStart(2, '0')}m ${sec}s` : `${m}m ${sec}s`;
}

/** `950`, `12.3k`, `1.2M`. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export { formatAge } from '../engine/util/age.js';

/** Dollars as a footer shows them: cents once past a dollar, four places below. */
export function formatCost(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}
