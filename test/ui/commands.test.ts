/** Slash commands, called as the UI calls them, against a real creature with a scripted model. */
import { describe, expect, it } from 'vitest';
import { Agent } from '../../source/index.js';
import { ScriptedLLM } from '../../source/testing/index.js';
import { completeSlash, parseSlash, SLASH_COMMANDS } from '../../source/ui/commands.js';

async function run(agent: Agent, line: string) {
  const parsed = parseSlash(line)!;
  return parsed.command!.run(agent, parsed.args);
}

describe('slash commands', () => {
  it('parses names, aliases and arguments; completes by prefix', () => {
    expect(parseSlash('hello')).toBeUndefined();
    expect(parseSlash('/edit 2 new text')).toMatchObject({ name: 'edit', args: '2 new text', command: { name: 'edit' } });
    expect(parseSlash('/quit')!.command!.name).toBe('exit');
    expect(parseSlash('/nope')!.command).toBeUndefined();
    expect(completeSlash('/re').map((c) => c.name)).toEqual(['regen', 'rewind', 'resume']);
    expect(completeSlash('/').length).toBe(SLASH_COMMANDS.length);
    // Every command the issue lists is there.
    for (const name of ['help', 'status', 'model', 'clear', 'compact', 'regen', 'edit', 'branch', 'fork', 'jobs', 'skills', 'cost', 'init', 'context', 'rewind', 'export', 'resume', 'sessions', 'exit']) {
      expect(SLASH_COMMANDS.map((c) => c.name)).toContain(name);
    }
  });

  it('status, branch, jobs, skills and help describe the creature; regen and edit run turns', async () => {
    const agent = await Agent.build({ name: 'helper' }, { llm: new ScriptedLLM([{ text: 'one' }, { text: 'two' }, { text: 'three' }]), pwd: process.cwd() });
    await agent.run('first');
    expect(await run(agent, '/status')).toMatchObject({ kind: 'note', text: expect.stringMatching(/creature {2}helper\nmodel {5}scripted[\s\S]*turns {5}1/) });
    expect(await run(agent, '/branch')).toMatchObject({ text: 'turn 1: branch 1' });
    expect(await run(agent, '/jobs')).toMatchObject({ text: 'No background jobs.' });
    expect(await run(agent, '/skills')).toMatchObject({ text: expect.stringMatching(/No skills found/) });
    expect(await run(agent, '/help')).toMatchObject({ text: expect.stringMatching(/\/edit <n> <text>\s+Replace turn n’s input[\s\S]*Esc interrupt/) });
    expect(await run(agent, '/fork')).toMatchObject({ tone: 'warning', text: expect.stringMatching(/no session to fork/) });
    expect(await run(agent, '/edit x')).toMatchObject({ tone: 'warning', text: 'usage: /edit <turn number> <new text>' });

    const regen = await run(agent, '/regen');
    expect(regen.kind).toBe('turn');
    expect((await (regen as { run: () => Promise<{ text: string }> }).run()).text).toBe('two');
    const edit = await run(agent, '/edit 1 changed');
    expect((await (edit as { run: () => Promise<{ text: string }> }).run()).text).toBe('three');
    expect(await run(agent, '/branch')).toMatchObject({ text: 'turn 1: branch 3' });
    expect(await run(agent, '/clear')).toEqual({ kind: 'clear' });
    expect(await run(agent, '/exit')).toEqual({ kind: 'exit' });
    await agent.stop();
  });

  it('/compact reports why it did not run, /plugin lists and switches plugins, /status shows the cost', async () => {
    const agent = await Agent.build(
      { name: 'helper', plugins: ['cost_tracker'] },
      { llm: new ScriptedLLM([{ text: 'one', usage: { input: 1000, output: 100, cached: 0 } }]), pwd: process.cwd() },
    );
    await agent.run('first');
    expect(await run(agent, '/compact')).toMatchObject({ tone: 'warning', text: expect.stringMatching(/^Nothing compacted: the conversation is too short to summarise/) });
    const listed = await run(agent, '/plugin');
    expect(listed).toMatchObject({ kind: 'note', text: expect.stringMatching(/● cost_tracker[\s\S]*○ budget/) });
    expect(await run(agent, '/plugin enable budget')).toMatchObject({ text: 'Plugin budget enabled.' });
    expect(agent.plugins.list().find((p) => p.name === 'budget')).toMatchObject({ enabled: true, loaded: true });
    expect(await run(agent, '/plugin disable budget')).toMatchObject({ text: 'Plugin budget disabled.' });
    expect(await run(agent, '/plugin disable nope')).toMatchObject({ tone: 'error', text: "no plugin named 'nope'" });
    expect(await run(agent, '/plugin frob')).toMatchObject({ tone: 'warning' });
    // The scripted model has no price: cost is 0 and the model is named as unpriced.
    expect(await run(agent, '/status')).toMatchObject({ text: expect.stringMatching(/cost {6}\$0\.0000 \(no price for scripted\/test\)/) });
    await agent.stop();
  });
});
