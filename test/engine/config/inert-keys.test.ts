/**
 * Keys the original accepts: each one either does what it says (asserted on
 * the request that reaches the provider) or warns that it has no effect,
 * with file, key path and line. None is silently ignored.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCreature } from '../../../source/engine/config/loader.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SubagentCatalog } from '../../../source/engine/creature/subagent-catalog.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { resolveLLM } from '../../../source/engine/llm/resolve.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../fakes/openai-server.js';
import { configHome, tempTree } from '../../helpers/temp-tree.js';

const env = configHome();
const NO_EFFECT = 'is accepted but not supported yet; it has no effect';

describe('accepted keys without an effect warn with file, key path and line', () => {
  it('controller, termination, top-level, tool and sub-agent keys', () => {
    const root = tempTree({
      'c/config.yaml': [
        'name: c', // 1
        'controller:', // 2
        '  auth_mode: codex-oauth', // 3
        '  max_messages: 50', // 4
        '  ephemeral: true', // 5
        'termination:', // 6
        '  idle_timeout: 30', // 7
        '  max_tokens: 1000', // 8
        'max_messages: 10', // 9
        'ephemeral: false', // 10
        'sanitize_orphan_tool_calls: false', // 11
        'tools:', // 12
        '  - name: read', // 13
        '    doc: docs/read.md', // 14
        '    notify_controller_on_background_complete: false', // 15
        'subagents:', // 16
        '  - name: helper', // 17
        '    system_prompt: Help.', // 18
        '    output_to: external', // 19
        '    context_mode: queue_append', // 20
        '    tool_format: xml', // 21
        '    return_as_context: true', // 22
        '    budget_inherit: false', // 23
        '    budget_allocation: 5', // 24
        '    memory_path: mem', // 25
        '    interactive: true', // 26
        '    default_plugins: [x]', // 27
        '    plugins: [x]', // 28
        '    compact: {}', // 29
        '    notify_controller_on_background_complete: true', // 30
        '    module: m', // 31
        '    config: c', // 32
      ].join('\n'),
    });
    const file = join(root, 'c', 'config.yaml');
    const def = loadCreature(join(root, 'c'), { env });
    expect(def.warnings.every((w) => w.file === file)).toBe(true);
    const got = def.warnings.map((w) => `${w.line} ${w.message}`).sort((a, b) => parseInt(a) - parseInt(b));
    expect(got).toEqual([
      `3 'controller.auth_mode' ${NO_EFFECT} (the provider decides how to authenticate (kt login))`,
      `4 'controller.max_messages' ${NO_EFFECT}`,
      `5 'controller.ephemeral' ${NO_EFFECT}`,
      `8 'termination.max_tokens' ${NO_EFFECT}`,
      `9 'max_messages' ${NO_EFFECT}`,
      `10 'ephemeral' ${NO_EFFECT}`,
      `11 'sanitize_orphan_tool_calls' ${NO_EFFECT} (tool calls without results are always repaired before sending)`,
      `14 'tools[0].doc' ${NO_EFFECT}`,
      `15 'tools[0].notify_controller_on_background_complete' ${NO_EFFECT}`,
      `19 'subagents[0].output_to' ${NO_EFFECT}`,
      `20 'subagents[0].context_mode' ${NO_EFFECT}`,
      `21 'subagents[0].tool_format' ${NO_EFFECT}`,
      `22 'subagents[0].return_as_context' ${NO_EFFECT}`,
      `23 'subagents[0].budget_inherit' ${NO_EFFECT} (sub-agents always share the max_iterations budget)`,
      `24 'subagents[0].budget_allocation' ${NO_EFFECT}`,
      `25 'subagents[0].memory_path' ${NO_EFFECT}`,
      `26 'subagents[0].interactive' ${NO_EFFECT}`,
      `27 'subagents[0].default_plugins' ${NO_EFFECT}`,
      `28 'subagents[0].plugins' ${NO_EFFECT}`,
      `29 'subagents[0].compact' ${NO_EFFECT}`,
      `30 'subagents[0].notify_controller_on_background_complete' ${NO_EFFECT}`,
      `31 'subagents[0].module' ${NO_EFFECT}`,
      `32 'subagents[0].config' ${NO_EFFECT}`,
    ]);
  });

  it('values this version already honours do not warn', () => {
    const root = tempTree({
      'c/config.yaml': 'name: c\nsanitize_orphan_tool_calls: true\nsubagents:\n  - { name: helper, system_prompt: Help., budget_inherit: true }\n',
    });
    expect(loadCreature(join(root, 'c'), { env }).warnings).toEqual([]);
  });
});

describe('accepted keys that now have their effect', () => {
  let server: FakeOpenAIServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('controller.service_tier is sent with every request', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'ok' }] });
    const agent = await Agent.build(
      { name: 'c', controller: { llm: 'openai/some-model', service_tier: 'flex' } },
      { env: { ...configHome(), OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL }, pwd: mkdtempSync(join(tmpdir(), 'kt-tier-')), catalog: new ToolCatalog() },
    );
    await agent.run('hi');
    await agent.stop();
    expect(server.requests[0]!.body).toMatchObject({ model: 'some-model', service_tier: 'flex' });
  });

  it('a sub-agent temperature applies to its own requests, not the parent', async () => {
    const subagents = new SubagentCatalog();
    subagents.register({ name: 'finder', description: 'Find.', systemPrompt: 'You are FINDER.', tools: [], canModify: false, background: false });
    const child = (r: LLMRequest) => String(r.messages[0]?.content ?? '').startsWith('You are FINDER');
    const llm = new ScriptedLLM(
      Array.from({ length: 3 }, () => (r: LLMRequest) =>
        child(r) ? { text: 'found' } : r.messages.some((m) => m.role === 'tool') ? { text: 'done' } : { toolCalls: [{ id: 'f', name: 'finder', args: { task: 'find it' } }] },
      ),
    );
    const agent = await Agent.build(
      { name: 'boss', system_prompt: 'You are BOSS.', controller: { temperature: 0.9 }, subagents: [{ name: 'finder', temperature: 0.1 }] },
      { llm, pwd: mkdtempSync(join(tmpdir(), 'kt-subtemp-')), catalog: new ToolCatalog(), subagentCatalog: subagents },
    );
    expect((await agent.run('go')).text).toBe('done');
    await agent.stop();
    expect(llm.calls.map((r) => [child(r) ? 'finder' : 'boss', r.temperature])).toEqual([
      ['boss', 0.9],
      ['finder', 0.1],
      ['boss', 0.9],
    ]);
  });

  it('controller.variation and variation_selections pick the preset variations', () => {
    const keys = { ...configHome(), OPENAI_API_KEY: 'sk' };
    const fast = resolveLLM({ controller: { llm: 'openai/gpt-5.5', variation: 'fast' }, env: keys });
    expect(fast).toMatchObject({ id: 'openai/gpt-5.5@speed=fast', extraBody: { service_tier: 'priority' } });
    const picked = resolveLLM({ controller: { llm: 'openai/gpt-5.5', variation_selections: { speed: 'flex' } }, env: keys });
    expect(picked.id).toBe('openai/gpt-5.5@speed=flex');
    // A pick in the selector itself wins over the block; --llm is the user's own choice and is left alone.
    expect(resolveLLM({ controller: { llm: 'openai/gpt-5.5@speed=fast', variation_selections: { speed: 'flex' } }, env: keys }).id).toBe('openai/gpt-5.5@speed=fast');
    expect(resolveLLM({ explicit: 'openai/gpt-5.5', controller: { variation: 'fast' }, env: keys }).id).toBe('openai/gpt-5.5');
  });
});
