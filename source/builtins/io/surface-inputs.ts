/**
 * `input: cli` and `input: none`. `cli` is the surface's own input (the
 * terminal app, the REPL, -p): no engine module runs for it, the type is
 * registered so configs can name it. `none` means nobody types: the
 * creature's triggers drive it, and kt keeps it running until Ctrl+C.
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { InputDefinition } from '../../engine/io/catalog.js';

const noOptions = lazySchema(() => z.object({}).strict() as unknown as z.ZodType<Record<string, never>>);

export const cliInput: InputDefinition<Record<string, never>> = {
  kind: 'cli',
  description: "the surface's own input (kt's terminal app, the REPL, -p, piped stdin)",
  options: noOptions,
  create: () => ({ kind: 'cli', start: () => undefined }),
};

export const noneInput: InputDefinition<Record<string, never>> = {
  kind: 'none',
  description: 'no input: only triggers drive the creature',
  options: noOptions,
  create: () => ({ kind: 'none', describe: () => 'no input (triggers only)', start: () => undefined }),
};
