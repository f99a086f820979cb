/**
 * `output: {type: stdout}` (the default): the answer goes wherever the
 * surface that runs the creature shows it. kt's renderers and the terminal
 * app print the events themselves, and a library caller gets the text from
 * `run()`, so the engine module does nothing; it exists so the type can be
 * named (and carry `named_outputs`) like any other.
 */
import { z } from 'zod';
import type { OutputDefinition } from '../../engine/io/catalog.js';
import { lazySchema } from '../../engine/tools/lazy-schema.js';

export const stdoutOutput: OutputDefinition<Record<string, never>> = {
  kind: 'stdout',
  description: "the surface's own output (kt prints the answer; run() returns it)",
  options: lazySchema(() => z.object({}).strict() as unknown as z.ZodType<Record<string, never>>),
  create: () => ({ kind: 'stdout', describe: () => 'the terminal' }),
};
