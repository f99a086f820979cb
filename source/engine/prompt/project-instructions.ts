/**
 * Project instructions: the `AGENTS.md` / `CLAUDE.md` files a project keeps
 * for coding agents, found from the working directory up to the repository
 * root (or the file-system root outside a repository).
 *
 * Order is outermost first, so the most specific instructions (nearest the
 * working directory) come last, where they read as the final word. Within a
 * folder: `AGENTS.md`, `CLAUDE.md`, `.claude/CLAUDE.md`. A file reached
 * twice (a `CLAUDE.md` symlinked to `AGENTS.md`) is included once; empty
 * files are skipped.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { statOrUndefined } from '../util/fs-probe.js';

/** Per folder, in this order. */
export const INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md', path.join('.claude', 'CLAUDE.md')] as const;

/** The default total size of the included files' text (UTF-8 bytes). */
export const DEFAULT_INSTRUCTIONS_BYTES = 32 * 1024;

export interface InstructionFile {
  /** Absolute path. */
  path: string;
  /** As shown in the heading: relative to the working directory, `/`-separated. */
  display: string;
  /** The text included in the prompt (shortened when the cap cut it). */
  content: string;
  /** Size of the whole file's text, in UTF-8 bytes. */
  bytes: number;
  /** Whether `content` is only the start of the file. */
  cut: boolean;
}

export interface ProjectInstructions {
  /** The files included, outermost first. */
  files: InstructionFile[];
  /** Files found but left out because the cap was reached. */
  omitted: string[];
  truncated: boolean;
  /** The `## Project instructions` section; '' when no file was found. */
  text: string;
}

export interface ProjectInstructionsOptions {
  /** Total bytes of file text to include. Default 32 KiB. */
  maxBytes?: number;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The folders from the repository root (or file-system root) down to `cwd`. */
function foldersFromTop(cwd: string): string[] {
  const chain: string[] = [];
  for (let current = path.resolve(cwd); ; current = path.dirname(current)) {
    chain.push(current);
    // `.git` is a folder in a clone and a file in worktrees and submodules.
    if (existsSync(path.join(current, '.git'))) break;
    if (path.dirname(current) === current) break;
  }
  return chain.reverse();
}

/** Keep whole lines while they fit; if not even one does, keep whole characters. */
function cutToBytes(text: string, max: number): string {
  let used = 0;
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const size = bytes(line) + (kept.length > 0 ? 1 : 0);
    if (used + size > max) break;
    kept.push(line);
    used += size;
  }
  if (kept.length > 0) return kept.join('\n').trimEnd();
  let out = '';
  for (const char of text) {
    if (bytes(out) + bytes(char) > max) break;
    out += char;
  }
  return out.trimEnd();
}

/**
 * Find and read the project's instruction files, within a size cap. The
 * reads are synchronous: a dozen stats of mostly missing files, where
 * `fs/promises` would add a thread-pool round trip and a promise to each.
 */
export async function loadProjectInstructions(cwd: string, options: ProjectInstructionsOptions = {}): Promise<ProjectInstructions> {
  const maxBytes = Math.max(0, options.maxBytes ?? DEFAULT_INSTRUCTIONS_BYTES);
  const root = path.resolve(cwd);
  const found: Array<{ path: string; text: string }> = [];
  const seen = new Set<string>();
  for (const folder of foldersFromTop(root)) {
    for (const name of INSTRUCTION_FILES) {
      const file = path.join(folder, name);
      if (!statOrUndefined(file)?.isFile()) continue;
      const real = realOrSelf(file);
      if (seen.has(real)) continue;
      seen.add(real);
      const text = readOrEmpty(file);
      const trimmed = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').trim();
      if (trimmed) found.push({ path: file, text: trimmed });
    }
  }

  const files: InstructionFile[] = [];
  const omitted: string[] = [];
  let remaining = maxBytes;
  for (const entry of found) {
    const display = path.relative(root, entry.path).split(path.sep).join('/');
    const size = bytes(entry.text);
    if (size <= remaining) {
      files.push({ path: entry.path, display, content: entry.text, bytes: size, cut: false });
      remaining -= size;
      continue;
    }
    const content = remaining > 0 ? cutToBytes(entry.text, remaining) : '';
    if (content) files.push({ path: entry.path, display, content, bytes: size, cut: true });
    else omitted.push(display);
    remaining = 0;
  }
  const truncated = files.some((f) => f.cut) || omitted.length > 0;
  return { files, omitted, truncated, text: renderInstructions(files, omitted, maxBytes) };
}

function realOrSelf(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return file;
  }
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function renderInstructions(files: readonly InstructionFile[], omitted: readonly string[], maxBytes: number): string {
  if (files.length === 0 && omitted.length === 0) return '';
  const parts = ['## Project instructions'];
  for (const file of files) {
    parts.push(`### ${file.display}\n\n${file.content}${file.cut ? `\n\n[… ${file.display} continues; cut here]` : ''}`);
  }
  if (files.some((f) => f.cut) || omitted.length > 0) {
    const cut = files.filter((f) => f.cut).map((f) => f.display);
    const what = [cut.length ? `shortened ${cut.join(', ')}` : '', omitted.length ? `left out ${omitted.join(', ')}` : ''].filter(Boolean).join('; ');
    parts.push(`[Project instructions are capped at ${maxBytes} bytes: ${what}. Read those files for the rest.]`);
  }
  return parts.join('\n\n');
}
