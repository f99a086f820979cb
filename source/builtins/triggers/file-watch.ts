/**
 * `file_watch`: fire when files under `paths` (files, folders or globs,
 * relative to the creature's working directory) change. Changes within
 * `debounce_ms` (creature clock) are batched into one fire listing the
 * changed paths; while that turn runs, new changes wait for the next batch.
 */
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { TriggerContext, TriggerDefinition } from '../../engine/triggers/trigger.js';
import { fillTemplate } from './template.js';

const options = lazySchema(() => z.strictObject({
  paths: z.array(z.string().min(1)).min(1),
  debounce_ms: z.number().int().nonnegative().default(500),
  ignore: z.array(z.string().min(1)).default(['**/.git/**', '**/node_modules/**']),
  prompt: z.string().min(1).optional(),
}));

type Options = z.output<typeof options>;

/** One `paths` entry: the folder to watch and what under it counts (as cwd-relative posix paths). */
interface Watched {
  dir: string;
  matches: (path: string) => boolean;
}

function plan(entry: string, cwd: string): Watched {
  const scan = picomatch.scan(entry);
  if (scan.isGlob) return { dir: resolve(cwd, scan.base || '.'), matches: picomatch(entry, { dot: true }) };
  const full = resolve(cwd, entry);
  const rel = toPosix(relative(cwd, full));
  if (existsSync(full) && statSync(full).isDirectory()) return { dir: full, matches: (p) => rel === '' || p === rel || p.startsWith(`${rel}/`) };
  return { dir: resolve(full, '..'), matches: (p) => p === rel };
}

const toPosix = (p: string) => p.split(sep).join('/');

export const fileWatchTrigger: TriggerDefinition<Options> = {
  kind: 'file_watch',
  description: 'fires when files under the given paths change (batched, debounced)',
  options,
  create(o) {
    const watchers: FSWatcher[] = [];
    const pending = new Set<string>();
    let cancel: (() => void) | undefined;
    return {
      kind: 'file_watch',
      // The pending count tells a UI (and a test) that changes were seen and a fire is coming.
      describe: () => `changes in ${o.paths.join(', ')}${pending.size ? ` (${pending.size} change${pending.size === 1 ? '' : 's'} pending)` : ''}`,
      start(ctx) {
        const ignored = picomatch(o.ignore, { dot: true });
        const flush = () => {
          cancel = undefined;
          if (!pending.size || ctx.signal.aborted) return;
          const files = [...pending].sort();
          const content = o.prompt ? fillTemplate(o.prompt, { files: files.join('\n') }) : `Files changed:\n${files.join('\n')}`;
          // Dropped while the previous batch's turn runs: keep the changes and try after another window.
          if (ctx.fire({ content, stackable: false, context: { files } }).accepted) pending.clear();
          else cancel = ctx.clock.setTimer(flush, o.debounce_ms);
        };
        const seen = (path: string) => {
          pending.add(path);
          cancel?.();
          cancel = ctx.clock.setTimer(flush, o.debounce_ms);
        };
        for (const entry of o.paths) watchers.push(watchEntry(plan(entry, ctx.cwd), ctx, ignored, seen));
      },
      stop() {
        cancel?.();
        for (const w of watchers) w.close();
      },
    };
  },
};

function watchEntry(target: Watched, ctx: TriggerContext, ignored: (p: string) => boolean, seen: (path: string) => void): FSWatcher {
  if (!existsSync(target.dir)) throw new Error(`cannot watch ${toPosix(relative(ctx.cwd, target.dir)) || '.'}: no such folder`);
  const watcher = watch(target.dir, { recursive: true }, (_event, name) => {
    if (!name) return;
    const path = toPosix(relative(ctx.cwd, resolve(target.dir, name.toString())));
    if (ignored(path) || !target.matches(path)) return;
    seen(path);
  });
  watcher.on('error', (error) => ctx.warn(`watching ${target.dir} failed: ${error.message}`));
  return watcher;
}
