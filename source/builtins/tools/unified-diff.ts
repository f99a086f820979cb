/**
 * `edit`'s diff mode: apply a unified diff (as `diff -u` or `git diff` write
 * it) to one file's text with jsdiff. Hunk headers are recounted from the
 * hunk bodies first, since models often get the counts wrong while the lines
 * themselves are right; the line numbers only say where to start looking.
 */
import type { StructuredPatch, StructuredPatchHunk } from 'diff';

/** Lines of a failing hunk shown in the refusal. */
const SHOWN_EXPECTED_LINES = 20;

export type DiffResult =
  | { ok: true; text: string; hunks: number; added: number; removed: number }
  | { ok: false; error: string };

/** Apply `diff` to `text` (both with plain newlines). Never throws for a bad diff; the error says what to fix. */
export async function applyUnifiedDiff(text: string, diff: string, shown: string): Promise<DiffResult> {
  const { parsePatch, applyPatch } = await import('diff');
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(recount(diff.replaceAll('\r\n', '\n')));
  } catch (error) {
    return { ok: false, error: `could not parse the diff: ${error instanceof Error ? error.message : String(error)}.` };
  }
  const withHunks = patches.filter((patch) => patch.hunks.length > 0);
  if (withHunks.length === 0) {
    return {
      ok: false,
      error: 'the diff has no hunks. Give a unified diff: "@@ -start,count +start,count @@" lines, then lines starting with " " (unchanged), "-" (removed) or "+" (added).',
    };
  }
  if (withHunks.length > 1) {
    return { ok: false, error: `the diff changes ${withHunks.length} files; edit changes one file (${shown}). Send one call per file.` };
  }
  const patch = withHunks[0]!;
  const applied = applyPatch(text, patch);
  if (applied !== false) {
    const count = (sign: string) => patch.hunks.reduce((sum, hunk) => sum + hunk.lines.filter((line) => line[0] === sign).length, 0);
    return { ok: true, text: applied, hunks: patch.hunks.length, added: count('+'), removed: count('-') };
  }
  // Find the first hunk that does not fit, applying ever longer prefixes of the patch.
  let failing = patch.hunks.length - 1;
  for (let i = 0; i < patch.hunks.length; i++) {
    if (applyPatch(text, { ...patch, hunks: patch.hunks.slice(0, i + 1) }) === false) {
      failing = i;
      break;
    }
  }
  return { ok: false, error: hunkRefusal(text, patch.hunks[failing]!, failing, patch.hunks.length, shown) };
}

function hunkRefusal(text: string, hunk: StructuredPatchHunk, index: number, total: number, shown: string): string {
  const expected = hunk.lines.filter((line) => line[0] === ' ' || line[0] === '-').map((line) => line.slice(1));
  const header = `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
  const lines = [`hunk ${index + 1} of ${total} (${header}) does not apply to ${shown}: its context and removed lines are not in the file as given. No changes were made.`];
  if (expected.length > 0) {
    lines.push('It expects these lines, in this order:');
    for (const line of expected.slice(0, SHOWN_EXPECTED_LINES)) lines.push(`  | ${line}`);
    if (expected.length > SHOWN_EXPECTED_LINES) lines.push(`  | … (${expected.length - SHOWN_EXPECTED_LINES} more)`);
    lines.push(locateHint(text, expected));
  }
  lines.push('Read the file again and rebuild the hunk from its current content, or use old_string and new_string instead.');
  return lines.join('\n');
}

/** Where the hunk comes closest to matching, and the first line that differs there. */
function locateHint(text: string, expected: string[]): string {
  const fileLines = text.split('\n');
  const first = expected[0]!;
  let best: { at: number; matched: number } | undefined;
  for (let at = 0; at < fileLines.length; at++) {
    if (fileLines[at]!.trim() !== first.trim()) continue;
    let matched = 0;
    while (matched < expected.length && fileLines[at + matched] === expected[matched]) matched++;
    if (!best || matched > best.matched) best = { at, matched };
  }
  if (!best) return `Its first line ("${clip(first.trim())}") is not in the file.`;
  if (best.matched === expected.length) {
    return `Its lines are at line ${best.at + 1}, but it cannot go there: hunks must follow each other in file order without overlapping.`;
  }
  const line = best.at + best.matched;
  const found = fileLines[line];
  const wanted = expected[best.matched]!;
  const whitespace = found !== undefined && found.trim() === wanted.trim() ? ' They differ only in whitespace: copy indentation exactly.' : '';
  const reads =
    found === undefined
      ? `the file ends where the hunk expects "${clip(wanted)}".`
      : `line ${line + 1} reads "${clip(found)}" where the hunk expects "${clip(wanted)}".${whitespace}`;
  if (best.matched === 0) return `Closest place: ${reads}`;
  return `It matches from line ${best.at + 1} for ${best.matched === 1 ? '1 line' : `${best.matched} lines`}; then ${reads}`;
}

function clip(line: string): string {
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * Rewrite every hunk header with counts taken from the hunk's own lines, and
 * accept a bare "@@" header (no numbers: search from the top).
 */
function recount(diff: string): string {
  const lines = diff.split('\n');
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.startsWith('@@')) {
      out.push(line);
      i++;
      continue;
    }
    const numbers = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(line);
    const body: string[] = [];
    i++;
    while (i < lines.length && !endsHunk(lines, i)) body.push(lines[i++]!);
    let removed = 0;
    let added = 0;
    body.forEach((entry, n) => {
      if (entry !== '' && !' +-\\'.includes(entry[0]!)) {
        throw new Error(`in the hunk "${line}", the line ${JSON.stringify(entry)} does not start with " ", "-" or "+"${n === body.length - 1 ? ' (text after a diff is not allowed)' : ''}`);
      }
    });
    for (const entry of body) {
      const sign = entry === '' ? ' ' : entry[0];
      if (sign === ' ' || sign === '-') removed++;
      if (sign === ' ' || sign === '+') added++;
    }
    const oldStart = numbers ? Number(numbers[1]) : 1;
    const newStart = numbers ? Number(numbers[2]) : 1;
    // With a count of 0 the start is the line *after which* the hunk goes (0: the top).
    const from = removed === 0 ? (numbers ? oldStart : 0) : Math.max(1, oldStart);
    const to = added === 0 ? (numbers ? newStart : 0) : Math.max(1, newStart);
    out.push(`@@ -${from},${removed} +${to},${added} @@${numbers?.[3] ?? ''}`);
    out.push(...body);
  }
  return `${out.join('\n')}\n`;
}

/**
 * A hunk ends at the next hunk or the next file's headers. Any other line
 * belongs to it: one that is not a diff line makes the parser say so, rather
 * than the rest of the hunk being dropped without a word.
 */
function endsHunk(lines: string[], i: number): boolean {
  const line = lines[i]!;
  if (line.startsWith('@@')) return true;
  if (/^(diff --git |Index: |diff -)/.test(line)) return true;
  return line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ') === true;
}
