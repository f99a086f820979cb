/**
 * Creatures as steps: their text flows on, their usage and steps roll up, a
 * turn that does not complete is a failure for fallback and retry, and a
 * streamed run carries every creature event under its step path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fallback, par, retry, runnable, seq } from '../../../source/engine/compose/combinators.js';
import { agent, factory } from '../../../source/engine/compose/agents.js';
import { CompositionError, StepFailedError } from '../../../source/engine/compose/errors.js';
import type { ComposeEvent } from '../../../source/engine/compose/types.js';
import { TerrariumCreature } from '../../../source/engine/terrarium/member.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import type { Agent } from '../../../source/engine/creature/agent.js';
import { creature, turnEnds, usage } from './helpers.js';

const stops: Agent[] = [];
afterEach(async () => {
  for (const a of stops.splice(0)) await a.stop();
});

async function make(name: string, script: Parameters<typeof creature>[1]) {
  const made = await creature(name, script);
  stops.push(made.agent);
  return made;
}

describe('creatures in a composition', () => {
  it('pipes text from creature to function to creature; usage is summed and every step listed', async () => {
    const swe = await make('swe', [{ text: 'Here:\n```\nfix()\n```', usage: usage(10, 5) }]);
    const reviewer = await make('reviewer', [{ text: 'APPROVED', usage: usage(7, 2) }]);
    const extractCode = (text: string) => /```\n([\s\S]*?)```/.exec(text)?.[1] ?? text;
    const result = await runnable(swe.agent).pipe(extractCode).pipe(reviewer.agent).run('fix the bug');
    expect(result.output).toBe('APPROVED');
    expect(reviewer.llm.calls[0]?.messages.at(-1)).toMatchObject({ role: 'user', content: 'fix()\n' });
    expect(result.usage).toEqual(usage(17, 7));
    expect(result.steps.map((s) => [s.path.join('/'), s.kind, s.status])).toEqual([
      ['0/swe', 'agent', 'completed'],
      ['1/extractCode', 'function', 'completed'],
      ['2/reviewer', 'agent', 'completed'],
    ]);
    expect(result.steps[0]?.turnId).toBe('turn_1');
  });

  it('par of creatures gives a tuple of their answers', async () => {
    const [a, w, d] = await Promise.all([make('analyst', [{ text: 'A' }]), make('writer', [{ text: 'W' }]), make('designer', [{ text: 'D' }])]);
    const result = await par(a.agent, w.agent, d.agent).run('brief');
    expect(result.output).toEqual(['A', 'W', 'D']);
  });

  it('a turn that ends with a status other than completed is a failure: retry tries again, fallback moves on', async () => {
    const expert = await make('expert', [{ error: new Error('model down') }, { error: new Error('model down') }]);
    const generalist = await make('generalist', [{ text: 'general answer', usage: usage(3, 1) }]);
    const result = await retry(expert.agent, 2).or(generalist.agent).run('question');
    expect(result.output).toBe('general answer');
    expect(turnEnds(expert.events)).toEqual(['error', 'error']);
    expect(result.steps.map((s) => [s.path.join('/'), s.status])).toEqual([
      ['0/attempt:1/expert', 'error'],
      ['0/attempt:2/expert', 'error'],
      ['1/generalist', 'completed'],
    ]);
  });

  it('a failed turn fails the run with a StepFailedError carrying the TurnResult', async () => {
    const broken = await make('broken', [{ error: new Error('model down') }]);
    const error = await seq(broken.agent, (t: string) => t).run('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompositionError);
    const cause = (error as CompositionError).cause as StepFailedError;
    expect(cause).toBeInstanceOf(StepFailedError);
    expect(cause.result.status).toBe('error');
    expect((error as CompositionError).path).toEqual(['0', 'broken']);
  });

  it('a terrarium creature is a step too', async () => {
    const made = await make('member', [{ text: 'from the team' }]);
    const member = new TerrariumCreature(made.agent, 'member', false, undefined);
    expect((await fallback(member, () => 'unused').run('hi')).output).toBe('from the team');
  });

  it('runStream yields every creature event under its step path, then the steps', async () => {
    const one = await make('one', [{ text: 'first' }]);
    const two = await make('two', [{ text: 'second' }]);
    const stream = seq(one.agent, (t: string) => t.toUpperCase(), two.agent).runStream('go');
    const seen: ComposeEvent[] = [];
    for await (const event of stream) seen.push(event);
    expect((await stream.result).output).toBe('second');
    const inner = seen.filter((e) => e.type === 'agent.event');
    expect(inner.filter((e) => e.event.type === 'turn.end').map((e) => e.path.join('/'))).toEqual(['0/one', '2/two']);
    expect(inner.filter((e) => e.path[1] === 'one').map((e) => e.event.type)).toEqual(one.events.filter((e) => e.turnId === 'turn_1').map((e) => e.type));
    expect(seen.filter((e) => e.type === 'step.end').map((e) => e.path.join('/'))).toEqual(['0/one', '1/fn', '2/two']);
  });

  it('agent() builds a persistent creature (the conversation carries on) that await using stops', async () => {
    const llm = new ScriptedLLM([{ text: 'one' }, { text: 'two' }]);
    let stopped: Agent | undefined;
    {
      await using swe = await agent({ name: 'swe' }, { llm, catalog: new ToolCatalog(), projectInstructions: false });
      stopped = swe.agent;
      expect('then' in swe).toBe(false);
      expect((await swe.run('a')).output).toBe('one');
      expect((await swe.run('b')).output).toBe('two');
      expect(llm.calls[1]?.messages.filter((m) => m.role === 'user')).toHaveLength(2);
    }
    expect(stopped.state).toBe('stopped');
  });

  it('factory() builds a fresh creature per call and stops it after', async () => {
    const llm = new ScriptedLLM([], { defaultEntry: { text: 'fresh' } });
    const fresh = factory({ name: 'temp' }, { llm, catalog: new ToolCatalog(), projectInstructions: false });
    const result = await par(fresh, fresh).run('task');
    expect(result.output).toEqual(['fresh', 'fresh']);
    // Each call saw only its own message: no shared conversation.
    expect(llm.calls.map((c) => c.messages.filter((m) => m.role === 'user').length)).toEqual([1, 1]);
    expect(result.steps.map((s) => s.path.join('/')).sort()).toEqual(['0/temp', '1/temp']);
    expect(() => factory({ name: 'temp' }, { session: '/tmp/x.kohakutr' })).toThrow(/session/);
  });
});
