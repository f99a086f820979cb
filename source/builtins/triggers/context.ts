/**
 * `context`: fire after the conversation changed, once things settle
 * (`debounce_ms` on the creature's clock). Changes made by this trigger's
 * own turns are ignored, so it never wakes itself up in a loop.
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { TriggerDefinition } from '../../engine/triggers/trigger.js';

const options = lazySchema(() => z.strictObject({
  prompt: z.string().min(1).default('The conversation changed. Review it and act if something needs doing.'),
  debounce_ms: z.number().int().nonnegative().default(100),
}));

export const contextTrigger: TriggerDefinition<z.output<typeof options>> = {
  kind: 'context',
  description: 'fires after the conversation changes (debounced); ignores its own turns',
  options,
  create(o) {
    let cancel: (() => void) | undefined;
    let unlisten: (() => void) | undefined;
    return {
      kind: 'context',
      describe: () => `after conversation changes (debounce ${o.debounce_ms} ms)`,
      start(ctx) {
        unlisten = ctx.onConversationChange((change) => {
          if (change.triggerId === ctx.id) return;
          cancel?.();
          cancel = ctx.clock.setTimer(() => {
            cancel = undefined;
            ctx.fire({ content: o.prompt, stackable: false, context: { after: change.turnId, source: change.source } });
          }, o.debounce_ms);
        });
      },
      stop() {
        cancel?.();
        unlisten?.();
      },
    };
  },
};
