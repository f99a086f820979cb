/**
 * `event_logger`: every event of the creature, one JSON object per line, to
 * a file — for piping into other tools or keeping an audit trail outside the
 * session database. Events are already redacted when they reach plugins.
 * The file is private to the user (0600) and appended to, never truncated.
 */
import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { matchesType } from '../../engine/events.js';
import { plugin } from '../../engine/plugins/define.js';

const options = lazySchema(() => z
  .object({
    /** Where to write; relative paths are taken from the creature's working directory. */
    path: z.string().min(1).default('kt-events.jsonl'),
    /** Only these types, or type prefixes ending in a dot (`tool.`); all when absent. */
    types: z.array(z.string()).optional(),
  })
  .strict());

export const eventLoggerPlugin = plugin({
  name: 'event_logger',
  description: 'Write every event as a JSON line to a file',
  priority: 90,
  options,
  setup(ctx) {
    const path = isAbsolute(ctx.options.path) ? ctx.options.path : join(ctx.cwd, ctx.options.path);
    const types = ctx.options.types;
    const fd = openSync(path, 'a', 0o600);
    fchmodSync(fd, 0o600);
    let open = true;
    return {
      onEvent(event) {
        if (!open || (types && !types.some((t) => matchesType(event, t)))) return;
        // Synchronous, so lines keep event order and nothing is lost if the process exits right after.
        writeSync(fd, `${JSON.stringify(event)}\n`);
      },
      onUnload() {
        if (!open) return;
        open = false;
        closeSync(fd);
      },
    };
  },
});
