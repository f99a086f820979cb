/**
 * A divergence as a person reads it: where (creature, turn, step, and the
 * sub-agent run when not the creature itself), what the recording has and
 * what the replay did; for long texts (a prompt, a tool result) the first
 * line that differs, with its number.
 */
import type { Divergence } from './compare.js';
import { MAIN_LANE } from './lanes.js';

const LABEL: Record<Divergence['kind'], string> = {
  prompt: 'the system prompt differs',
  tools: 'the tool set differs',
  call: 'a different tool call',
  result: 'a tool returned something else',
  answer: 'a different final answer',
  missing: 'the replay stopped short',
  extra: 'the replay did more than the recording',
};

export function formatDivergence(d: Divergence): string {
  const where = [
    d.creature ? `creature ${d.creature}` : '',
    d.lane !== MAIN_LANE ? `sub-agent run ${d.lane}` : '',
    d.turn !== null ? `turn ${d.turn}` : '',
    d.step !== null ? `step ${d.step}` : '',
  ].filter(Boolean);
  const lines = [`first divergence${where.length ? ` (${where.join(', ')})` : ''}: ${LABEL[d.kind]}`];
  const long = (d.expected?.includes('\n') ?? false) || (d.actual?.includes('\n') ?? false) || (d.expected?.length ?? 0) > 160 || (d.actual?.length ?? 0) > 160;
  if (long && d.expected !== undefined && d.actual !== undefined) lines.push(...lineDiff(d.expected, d.actual));
  else {
    lines.push(`  expected: ${d.expected ?? '(nothing)'}`);
    lines.push(`  actual:   ${d.actual ?? '(nothing)'}`);
  }
  return lines.join('\n');
}

/** The first differing line of two texts, with one line of context before it. */
export function lineDiff(expected: string, actual: string): string[] {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const out: string[] = [`  at line ${i + 1} (of ${a.length} recorded, ${b.length} replayed):`];
  if (i > 0) out.push(`    ${clip(a[i - 1] as string)}`);
  out.push(`  - ${i < a.length ? clip(a[i] as string) : '(end)'}`);
  out.push(`  + ${i < b.length ? clip(b[i] as string) : '(end)'}`);
  return out;
}

function clip(line: string): string {
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
