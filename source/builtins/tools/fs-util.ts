/**
 * Filesystem helpers shared by the built-in file tools: resolving the model's
 * paths, spotting binary files, numbering lines, the read-state record that
 * read-before-write guards build on. The gitignore-aware file search behind
 * `glob` and `grep` is in walk.ts.
 */
import type { Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ToolSession } from '../../engine/tools/tool.js';
import { editDistance } from '../../engine/util/close-match.js';

// ---------------------------------------------------------------- paths

/** Absolute path for a path the model gave: `~` is the home folder, relative paths start at `cwd`. */
export function resolvePath(cwd: string, input: string): string {
  if (input === '~') return os.homedir();
  if (input.startsWith('~/')) return path.join(os.homedir(), input.slice(2));
  return path.resolve(cwd, input);
}

/** How to show a path back to the model: relative to `cwd` when inside it, else absolute. */
export function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return absolute;
  return relative;
}

/** `stat`, or undefined when nothing is there. Other failures (permissions, ...) still throw. */
export async function statIfExists(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A filesystem error in words the model can act on, naming the path as it knows it. */
export function describeFsError(error: unknown, shown: string): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return `${shown} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied for ${shown}`;
    case 'ENOTDIR':
      return `a parent of ${shown} is a file, not a directory`;
    case 'EISDIR':
      return `${shown} is a directory`;
    case 'EROFS':
      return `${shown} is on a read-only filesystem`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A sibling whose name is close to the missing one (typo, wrong case, wrong
 * extension), for "did you mean" hints. One readdir; big folders are skipped.
 */
export async function closeMatch(missing: string): Promise<string | undefined> {
  const folder = path.dirname(missing);
  const wanted = path.basename(missing);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return undefined;
  }
  if (names.length > 2000) return undefined;
  const lower = wanted.toLowerCase();
  const stem = stemOf(lower);
  // Short names tolerate fewer typos, or every `a.ts` would "match" `b.ts`.
  const typos = Math.min(2, Math.max(1, Math.floor(lower.length / 4)));
  let best: { name: string; score: number } | undefined;
  for (const name of names) {
    const candidate = name.toLowerCase();
    let score: number;
    if (candidate === lower) score = 0;
    else if (stemOf(candidate) === stem) score = 1;
    else if (Math.abs(candidate.length - lower.length) > typos) continue;
    else score = 1 + editDistance(lower, candidate);
    if (score <= 1 + typos && (!best || score < best.score)) best = { name, score };
  }
  return best ? path.join(folder, best.name) : undefined;
}

function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

// ---------------------------------------------------------------- content

/** How much of a file's start is checked for NUL bytes, as git and grep do. */
export const BINARY_SNIFF_BYTES = 8192;

/** Text files do not contain NUL bytes; nearly every binary format does, early on. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** A file's first `bytes` bytes (fewer if it is shorter): enough to judge its kind cheaply. */
export async function readHead(file: string, bytes = BINARY_SNIFF_BYTES): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Reads only the first few KiB, so huge files are judged cheaply. */
export async function isBinaryFile(file: string): Promise<boolean> {
  return looksBinary(await readHead(file));
}

/** Lines longer than this are cut in `read` output: minified code would otherwise flood the context. */
export const MAX_LINE_CHARS = 2000;

/** Cut a long line, saying how long it really was. `length` is the full length when `text` is already a prefix. */
export function cutLine(text: string, max = MAX_LINE_CHARS, length = text.length): string {
  if (length <= max) return text;
  let end = Math.min(max, text.length);
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}… [line cut: ${length} characters in all]`;
}

/** One line as `cat -n` shows it: the number right-aligned in six columns, a tab, the text. */
export function numberedLine(lineNumber: number, text: string, length = text.length): string {
  return `${String(lineNumber).padStart(6)}\t${cutLine(text, MAX_LINE_CHARS, length)}`;
}

/** Lines in a text as an editor counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return text.endsWith('\n') ? count : count + 1;
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

// ---------------------------------------------------------------- read state

/** Key in `ToolSession.state` of the files this creature has read or written. */
export const READ_STATE_KEY = 'read.files';

/** What a file looked like when the creature last read or wrote it. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
}

/** The creature's map of absolute path → stamp, created on first use. */
export function fileStamps(session: ToolSession): Map<string, FileStamp> {
  const existing = session.state.get(READ_STATE_KEY);
  if (existing instanceof Map) return existing as Map<string, FileStamp>;
  const created = new Map<string, FileStamp>();
  session.state.set(READ_STATE_KEY, created);
  return created;
}

export function recordFileStamp(session: ToolSession, absolute: string, stats: FileStamp): void {
  fileStamps(session).set(absolute, { mtimeMs: stats.mtimeMs, size: stats.size });
}

/**
 * The read-before-write guard: an existing file may only be changed after the
 * creature has read it (or written it) and while it is as it was then. The
 * refusal, or undefined when the change may go ahead. `how` names the tool
 * that reads this kind of file.
 */
export function staleReadRefusal(session: ToolSession, absolute: string, current: FileStamp, shown: string, how = 'read'): string | undefined {
  const seen = fileStamps(session).get(absolute);
  if (!seen) return `${shown} has not been read yet. Read it with ${how} first, so the change is based on its current content.`;
  if (seen.mtimeMs !== current.mtimeMs || seen.size !== current.size) {
    return `${shown} has changed since it was last read (by another tool, a command or the user). Read it again with ${how} before changing it.`;
  }
  return undefined;
}
