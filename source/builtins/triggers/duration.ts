/**
 * Durations as people write them in configs: a number of seconds (`600`),
 * or units strung together (`10m`, `1h30m`, `45s`, `1.5h`, `2d`). Used by
 * the timer's `interval` and `jitter`.
 */
import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;

/** Milliseconds of a duration, or undefined when the text is not one. Bare numbers are seconds. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let total = 0;
  let matched = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    matched = PART.lastIndex;
    // Allow spaces between parts ("1h 30m").
    while (text[PART.lastIndex] === ' ') PART.lastIndex++;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

/** Short text for a duration: 90 000 → "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}

/** A zod field for a duration in milliseconds: seconds as a number, or "10m"-style text. */
export function durationField(what: string, { positive = true } = {}) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined || (positive && ms <= 0)) {
      ctx.addIssue({ code: 'custom', message: `${what} must be ${positive ? 'a positive' : 'a'} number of seconds or a duration like "45s", "10m", "1h30m" (got ${JSON.stringify(value)})` });
      return z.NEVER;
    }
    return ms;
  });
}
