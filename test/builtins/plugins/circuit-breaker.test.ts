import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { circuitBreakerPlugin } from '../../../source/builtins/plugins/circuit-breaker.js';
import { ConfigError, PluginBlockError } from '../../../source/engine/errors.js';
import type { ToolCallInfo } from '../../../source/engine/plugins/hooks.js';
import { loaded, toolInfo } from './harness.js';

const failed = { output: 'Error: no such file\nmore', isError: true };
const ok = { output: 'fine', isError: false };

async function breaker(options: Record<string, unknown> = {}) {
  const harness = await loaded([{ definition: circuitBreakerPlugin, options }]);
  const call = async (tool: string, args: unknown, result: typeof ok, info: Partial<ToolCallInfo> = {}) => {
    const i = { ...toolInfo(tool), ...info };
    await harness.chain.transform('preToolExecute', args, i);
    await harness.chain.transform('postToolExecute', result, { ...i, args });
  };
  const attempt = (tool: string, args: unknown, info: Partial<ToolCallInfo> = {}) => harness.chain.transform('preToolExecute', args, { ...toolInfo(tool), ...info });
  return { ...harness, call, attempt };
}

describe('circuit_breaker plugin', () => {
  it('blocks a tool after `threshold` failures in a row, telling the model why, and a success closes it again', async () => {
    const { call, attempt, chain } = await breaker({ threshold: 2 });
    await call('read', { path: 'a' }, failed);
    await expect(attempt('read', { path: 'b' })).resolves.toBeDefined();
    await call('read', { path: 'b' }, failed);
    const blocked = await attempt('read', { path: 'c' }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(PluginBlockError);
    expect((blocked as Error).message).toContain('read failed 2 times in a row (last error: Error: no such file)');
    expect((blocked as Error).message).toContain('different approach');
    // Other tools are not affected.
    await expect(attempt('grep', {})).resolves.toBeDefined();
    // A success (e.g. the model fixed the path and the call got through another route) resets the count.
    await chain.transform('postToolExecute', ok, { ...toolInfo('read'), args: { path: 'ok' } });
    await expect(attempt('read', { path: 'c' })).resolves.toBeDefined();
  });

  it('with same_args counts each argument set on its own', async () => {
    const { call, attempt } = await breaker({ threshold: 1, same_args: true });
    await call('bash', { command: 'make', timeout: 5 }, failed);
    await expect(attempt('bash', { timeout: 5, command: 'make' })).rejects.toBeInstanceOf(PluginBlockError);
    await expect(attempt('bash', { command: 'make test' })).resolves.toBeDefined();
  });

  it('forgets failures older than `window` seconds, and starts afresh each turn', async () => {
    const { call, attempt, clock } = await breaker({ threshold: 1, window: 60 });
    await call('read', {}, failed);
    await expect(attempt('read', {})).rejects.toBeInstanceOf(PluginBlockError);
    clock.now += 61_000;
    await expect(attempt('read', {})).resolves.toBeDefined();
    await call('read', {}, failed);
    await expect(attempt('read', {})).rejects.toBeInstanceOf(PluginBlockError);
    await expect(attempt('read', {}, { turnId: 'turn_2' })).resolves.toBeDefined();
  });

  it('rejects bad options with a config error naming the key', async () => {
    await expect(breaker({ threshold: 0 })).rejects.toBeInstanceOf(ConfigError);
    await expect(breaker({ thresold: 2 })).rejects.toThrow(/thresold/);
  });

  it('in a creature: the third read of a missing file is refused and the model is told to change approach', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-breaker-'));
    const missing = { name: 'read', args: { path: 'nope.txt' } };
    const llm = new ScriptedLLM([{ toolCalls: [missing] }, { toolCalls: [missing] }, { toolCalls: [missing] }, { text: 'giving up on that file' }]);
    await using agent = await Agent.build('@kt-biome/creatures/general', { llm, pwd, projectInstructions: false, plugins: [{ plugin: 'circuit_breaker', options: { threshold: 2 } }] });
    await agent.run('read nope.txt');
    const tools = llm.calls[3]!.messages.filter((m) => m.role === 'tool');
    expect(tools).toHaveLength(3);
    expect(String(tools[2]!.content)).toContain('circuit_breaker: read failed 2 times in a row');
    expect(String(tools[1]!.content)).not.toContain('circuit_breaker');
  });
});
