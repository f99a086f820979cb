/**
 * `context_files`: the project's agent instruction files (`AGENTS.md`,
 * `CLAUDE.md`, `.cursorrules`), from the working directory up to the
 * repository root, read fresh for every model call, so an edit made during
 * a session counts from the next round on.
 *
 * The system prompt already carries AGENTS.md and CLAUDE.md as they were
 * when the creature was built. A file whose current text is in the prompt
 * word for word is not sent again; a file that changed since (or one the
 * prompt never loads, like `.cursorrules`) is appended to the system
 * message, marked as the current version. Files are re-read only when
 * their size or modification time changes.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { Message } from '../../engine/llm/messages.js';
import { plugin } from '../../engine/plugins/define.js';

const options = lazySchema(() => z
  .object({
    files: z.array(z.string().min(1)).min(1).default(['AGENTS.md', 'CLAUDE.md', '.cursorrules']),
    /** Total bytes of file text to send; files past it are left out, outermost first kept. */
    max_bytes: z.number().int().positive().default(32 * 1024),
    /** Also for sub-agents' and compaction's model calls. */
    all_calls: z.boolean().default(false),
  })
  .strict());

interface Cached {
  mtimeMs: number;
  size: number;
  text: string;
}

/** Folders from the repository root (or the file-system root) down to `cwd`. */
function foldersFromTop(cwd: string): string[] {
  const chain: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    chain.push(dir);
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
  }
  return chain.reverse();
}

export const contextFilesPlugin = plugin({
  name: 'context_files',
  description: 'Send AGENTS.md, CLAUDE.md and .cursorrules as they are now, on every model call',
  priority: 60,
  options,
  setup(ctx) {
    const folders = foldersFromTop(ctx.cwd);
    const cache = new Map<string, Cached>();

    async function current(file: string): Promise<string | undefined> {
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) {
        cache.delete(file);
        return undefined;
      }
      const hit = cache.get(file);
      if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.text;
      const text = (await readFile(file, 'utf8')).trim();
      cache.set(file, { mtimeMs: info.mtimeMs, size: info.size, text });
      return text;
    }

    async function section(system: string): Promise<string | undefined> {
      const parts: string[] = [];
      let used = 0;
      for (const folder of folders)
        for (const name of ctx.options.files) {
          const file = path.join(folder, name);
          const text = await current(file);
          // Empty, or already in the prompt exactly as it is now: nothing new to say.
          if (!text || system.includes(text)) continue;
          const size = Buffer.byteLength(text, 'utf8');
          if (used + size > ctx.options.max_bytes) continue;
          used += size;
          const shown = path.relative(ctx.cwd, file).split(path.sep).join('/') || name;
          parts.push(`### ${shown}\n\n${text}`);
        }
      if (!parts.length) return undefined;
      return `## Project instruction files (current version; where a file also appears above, this copy replaces it)\n\n${parts.join('\n\n')}`;
    }

    return {
      async preLlmCall(messages, info) {
        if (info.purpose !== 'controller' && !ctx.options.all_calls) return;
        const first = messages[0];
        const system = first?.role === 'system' ? first.content : '';
        const extra = await section(system);
        if (!extra) return;
        const head: Message = { role: 'system', content: system ? `${system}\n\n${extra}` : extra };
        return first?.role === 'system' ? [head, ...messages.slice(1)] : [head, ...messages];
      },
    };
  },
});
