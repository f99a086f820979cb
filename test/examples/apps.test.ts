/**
 * The config-only examples run against a scripted model: the agent apps
 * (examples/agent-apps) build with their input, triggers and outputs and
 * answer a turn; the terrarium (examples/terrariums) carries a task from the
 * root through writer and editor back on `done`; the plugin folder
 * (examples/plugins) refuses a secret file and masks a key.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installBuiltins } from '../../source/builtins/index.js';
import { Agent } from '../../source/engine/creature/agent.js';
import { contentText } from '../../source/engine/llm/messages.js';
import type { LLMRequest } from '../../source/engine/llm/provider.js';
import { Terrarium } from '../../source/engine/terrarium/terrarium.js';
import { type ScriptEntry, ScriptedLLM } from '../../source/testing/scripted-llm.js';

const examples = join(import.meta.dirname, '../../examples');
const dir = () => mkdtempSync(join(tmpdir(), 'kt-apps-'));
installBuiltins();
afterEach(() => vi.unstubAllEnvs());

describe('examples/agent-apps', () => {
  it('webhook-bot builds with its webhook input and answers a turn', async () => {
    vi.stubEnv('BOT_PORT', '0'); // any free port: tests never take a fixed one
    const llm = new ScriptedLLM([{ text: 'Orders ship within two working days.' }]);
    await using agent = await Agent.build(join(examples, 'agent-apps/webhook-bot'), { llm, pwd: dir(), projectInstructions: false });
    expect(agent.warnings).toEqual([]);
    const result = await agent.run('When will my order arrive?');
    expect(result).toMatchObject({ status: 'completed', text: 'Orders ship within two working days.' });
    expect(agent.systemPrompt).toContain('support desk of a small web shop');
  });

  it('scheduled-reporter builds with its two triggers, reads the folder and writes its report to the file output', async () => {
    const pwd = dir();
    const report = join(pwd, 'reports.md');
    vi.stubEnv('REPORT_FILE', report);
    writeFileSync(join(pwd, 'main.py'), '# TODO: handle empty input\n');
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'grep', args: { pattern: 'TODO' } }] }, { text: '- main.py still has a TODO about empty input.' }]);
    const agent = await Agent.build(join(examples, 'agent-apps/scheduled-reporter'), { llm, pwd, projectInstructions: false });
    expect(agent.warnings).toEqual([]);
    expect(agent.tools).toEqual(['glob', 'grep', 'read']);
    const result = await agent.run('Write this morning\'s status report.');
    await agent.stop('done'); // outputs write asynchronously; stopping drains them
    expect(result.status).toBe('completed');
    expect(result.toolCalls[0]!.output).toContain('main.py');
    expect(readFileSync(report, 'utf8')).toContain('- main.py still has a TODO about empty input.');
  });
});

/** What each member of review-desk does, told apart by its system prompt. */
function deskModel() {
  const answer = (request: LLMRequest): ScriptEntry => {
    const system = request.messages.find((m) => m.role === 'system');
    const prompt = system ? contentText(system.content) : '';
    const last = request.messages.at(-1)!;
    const afterTool = last.role === 'tool';
    if (prompt.includes('You coordinate a small writing desk')) {
      if (afterTool || contentText(last.content).includes('done')) return { text: 'Passed on.' };
      return { toolCalls: [{ name: 'send_channel', args: { channel: 'tasks', message: 'Write one sentence about tea.' } }] };
    }
    if (prompt.includes('You are the writer')) return { text: 'Tea are a drink.' };
    if (prompt.includes('You are the editor')) {
      if (afterTool) return { text: 'Sent.' };
      return { toolCalls: [{ name: 'send_channel', args: { channel: 'done', message: 'Tea is a drink.' } }] };
    }
    return { text: '?' };
  };
  return new ScriptedLLM(Array.from({ length: 30 }, () => answer));
}

describe('examples/terrariums', () => {
  it('review-desk: the task goes root → writer, the draft by wire to the editor, the edit back on done', async () => {
    await using team = await Terrarium.fromRecipe(join(examples, 'terrariums/review-desk'), { llm: deskModel(), pwd: dir() });
    expect(team.listCreatures().map((c) => c.name).sort()).toEqual(['editor', 'root', 'writer']);
    const done = (async () => {
      for await (const event of team.subscribe({ kinds: ['channel_message'], channels: ['done'] })) return event;
      return undefined;
    })();
    const root = team.getCreature('root')!;
    await root.run('A sentence about tea, please.');
    const event = await done;
    expect(event).toMatchObject({ channel: 'done', creature: 'editor' });
    expect(JSON.stringify(event!.payload)).toContain('Tea is a drink.');
  });
});

describe('examples/plugins', () => {
  it('secret-guard: the creature that lists it cannot read .env, and keys in output are masked', async () => {
    const pwd = dir();
    writeFileSync(join(pwd, '.env'), 'OPENAI_API_KEY=sk-abcdefghijklmnopqrstu\n');
    writeFileSync(join(pwd, 'notes.txt'), 'the key is sk-abcdefghijklmnopqrstu\n');
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'read', args: { path: '.env' } }] }, { toolCalls: [{ name: 'read', args: { path: 'notes.txt' } }] }, { text: 'I may not read .env.' }]);
    await using agent = await Agent.build(join(examples, 'plugins/secret-guard/creature'), { llm, pwd, projectInstructions: false });
    const result = await agent.run('What is in .env?');
    const [env, notes] = result.toolCalls;
    expect(env).toMatchObject({ isError: true, output: expect.stringContaining("read: '.env' holds secrets and is off limits to this creature") });
    expect(notes!.output).toContain('the key is sk-a…[masked]');
    expect(notes!.output).not.toContain('sk-abcdefghijklmnopqrstu');
  });
});
