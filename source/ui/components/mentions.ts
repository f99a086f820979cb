/**
 * `@path` in a prompt: the file's text is attached to the message, so the
 * model sees it without a read round. Completion offers the entries of the
 * folder being typed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileBlock, withFiles } from '../state/attachments.js';

/** Files bigger than this are left for the model to read with its tools. */
const MAX_INLINE_BYTES = 256 * 1024;
const MENTION = /(^|\s)@([^\s@]+)/g;

/** The prompt with each mentioned readable text file attached after it. */
export async function inlineMentions(prompt: string, cwd: string): Promise<{ text: string; attached: string[] }> {
  const attached: string[] = [];
  const blocks: string[] = [];
  for (const match of prompt.matchAll(MENTION)) {
    const shown = match[2]!.replace(/[.,;:!?)]+$/, '');
    if (attached.includes(shown)) continue;
    const absolute = path.resolve(cwd, shown);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile() || info.size > MAX_INLINE_BYTES) continue;
    const bytes = await readFile(absolute);
    if (bytes.includes(0)) continue; // binary
    attached.push(shown);
    blocks.push(fileBlock(shown, bytes.toString('utf8')));
  }
  return { text: withFiles(prompt, blocks), attached };
}

/** The `@word` the cursor is in, if any: its start column and the text after `@`. */
export function mentionAt(line: string, col: number): { start: number; partial: string } | undefined {
  const before = line.slice(0, col);
  const match = /(^|\s)@([^\s@]*)$/.exec(before);
  if (!match) return undefined;
  return { start: col - match[2]!.length - 1, partial: match[2]! };
}

/** Paths completing `partial` (relative to cwd); folders end in `/`. Hidden entries only when asked for. */
export async function completePath(partial: string, cwd: string, limit = 50): Promise<string[]> {
  const slash = partial.lastIndexOf('/');
  const folder = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const prefix = partial.slice(slash + 1);
  const entries = await readdir(path.resolve(cwd, folder || '.'), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.name.startsWith(prefix) && (prefix.startsWith('.') || !e.name.startsWith('.')) && e.name !== 'node_modules')
    .map((e) => `${folder}${e.name}${e.isDirectory() ? '/' : ''}`)
    .sort()
    .slice(0, limit);
}
