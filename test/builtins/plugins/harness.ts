import type { EventDraft } from '../../../source/engine/events.js';
import { HookChain } from '../../../source/engine/plugins/chain.js';
import type { LlmCallInfo, ToolCallInfo } from '../../../source/engine/plugins/hooks.js';
import { loadPlugins, type PluginSpec } from '../../../source/engine/plugins/load.js';

/** A chain with the given plugins loaded, a settable clock and an in-memory state table. */
export async function loaded(specs: PluginSpec[], cwd = '/tmp') {
  const emitted: EventDraft[] = [];
  const state = new Map<string, unknown>();
  const clock = { now: 1_000_000 };
  const chain = new HookChain({ emit: (d) => emitted.push(d), scope: () => ({ agent: 'alpha', model: 'openai/test' }) });
  await loadPlugins(chain, specs, {
    agentName: 'alpha',
    cwd,
    emit: (d) => emitted.push(d),
    state: { get: <T>(k: string) => state.get(k) as T | undefined, set: (k, v) => void state.set(k, v) },
    now: () => clock.now,
  });
  return { chain, emitted, state, clock };
}

export const llmInfo = (purpose: LlmCallInfo['purpose'] = 'controller', step = 1): LlmCallInfo => ({
  agentPath: purpose === 'subagent' ? ['alpha', 'explore'] : ['alpha'],
  model: 'openai/test',
  turnId: 'turn_1',
  purpose,
  tools: [],
  step,
});

export const toolInfo = (toolName = 'bash'): ToolCallInfo => ({ agentPath: ['alpha'], model: 'openai/test', turnId: 'turn_1', callId: 'c1', toolName, background: false });
