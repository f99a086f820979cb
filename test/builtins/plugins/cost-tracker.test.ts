import { describe, expect, it } from 'vitest';
import { callCost, costTrackerPlugin } from '../../../source/builtins/plugins/cost-tracker.js';
import { HookChain } from '../../../source/engine/plugins/chain.js';
import { loadPlugins } from '../../../source/engine/plugins/load.js';
import type { EventDraft } from '../../../source/engine/events.js';
import { llmInfo } from './harness.js';

describe('cost_tracker plugin', () => {
  it('prices uncached, cached and output tokens separately', () => {
    expect(callCost({ input: 1_000_000, output: 1_000_000, cached: 400_000 }, { input: 3, output: 15, cached: 0.3 })).toBeCloseTo(0.6 * 3 + 0.4 * 0.3 + 15, 10);
    expect(callCost({ input: 2000, output: 0, cached: 2000 }, { input: 1, output: 2 })).toBeCloseTo(0.002, 10);
  });

  it('adds every priced call, lists unpriced models, reports after each call and keeps totals in state', async () => {
    const emitted: EventDraft[] = [];
    const state = new Map<string, unknown>();
    const chain = new HookChain({ emit: (d) => emitted.push(d), scope: () => ({ agent: 'alpha', model: 'openai/gpt-4o-mini' }) });
    await loadPlugins(chain, [{ definition: costTrackerPlugin }], {
      agentName: 'alpha',
      cwd: '/tmp',
      emit: (d) => emitted.push(d),
      state: { get: <T>(k: string) => state.get(k) as T | undefined, set: (k, v) => void state.set(k, v) },
      now: () => 0,
      pricing: (model) => (model === 'openai/gpt-4o-mini' ? { input: 0.15, output: 0.6, cached: 0.075 } : undefined),
    });
    const call = (model: string, usage: { input: number; output: number; cached: number }) =>
      chain.transform('postLlmCall', 'text', { ...llmInfo(), model, messages: [], toolCalls: [], usage });
    await call('openai/gpt-4o-mini', { input: 1_000_000, output: 100_000, cached: 0 });
    await call('local/llama', { input: 500, output: 50, cached: 0 });
    const last = emitted[emitted.length - 1];
    expect(last).toMatchObject({ type: 'plugin.report', plugin: 'cost_tracker' });
    const data = (last as { data: Record<string, unknown> }).data;
    expect(data['costUsd']).toBeCloseTo(0.15 + 0.06, 10);
    expect(data).toMatchObject({ input: 1_000_500, output: 100_050, unpriced: ['local/llama'] });
    expect(state.get('plugin:cost_tracker:totals')).toMatchObject({ input: 1_000_500 });
  });
});
