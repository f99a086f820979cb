/** The bundled single creatures: each builds from `@kt-biome/creatures/<name>` and runs a turn against ScriptedLLM with the tools it should have. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'kt-biome-creature-'));
const EDITING = ['write', 'edit', 'multi_edit', 'json_write', 'notebook_edit'];

async function oneTurn(creature: string, call: { name: string; args: Record<string, unknown> }, files: Record<string, string> = {}) {
  const pwd = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(pwd, name), text);
  const llm = new ScriptedLLM([{ toolCalls: [call] }, { text: 'finished' }]);
  const agent = await Agent.build(`@kt-biome/creatures/${creature}`, { llm, pwd, projectInstructions: false });
  const result = await agent.run('go');
  const tool = llm.calls[1]!.messages.find((m) => m.role === 'tool');
  return { agent, result, tool: tool?.role === 'tool' ? { text: String(tool.content), isError: !!tool.isError } : undefined, llm };
}

describe('@kt-biome creatures', () => {
  it('reviewer: reads and greps, runs git through bash, has no editing tool, and has code-review switched on', async () => {
    const { agent, result, tool } = await oneTurn('reviewer', { name: 'grep', args: { pattern: 'TODO' } }, { 'a.ts': '// TODO fix\n' });
    await using _ = agent;
    expect(result.status).toBe('completed');
    expect(tool?.text).toContain('a.ts');
    expect(agent.tools).toEqual(expect.arrayContaining(['read', 'grep', 'glob', 'bash', 'skill']));
    for (const name of EDITING) expect(agent.tools).not.toContain(name);
    expect(agent.systemPrompt).toContain('findings');
    expect(agent.systemPrompt).toMatch(/code-review.*severity/);
  });

  it('researcher: web search and fetch, read, and write for notes; no shell', async () => {
    const { agent, result, tool } = await oneTurn('researcher', { name: 'read', args: { path: 'q.md' } }, { 'q.md': 'What is X?\n' });
    await using _ = agent;
    expect(result.status).toBe('completed');
    expect(tool?.text).toContain('What is X?');
    expect(agent.tools).toEqual(expect.arrayContaining(['web_search', 'web_fetch', 'read', 'write']));
    expect(agent.tools).not.toContain('bash');
    expect(agent.systemPrompt).toContain('Sources');
  });

  it('planner: writes its plan with the todo tool and has neither editing nor shell tools', async () => {
    const { agent, result, tool } = await oneTurn('planner', { name: 'todo', args: { todos: [{ content: 'Add a test for the parser', status: 'pending' }] } });
    await using _ = agent;
    expect(result.status).toBe('completed');
    expect(tool?.isError).toBe(false);
    expect(agent.tools).toEqual(expect.arrayContaining(['read', 'grep', 'todo']));
    for (const name of [...EDITING, 'bash']) expect(agent.tools).not.toContain(name);
  });

  it('skills of the pack: off by default (general), switched on by a creature naming them, loadable with the skill tool', async () => {
    const general = await oneTurn('general', { name: 'info', args: {} });
    await using _g = general.agent;
    expect(general.agent.skills).toEqual([]);
    expect(general.agent.systemPrompt).not.toContain('code-review');

    // Every pack skill is found: a child creature with `skills: "*"` gets all three.
    const folder = tempDir();
    writeFileSync(join(folder, 'config.yaml'), 'name: all-skills\nbase_config: "@kt-biome/creatures/general"\nskills: "*"\n');
    await using all = await Agent.build(folder, { llm: new ScriptedLLM([]), pwd: tempDir(), projectInstructions: false });
    expect(all.skills).toEqual(['code-review', 'git-commit-flow', 'todo-file']);

    const { agent, tool } = await oneTurn('reviewer', { name: 'skill', args: { name: 'code-review' } });
    await using _r = agent;
    expect(agent.skills).toEqual(['code-review']);
    expect(tool?.isError).toBe(false);
    expect(tool?.text).toContain('Reviewing code');
  });
});
