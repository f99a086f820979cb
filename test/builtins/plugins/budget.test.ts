import { describe, expect, it } from 'vitest';
import { budgetPlugin } from '../../../source/builtins/plugins/budget.js';
import { ConfigError, PluginBlockError } from '../../../source/engine/errors.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { llmInfo, loaded, toolInfo } from './harness.js';

const messages: Message[] = [{ role: 'user', content: 'hi' }];
const lastText = (m: readonly Message[]) => String(m[m.length - 1]?.content);

describe('budget plugin', () => {
  it('alerts past the soft limit of model calls and blocks past the hard one', async () => {
    const { chain } = await loaded([{ definition: budgetPlugin, options: { turn_budget: [1, 2] } }]);
    expect(await chain.transform('preLlmCall', messages, llmInfo())).toBe(messages);
    const second = await chain.transform('preLlmCall', messages, llmInfo());
    expect(second).toHaveLength(2);
    expect(lastText(second)).toContain('model calls: 2 used, hard limit 2');
    const blocked = await chain.transform('preLlmCall', messages, llmInfo()).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(PluginBlockError);
    expect((blocked as Error).message).toBe('model calls budget exhausted: 2 used of 2');
  });

  it('blocks tool calls past their hard limit but still lets the model answer, and keeps counts in state', async () => {
    const { chain, state } = await loaded([{ definition: budgetPlugin, options: { tool_call_budget: [1, 2] } }]);
    await chain.transform('preToolExecute', {}, toolInfo());
    await chain.transform('preToolExecute', {}, toolInfo());
    await expect(chain.transform('preToolExecute', {}, toolInfo())).rejects.toThrow('tool calls budget exhausted: 2 used of 2');
    const sent = await chain.transform('preLlmCall', messages, llmInfo());
    expect(lastText(sent)).toContain('tool calls: 2 used, hard limit 2');
    expect(state.get('plugin:budget:tool_calls')).toBe(2);
  });

  it('counts wall time from agent start with the creature clock', async () => {
    const { chain, clock } = await loaded([{ definition: budgetPlugin, options: { walltime_budget: [10, 20] } }]);
    await chain.notify('onAgentStart');
    clock.now += 15_000;
    expect(lastText(await chain.transform('preLlmCall', messages, llmInfo()))).toContain('wall time: 15s used, hard limit 20s');
    clock.now += 6_000;
    await expect(chain.transform('preToolExecute', {}, toolInfo())).rejects.toThrow('wall time budget exhausted: 21s of 20s');
  });

  it('counts sub-agent model calls apart and blocks a new sub-agent run when they are spent', async () => {
    const { chain } = await loaded([{ definition: budgetPlugin, options: { subagent_turn_budget: [0, 1], turn_budget: [5, 5] } }]);
    const sub = { agentPath: ['alpha'], model: 'm', turnId: null, name: 'explore', jobId: 'j1', background: false };
    expect(await chain.transform('preSubagentRun', 'task', sub)).toBe('task');
    expect(lastText(await chain.transform('preLlmCall', messages, llmInfo('subagent')))).toContain('sub-agent model calls: 1 used');
    await expect(chain.transform('preSubagentRun', 'task', sub)).rejects.toThrow('sub-agent model calls budget exhausted');
    expect(await chain.transform('preLlmCall', messages, llmInfo())).toBe(messages);
  });

  it('can stay quiet below the hard limit', async () => {
    const { chain } = await loaded([{ definition: budgetPlugin, options: { turn_budget: [0, 3], inject_alert: false } }]);
    expect(await chain.transform('preLlmCall', messages, llmInfo())).toBe(messages);
  });

  it('refuses a soft limit above the hard one, naming the option', async () => {
    const error = await loaded([{ definition: budgetPlugin, options: { turn_budget: [5, 2] } }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("key 'options.turn_budget'");
    expect((error as Error).message).toContain('soft limit must not exceed the hard limit');
  });
});
