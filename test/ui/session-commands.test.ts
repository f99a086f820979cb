/** /cost, /context, /init, /rewind, /export, /sessions and /resume against a real creature with a scripted model. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTokens } from '../../source/ui/format.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, newSessionPath, Terrarium, tool } from '../../source/index.js';
import { ScriptedLLM } from '../../source/testing/index.js';
import { parseSlash, type CommandOutcome } from '../../source/ui/commands.js';

async function run(agent: Agent, line: string): Promise<CommandOutcome> {
  const parsed = parseSlash(line)!;
  return parsed.command!.run(agent, parsed.args);
}

const noteText = (outcome: CommandOutcome): string => {
  if (outcome.kind !== 'note') throw new Error(`expected a note, got ${outcome.kind}`);
  return outcome.text;
};

const read = tool({ name: 'read', description: 'Read a file.', input: z.object({ path: z.string() }), execute: ({ path }) => `contents of ${path} `.repeat(50) });

describe('session slash commands', () => {
  it('/cost switches cost tracking on when it is off, then shows tokens and dollars per model', async () => {
    const llm = new ScriptedLLM([
      { text: 'one', usage: { input: 1000, output: 100, cached: 0 } },
      { text: 'two', usage: { input: 2000, output: 50, cached: 500 } },
    ]);
    const agent = await Agent.build({ name: 'helper' }, { llm, pwd: process.cwd() });
    await agent.run('first');
    const off = await run(agent, '/cost');
    expect(off).toMatchObject({ tone: 'warning', text: expect.stringMatching(/counts from now[\s\S]*scripted\/test {2}↑ 1\.0k ↓ 100/) });
    expect(agent.plugins.list().find((p) => p.name === 'cost_tracker')?.enabled).toBe(true);
    await agent.run('second');
    const text = noteText(await run(agent, '/cost'));
    expect(text.split('\n')[0]).toMatch(/^model +calls +input +cached +output +cost$/);
    expect(text).toMatch(/scripted\/test +1 +2\.0k +500 +50 +no price/);
    expect(text).toMatch(/no price known for scripted\/test/);
    await agent.stop();
  });

  it('/context weighs the system prompt, tools, messages by role and the files read, against the window', async () => {
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'read', args: { path: 'src/big.ts' } }] }, { text: 'read it' }]);
    const agent = await Agent.build({ name: 'helper', system_prompt: 'You help. '.repeat(40) }, { llm, pwd: process.cwd(), tools: [read] });
    await agent.run('look at src/big.ts');
    const text = noteText(await run(agent, '/context'));
    expect(text).toMatch(new RegExp(`system prompt +~ +${formatTokens(Math.ceil(agent.systemPrompt.length / 4)).replace('.', '\\.')}\n`));
    expect(text).toMatch(/tools \(1\) +~/);
    expect(text).toMatch(/user messages +~ +5\b/);
    expect(text).toMatch(/tool results +~ +/);
    expect(text).toMatch(/files\n {2}src\/big\.ts ~\d+/);
    expect(text).toMatch(/characters \/ 4/);
    await agent.stop();
  });

  it('/init runs a turn asking the creature to write AGENTS.md', async () => {
    const llm = new ScriptedLLM([{ text: 'Wrote AGENTS.md.' }]);
    const agent = await Agent.build({ name: 'helper' }, { llm, pwd: mkdtempSync(join(tmpdir(), 'kt-init-')) });
    const outcome = await run(agent, '/init');
    if (outcome.kind !== 'turn') throw new Error('expected a turn');
    expect((await outcome.run()).text).toBe('Wrote AGENTS.md.');
    const asked = llm.lastRequest!.messages.find((m) => m.role === 'user')!.content as string;
    expect(asked).toMatch(/^Write an AGENTS\.md file at the root of this project/);
    expect(asked).toMatch(/exact commands/);
    await agent.stop();
  });

  it('/rewind lists turns, hands back turn n’s message, and refuses numbers out of range', async () => {
    const agent = await Agent.build({ name: 'helper' }, { llm: new ScriptedLLM([{ text: 'a' }, { text: 'b' }]), pwd: process.cwd() });
    expect(await run(agent, '/rewind')).toMatchObject({ text: 'No turns yet.' });
    await agent.run('first question');
    await agent.run('second question');
    expect(noteText(await run(agent, '/rewind'))).toMatch(/^ {2}1 {2}first question\n {2}2 {2}second question\n/);
    expect(await run(agent, '/rewind 2')).toEqual({ kind: 'rewind', turn: 2, input: 'second question' });
    expect(await run(agent, '/rewind 3')).toMatchObject({ tone: 'warning', text: 'usage: /rewind <n> with n from 1 to 2' });
    await agent.stop();
  });

  it('/export writes the conversation as markdown and prints the path', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-export-'));
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'read', args: { path: 'a.md' } }] }, { text: 'It has ``` fences.' }]);
    const agent = await Agent.build({ name: 'helper' }, { llm, pwd, tools: [read] });
    expect(await run(agent, '/export')).toMatchObject({ tone: 'warning', text: 'Nothing to export yet.' });
    await agent.run('what is in a.md?');
    const text = noteText(await run(agent, '/export notes/../chat.md'));
    expect(text).toBe(`Exported 1 message to ${join(pwd, 'chat.md')}`);
    const markdown = readFileSync(join(pwd, 'chat.md'), 'utf8');
    expect(markdown).toMatch(/^# helper — /);
    expect(markdown).toContain('## User\n\nwhat is in a.md?');
    expect(markdown).toContain('**Tool call: `read`**\n\n```json\n{\n  "path": "a.md"\n}\n```');
    expect(markdown).toContain('**Result of `read`:**');
    expect(markdown).toContain('## Assistant\n\nIt has ``` fences.');
    const defaulted = noteText(await run(agent, '/export'));
    expect(defaulted).toMatch(new RegExp(`to ${pwd}/kt-helper-\\d{8}-\\d{6}\\.md$`));
    await agent.stop();
  });

  it('/sessions lists this folder’s sessions with this one marked and offers the others; /resume <name> asks to switch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-sessions-'));
    const pwd = mkdtempSync(join(tmpdir(), 'kt-sessions-pwd-'));
    const olderPath = newSessionPath(dir, 'helper');
    const older = await Agent.build({ name: 'helper' }, { llm: new ScriptedLLM([{ text: 'old' }]), pwd, session: olderPath });
    await older.run('an older question');
    await older.stop();
    const current = await Agent.build({ name: 'helper' }, { llm: new ScriptedLLM([{ text: 'new' }]), pwd, session: newSessionPath(dir, 'helper') });
    await current.run('the current question');
    const listed = await run(current, '/sessions');
    if (listed.kind !== 'choose') throw new Error(`expected a choice, got ${listed.kind}`);
    const lines = listed.question.split('\n');
    expect(lines[0]).toMatch(/^ {2}name +active +turns +first prompt$/);
    expect(lines.find((l) => l.startsWith('●'))).toMatch(/the current question/);
    const olderLine = lines.find((l) => l.includes('an older question'))!;
    expect(olderLine).toMatch(/^ {2}\S+ +\S.* +1 {2}an older question$/);
    const olderName = olderLine.trim().split(/\s+/)[0]!;
    // Only the other session is offered; picking it (by its line or by name) asks the app to switch.
    expect(listed.choices).toEqual([expect.stringMatching(new RegExp(`^${olderName} · 1 turn · `))]);
    const switchTo = { kind: 'switch', session: olderPath, name: olderName };
    expect(await listed.pick(listed.choices[0]!)).toEqual(switchTo);
    expect(await listed.pick(olderName)).toEqual(switchTo);
    expect(await run(current, `/resume ${olderName}`)).toEqual(switchTo);
    expect(noteText(await run(current, `/resume ${current.sessionPath!.split('/').at(-1)!.replace('.kohakutr', '')}`))).toMatch(/is this session\.$/);
    expect(await run(current, '/resume nope')).toMatchObject({ tone: 'warning', text: 'No session named nope; /sessions lists them.' });
    await current.stop();
  });

  it('/resume of a team session says how to resume the team instead of switching this app to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-sessions-team-'));
    const pwd = mkdtempSync(join(tmpdir(), 'kt-sessions-team-pwd-'));
    const team = new Terrarium({ name: 'pair', pwd, sessionDir: dir, llm: new ScriptedLLM([{ text: 'hi' }]) });
    await team.addCreature({ name: 'helper' });
    const teamName = team.sessionPath!.split('/').at(-1)!.replace('.kohakutr', '');
    await team.shutdown();
    const current = await Agent.build({ name: 'helper' }, { llm: new ScriptedLLM([{ text: 'new' }]), pwd, session: newSessionPath(dir, 'helper') });
    await current.run('the current question');
    expect(noteText(await run(current, `/resume ${teamName}`))).toBe(`${teamName} is the session of the team pair: leave and run kt resume ${teamName}`);
    await current.stop();
  });
});
