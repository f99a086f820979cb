/**
 * `startup`: fire once when the creature starts a new session
 * (`startup_trigger: {prompt}` in a config becomes one). A resumed session
 * remembers that it fired and stays quiet.
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { TriggerDefinition } from '../../engine/triggers/trigger.js';

const options = lazySchema(() => z.strictObject({ prompt: z.string().min(1) }));

export const startupTrigger: TriggerDefinition<z.output<typeof options>> = {
  kind: 'startup',
  description: 'fires once when a new session starts (not on resume)',
  options,
  create(o) {
    let done = false;
    return {
      kind: 'startup',
      describe: () => (done ? 'at startup (done)' : 'at startup'),
      start(ctx) {
        done = ctx.saved?.fired === true;
        if (done) return;
        done = true;
        ctx.save({ fired: true });
        ctx.fire({ content: o.prompt });
      },
    };
  },
};
