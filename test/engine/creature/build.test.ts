/**
 * Agent.build: the ways a creature is specified and what fails at build time.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ConfigError } from '../../../source/engine/errors.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { startFakeAnthropic } from '../../fakes/anthropic-server.js';

beforeAll(() => installBuiltins());

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const env = { KT_CONFIG_DIR: tmp('kt-home-'), OPENAI_API_KEY: 'sk-test' };

const GENERAL_TOOLS = ['read', 'write', 'edit', 'multi_edit', 'json_read', 'json_write', 'notebook_read', 'notebook_edit', 'glob', 'grep', 'tree', 'bash', 'web_fetch', 'web_search', 'scratchpad', 'todo', 'search_memory', 'jobs', 'read_job', 'wait', 'stop_task', 'info', 'skill', 'ask_user'];

describe('Agent.build', () => {
  it('builds the bundled swe creature by reference with an injected provider', async () => {
    const llm = new ScriptedLLM([{ text: 'ready' }]);
    const agent = await Agent.build('@kt-biome/creatures/swe', { llm, pwd: tmp('kt-pwd-'), env });
    expect(agent.name).toBe('swe');
    expect(agent.model).toBe('scripted/test');
    expect(agent.tools).toEqual([...GENERAL_TOOLS, 'explore', 'plan', 'worker', 'critic', 'summarize', 'research']);
    expect(agent.systemPrompt).toMatch(/Software engineering workflow/);
    expect(agent.systemPrompt).toMatch(/## Tools\n\n- read: .*\n[^]*## Environment\n\n- Working directory: /);
    expect((await agent.run('hi')).text).toBe('ready');
    expect(llm.calls[0]!.tools!.map((t) => t.name)).toEqual(agent.tools);
    await agent.stop();
  });

  it('systemPrompt replaces the configured base prompt; tools, environment and project instructions stay', async () => {
    const pwd = tmp('kt-pwd-');
    writeFileSync(join(pwd, 'AGENTS.md'), 'Always run the linter.\n');
    const agent = await Agent.build('@kt-biome/creatures/general', { llm: new ScriptedLLM([]), pwd, env, systemPrompt: 'Only say yes.' });
    expect(agent.systemPrompt.startsWith('Only say yes.\n\n## Tools\n')).toBe(true);
    expect(agent.systemPrompt).toContain(`## Environment\n\n- Working directory: ${pwd}`);
    expect(agent.systemPrompt).toMatch(/## Project instructions\n\n### AGENTS\.md\n\nAlways run the linter\.$/);
    const without = await Agent.build('@kt-biome/creatures/general', { llm: new ScriptedLLM([]), pwd, env, projectInstructions: false });
    expect(without.systemPrompt).not.toContain('Always run the linter');
  });

  it('resolves --llm style names to the OpenAI adapter, reading the key and base URL from the environment', async () => {
    const agent = await Agent.build({ name: 'x' }, { llm: 'gpt-4o-mini', env: { ...env, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(agent.model).toBe('openai/gpt-4o-mini');
    expect(agent.maxContext).toBe(128_000);
    await expect(Agent.build({ name: 'x' }, { llm: 'openai/gpt-4o', env: { KT_CONFIG_DIR: env.KT_CONFIG_DIR } })).rejects.toThrow(
      /no API key for openai: set OPENAI_API_KEY or run kt login openai/,
    );
  });

  it('loads a custom tool from a JS module named in the config', async () => {
    const dir = tmp('kt-custom-');
    mkdirSync(join(dir, 'tools'));
    // A plain JS module: the factory form, `(options) => Tool`.
    writeFileSync(
      join(dir, 'tools', 'shout.mjs'),
      [
        'export function shout(options) {',
        "  return { name: 'shout', description: 'Shout.', parameters: { type: 'object' }, concurrency: 'parallel',",
        '    parse: (args) => ({ ok: true, value: args }),',
        "    execute: async (args) => String(args.text).toUpperCase() + (options.suffix ?? '') };",
        '}',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'config.yaml'), 'tools:\n  - name: shout\n    type: custom\n    module: ./tools/shout.mjs\n    class: shout\n    suffix: "!"\n');
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'shout', args: { text: 'hey' } }] }, { text: 'done' }]);
    const agent = await Agent.build(dir, { llm, pwd: dir, env });
    const result = await agent.run('go');
    expect(result.toolCalls[0]).toMatchObject({ name: 'shout', output: 'HEY!' });
  });

  it('an unknown tool or a missing module is a ConfigError with its place in the file', async () => {
    const dir = tmp('kt-bad-');
    writeFileSync(join(dir, 'config.yaml'), 'tools:\n  - read\n  - name: gone\n    module: ./nope.mjs\n');
    const error = await Agent.build(dir, { llm: new ScriptedLLM([]), env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ line: 3, keyPath: ['tools', 1] });
    expect((error as Error).message).toMatch(/cannot load tool module .*nope\.mjs/);
  });

  it("a tool only the original had is left out with one warning naming what to use; a typo is still an error", async () => {
    const dir = tmp('kt-orig-');
    writeFileSync(join(dir, 'config.yaml'), 'name: old\ntools:\n  - read\n  - name: think\n    type: builtin\n  - terrarium_send\n');
    await using agent = await Agent.build(dir, { llm: new ScriptedLLM([]), env });
    expect(agent.tools).toEqual(['read']);
    expect(agent.warnings.map((w) => [w.line, w.message])).toEqual([
      [4, "tool 'think' of the original KohakuTerrarium does not exist here and is left out: models reason in their own replies (and reasoning models natively)"],
      [6, "tool 'terrarium_send' of the original KohakuTerrarium does not exist here and is left out: use send_channel or group_send"],
    ]);
    writeFileSync(join(dir, 'config.yaml'), 'name: old\ntools:\n  - raed\n');
    await expect(Agent.build(dir, { llm: new ScriptedLLM([]), env })).rejects.toThrow(/unknown tool 'raed'.*read/);
  });

  it('resolves a model string to its adapter; controller.prompt_caching: false reaches the Anthropic adapter', async () => {
    const fake = await startFakeAnthropic({ script: [{ text: 'cached' }, { text: 'uncached' }] });
    try {
      const anthropicEnv = { ...env, ANTHROPIC_API_KEY: 'sk-ant', ANTHROPIC_BASE_URL: fake.baseURL };
      const caching = await Agent.build({ name: 'c', system_prompt: 'Long and stable.' }, { llm: 'claude-haiku-4.5', env: anthropicEnv });
      expect(caching.model).toBe('anthropic/claude-haiku-4.5');
      expect((await caching.run('hi')).text).toBe('cached');
      const off = await Agent.build({ name: 'c', system_prompt: 'Long and stable.', controller: { llm: 'claude-haiku-4.5', prompt_caching: false } }, { env: anthropicEnv });
      expect((await off.run('hi')).text).toBe('uncached');
      const [first, second] = fake.requests.map((r) => JSON.stringify(r.body));
      expect(first).toContain('cache_control');
      expect(second).not.toContain('cache_control');
    } finally {
      await fake.close();
    }
  });

  it('refuses a working directory that does not exist', async () => {
    await expect(Agent.build({ name: 'x' }, { llm: new ScriptedLLM([]), pwd: '/definitely/not/here' })).rejects.toThrow(/working directory .* does not exist/);
  });

  it('runStream().text() yields only the streamed text', async () => {
    const agent = await Agent.build({ name: 'x' }, { llm: new ScriptedLLM([{ text: 'one two three', chunkSize: 4 }]), env });
    const pieces: string[] = [];
    for await (const piece of agent.runStream('go').text()) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('one two three');
  });
});
