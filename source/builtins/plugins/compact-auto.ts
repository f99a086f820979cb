/**
 * `compact.auto` (pack `auto-compact`): ask for a compaction after every
 * model call of the creature whose prompt passed a threshold. The creature
 * already checks its own `compact:` threshold between rounds; this plugin is
 * for a different trigger point (`threshold_ratio`) or a floor on how long
 * the conversation must be first (`min_messages`). Compaction itself stays
 * non-blocking: the call returns at once and the summary runs beside the turn.
 */
import { z } from 'zod';
import { plugin } from '../../engine/plugins/define.js';
import { lazySchema } from '../../engine/tools/lazy-schema.js';

export const compactAutoPlugin = plugin({
  name: 'compact.auto',
  description: 'Compact the conversation when a model call passes a share of the context window',
  priority: 30,
  options: lazySchema(() =>
    z
      .object({
        /** Fraction of the context window; default the creature's `compact.threshold`. */
        threshold_ratio: z.number().gt(0).max(1).optional(),
        /** Leave conversations with fewer messages alone. */
        min_messages: z.number().int().nonnegative().default(0),
      })
      .strict(),
  ),
  setup(ctx) {
    const { threshold_ratio: threshold, min_messages: minMessages } = ctx.options;
    return {
      async postLlmCall(_text, info) {
        if (info.purpose !== 'controller' || !info.usage || !ctx.compaction) return;
        await ctx.compaction.request(info.usage.input, { ...(threshold !== undefined ? { threshold } : {}), minMessages });
      },
    };
  },
});
