/**
 * `cost_tracker`: what the session has cost so far, from the tokens of every
 * model call (the creature's, its sub-agents' and compaction's) and the
 * price table of the model presets. Reports after each call as a
 * `plugin.report` event, which the footer and `/status` show. Calls to a
 * model without a known price are counted as tokens and reported unpriced.
 */
import { z } from 'zod';
import type { Usage } from '../../engine/llm/messages.js';
import type { Pricing } from '../../engine/llm/profiles/types.js';
import { plugin } from '../../engine/plugins/define.js';
import { lazySchema } from '../../engine/tools/lazy-schema.js';

interface Totals {
  costUsd: number;
  input: number;
  output: number;
  cached: number;
  /** Models called whose price is not known. */
  unpriced: string[];
  /** The same figures for each model called (`costUsd` stays 0 for an unpriced one). */
  models?: Record<string, ModelTotals>;
}

export interface ModelTotals {
  input: number;
  output: number;
  cached: number;
  costUsd: number;
  calls: number;
}

/** Dollars for one call: uncached prompt tokens, cached ones at their own rate, then output. */
export function callCost(usage: Usage, price: Pricing): number {
  const cached = Math.min(usage.cached, usage.input);
  return ((usage.input - cached) * price.input + cached * (price.cached ?? price.input) + usage.output * price.output) / 1_000_000;
}

export const costTrackerPlugin = plugin({
  name: 'cost_tracker',
  description: 'Add up what model calls cost, from the preset price table',
  priority: 95,
  options: lazySchema(() => z.object({}).strict()),
  setup(ctx) {
    const totals: Totals = ctx.state.get<Totals>('totals') ?? { costUsd: 0, input: 0, output: 0, cached: 0, unpriced: [] };
    return {
      postLlmCall(_text, info) {
        const usage = info.usage;
        if (!usage) return;
        totals.input += usage.input;
        totals.output += usage.output;
        totals.cached += usage.cached;
        const models = (totals.models ??= {});
        const model = (models[info.model] ??= { input: 0, output: 0, cached: 0, costUsd: 0, calls: 0 });
        model.input += usage.input;
        model.output += usage.output;
        model.cached += usage.cached;
        model.calls += 1;
        const price = ctx.pricing?.(info.model);
        if (price) {
          const cost = callCost(usage, price);
          totals.costUsd += cost;
          model.costUsd += cost;
        } else if (!totals.unpriced.includes(info.model)) totals.unpriced.push(info.model);
        ctx.state.set('totals', totals);
        ctx.emit({ type: 'plugin.report', plugin: 'cost_tracker', data: { ...totals, unpriced: [...totals.unpriced], models: structuredClone(models) } });
      },
    };
  },
});
