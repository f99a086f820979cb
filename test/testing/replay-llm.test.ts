/**
 * The testing kit's side of replay: `ReplayLLM` serves a recorded session to
 * a creature built by hand (a project's own test), and
 * `expectSameBehaviour` passes for the recorded creature and throws a
 * readable `BehaviourChangedError` for a changed one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../source/engine/creature/agent.js';
import { ToolCatalog } from '../../source/engine/tools/catalog.js';
import { tool } from '../../source/engine/tools/define.js';
import { BehaviourChangedError, ReplayLLM, ScriptedLLM, expectSameBehaviour } from '../../source/testing/index.js';

const shout = tool({ name: 'shout', description: 'Shout.', input: z.object({ text: z.string() }), execute: ({ text }) => text.toUpperCase() });
const build = { tools: [shout], catalog: new ToolCatalog() };
const CONFIG = { name: 'crier', system_prompt: 'You cry out news.' };

async function fixture(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'kt-replay-kit-')), 'crier.kohakutr');
  const llm = new ScriptedLLM([{ toolCalls: [{ id: 's1', name: 'shout', args: { text: 'hear ye' } }] }, { text: 'Cried: HEAR YE.' }]);
  const agent = await Agent.build(CONFIG, { ...build, llm, pwd: mkdtempSync(join(tmpdir(), 'kt-kit-pwd-')), session: path });
  await agent.run('Announce it.');
  await agent.stop();
  return path;
}

describe('ReplayLLM and expectSameBehaviour', () => {
  it('ReplayLLM serves the recording to a creature built by hand, and knows when all of it was used', async () => {
    const path = await fixture();
    const llm = new ReplayLLM(path);
    const agent = await Agent.build(CONFIG, { ...build, llm, pwd: mkdtempSync(join(tmpdir(), 'kt-kit-pwd-')) });
    const result = await agent.run('Announce it.');
    await agent.stop();
    expect(result.text).toBe('Cried: HEAR YE.');
    expect(result.toolCalls.map((c) => c.name)).toEqual(['shout']);
    expect(() => llm.assertComplete()).not.toThrow();
    expect(llm.id).toBe('scripted/test');
  });

  it('expectSameBehaviour passes for the recorded creature and fails readably for a changed one', async () => {
    const path = await fixture();
    await expect(expectSameBehaviour(path, undefined, { build })).resolves.toMatchObject({ ok: true });
    const whisper = tool({ name: 'shout', description: 'Shout.', input: z.object({ text: z.string() }), execute: ({ text }) => text.toLowerCase() });
    const failure = await expectSameBehaviour(path, CONFIG, { build: { ...build, tools: [whisper] } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BehaviourChangedError);
    expect((failure as Error).message).toContain('first divergence (turn 1, step 1): a tool returned something else\n  expected: HEAR YE\n  actual:   hear ye');
  });
});
