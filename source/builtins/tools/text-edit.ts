/**
 * What `edit` and `multi_edit` share: loading a text file under the guards
 * (allowed path, not binary, read before and unchanged since), exact string
 * replacement with its refusals, and writing the result back with the file's
 * own line endings.
 */
import type { Stats } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { ToolError } from '../../engine/errors.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import { describeFsError, looksBinary, recordFileStamp, staleReadRefusal } from './fs-util.js';
import { locateFile } from './path-guard.js';

/** How many match lines an error lists before it stops. */
const LISTED_MATCHES = 20;

export interface EditableFile {
  absolute: string;
  shown: string;
  stats: Stats;
  /** True when the file uses CRLF throughout; `text` then has plain newlines. */
  crlf: boolean;
  /** The content, CRLF turned into LF when `crlf`. */
  text: string;
}

/** Load a text file for editing, or throw the refusal (out of bounds, missing, binary, not read, changed). */
export async function loadEditable(ctx: ToolContext, input: string, tool: string): Promise<EditableFile> {
  const fail = (message: string): never => {
    throw new ToolError(message, { tool });
  };
  const { absolute, shown, stats } = await locateFile(ctx, input, tool, 'Use write to create a new file.');
  const bytes = await readFile(absolute).catch((error: unknown) => fail(describeFsError(error, shown)));
  if (looksBinary(bytes)) fail(`${shown} looks like a binary file (it contains NUL bytes); ${tool} only changes text files.`);
  const refusal = staleReadRefusal(ctx.session, absolute, stats, shown);
  if (refusal) fail(refusal);
  const raw = bytes.toString('utf8');
  // A CRLF file is edited as if it had plain newlines, then converted back,
  // so strings copied from read (which shows no \r) still match.
  const crlf = usesCRLF(raw);
  return { absolute, shown, stats, crlf, text: crlf ? raw.replaceAll('\r\n', '\n') : raw };
}

/** Write the edited text back (with CRLF again if the file had it) and record the new stamp. */
export async function saveEdited(ctx: ToolContext, file: EditableFile, text: string, tool: string): Promise<void> {
  await writeFile(file.absolute, file.crlf ? text.replaceAll('\n', '\r\n') : text, 'utf8').catch((error: unknown) => {
    throw new ToolError(`could not write ${file.shown}: ${describeFsError(error, file.shown)}`, { tool });
  });
  recordFileStamp(ctx.session, file.absolute, await stat(file.absolute));
}

/** In a CRLF file, strings from the model are compared with newlines only. */
export function normalizeNewlines(text: string, crlf: boolean): string {
  return crlf ? text.replaceAll('\r\n', '\n') : text;
}

export type Replaced =
  | { ok: true; text: string; count: number; /** 1-based lines where the new text starts. */ lines: number[] }
  | { ok: false; error: string };

/**
 * Replace `oldString` with `newString` in `text`: exactly one occurrence, or
 * all of them with `replaceAll`. Refusals say how to fix the call.
 */
export function replaceExact(text: string, oldString: string, newString: string, replaceAll: boolean, shown: string): Replaced {
  if (oldString === newString) return { ok: false, error: 'old_string and new_string are the same; there is nothing to change.' };
  const found = occurrences(text, oldString);
  if (found.length === 0) return { ok: false, error: notFoundMessage(text, oldString, shown) };
  if (found.length > 1 && !replaceAll) {
    return {
      ok: false,
      error:
        `old_string occurs ${found.length} times in ${shown} (at lines ${listLines(lineNumbers(text, found))}). ` +
        'Include more surrounding lines to make it unique, or set replace_all to true to change every occurrence.',
    };
  }
  const targets = replaceAll ? found : found.slice(0, 1);
  const edited = replaceAt(text, targets, oldString.length, newString);
  // Where the new text sits in the edited file.
  const delta = newString.length - oldString.length;
  const lines = lineNumbers(
    edited,
    targets.map((index, i) => index + i * delta),
  );
  return { ok: true, text: edited, count: targets.length, lines };
}

/** How `edit` describes one replacement: the line or lines the new text covers. */
export function describeReplacement(newString: string, lines: number[]): string {
  if (lines.length > 1) return `replaced ${lines.length} occurrences (at lines ${listLines(lines)})`;
  const first = lines[0] ?? 1;
  const span = newlinesIn(newString.endsWith('\n') ? newString.slice(0, -1) : newString);
  const where = newString === '' ? `removed text at line ${first}` : span === 0 ? `line ${first}` : `lines ${first}-${first + span}`;
  return `replaced 1 occurrence (${where})`;
}

/** True when every newline in the file is part of a CRLF pair. Mixed files are edited byte for byte. */
export function usesCRLF(text: string): boolean {
  const crlf = text.split('\r\n').length - 1;
  return crlf > 0 && crlf === text.split('\n').length - 1;
}

/** Start indexes of the non-overlapping occurrences of `needle`. */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) found.push(i);
  return found;
}

function replaceAt(text: string, starts: number[], length: number, replacement: string): string {
  let out = '';
  let last = 0;
  for (const start of starts) {
    out += text.slice(last, start) + replacement;
    last = start + length;
  }
  return out + text.slice(last);
}

/** 1-based line numbers of ascending indexes, in one pass. */
function lineNumbers(text: string, indexes: number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let position = 0;
  for (const index of indexes) {
    line += newlinesIn(text.slice(position, index));
    position = index;
    lines.push(line);
  }
  return lines;
}

export function newlinesIn(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, LISTED_MATCHES).join(', ');
  return lines.length > LISTED_MATCHES ? `${shown}, …` : shown;
}

/** Why old_string did not match, as far as cheap checks can tell. */
function notFoundMessage(text: string, oldString: string, shown: string): string {
  let message = `old_string was not found in ${shown}.`;
  if (/^\s*\d+\t/m.test(oldString)) {
    message += ' It seems to include line-number prefixes from read output; leave those out.';
  } else if (collapseWhitespace(text).includes(collapseWhitespace(oldString))) {
    message += ' It does match when whitespace is ignored: copy the indentation, tabs or spaces, and line breaks exactly as the file has them.';
  } else {
    message += ' Read the file again to see its current content.';
  }
  return message;
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Patches bigger than this are left out of the result's metadata (the UI shows a summary instead). */
const MAX_DIFF_CHARS = 64 * 1024;

/**
 * The change as a unified diff, for the UI to show (`metadata.diff`); the
 * model gets the short summary. Undefined when the patch would be huge.
 */
export async function changeDiff(shown: string, before: string, after: string): Promise<string | undefined> {
  if (before.length + after.length > MAX_DIFF_CHARS * 8) return undefined;
  // Loaded on first use, like the rest of `diff`, so that starting a creature stays cheap.
  const { createTwoFilesPatch } = await import('diff');
  const patch = createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, undefined, undefined, { context: 3 });
  // The two header lines createTwoFilesPatch starts with ("Index:", "====") are noise here.
  const body = patch.slice(patch.indexOf('---'));
  return body.length > MAX_DIFF_CHARS ? undefined : body;
}
