import { describe, expect, it } from 'vitest';
import { compactAutoPlugin } from '../../../source/builtins/plugins/compact-auto.js';
import { HookChain } from '../../../source/engine/plugins/chain.js';
import { loadPlugins } from '../../../source/engine/plugins/load.js';
import { llmInfo } from './harness.js';

describe('compact.auto plugin', () => {
  it('asks the compactor after each controller call with its own threshold, and ignores sub-agent calls', async () => {
    const requests: unknown[] = [];
    const chain = new HookChain({ emit: () => undefined, scope: () => ({ agent: 'alpha', model: 'm' }) });
    await loadPlugins(chain, [{ definition: compactAutoPlugin, options: { threshold_ratio: 0.5, min_messages: 10 } }], {
      agentName: 'alpha',
      cwd: '/tmp',
      emit: () => undefined,
      state: { get: () => undefined, set: () => undefined },
      now: () => 0,
      compaction: {
        request: async (tokens, options) => {
          requests.push([tokens, options]);
          return { started: false, reason: 'below_threshold' };
        },
      },
    });
    const usage = { input: 1234, output: 5, cached: 0 };
    await chain.transform('postLlmCall', 'x', { ...llmInfo(), messages: [], toolCalls: [], usage });
    await chain.transform('postLlmCall', 'x', { ...llmInfo('subagent'), messages: [], toolCalls: [], usage });
    expect(requests).toEqual([[1234, { threshold: 0.5, minMessages: 10 }]]);
  });
});
