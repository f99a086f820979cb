/** @kt-biome/creatures/ralph_worker: the goal loop, driven by its startup trigger, its timer and the termination_goal plugin. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}

describe('@kt-biome/creatures/ralph_worker', () => {
  it('starts on its own, ends the turn when the goal checklist is all ticked, and a later wake that finds it done removes its timer', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-ralph-'));
    writeFileSync(join(pwd, 'GOAL.md'), '# Goal\n- [ ] write hello.txt\n- [ ] note it\n');
    const clock = new FakeClock();
    const llm = new ScriptedLLM([
      { toolCalls: [{ name: 'read', args: { path: 'GOAL.md' } }] },
      { toolCalls: [{ name: 'write', args: { path: 'hello.txt', content: 'hello\n' } }] },
      { toolCalls: [{ name: 'write', args: { path: 'PROGRESS.md', content: '- wrote hello.txt\n' } }] },
      { toolCalls: [{ name: 'write', args: { path: 'GOAL.md', content: '# Goal\n- [x] write hello.txt\n- [x] note it\n' } }] },
      // Played on the timer's wake, not in the first turn: the goal check ended that one.
      { match: 'Wake-up', toolCalls: [{ name: 'delete_trigger', args: { id: 'ralph' } }] },
      { match: 'Wake-up', text: 'All items are done.' },
    ]);
    await using agent = await Agent.build('@kt-biome/creatures/ralph_worker', {
      llm,
      pwd,
      clock,
      projectInstructions: false,
      env: envWithout('KT_GOAL_FILE', 'KT_PROGRESS_FILE', 'KT_RALPH_INTERVAL'),
    });
    // Waits on the turn.end events themselves (real file I/O happens in these turns; no tick counting).
    const ends: Array<Extract<AgentEvent, { type: 'turn.end' }>> = [];
    const waiting: Array<{ count: number; resolve: () => void }> = [];
    agent.on('turn.end', (e) => {
      ends.push(e);
      for (const w of waiting) if (ends.length >= w.count) w.resolve();
    });
    const turnsEnded = (count: number) => new Promise<void>((resolve) => (ends.length >= count ? resolve() : waiting.push({ count, resolve })));
    expect(agent.tools).toEqual(expect.arrayContaining(['edit', 'bash', 'delete_trigger', 'list_triggers']));
    expect(agent.skills).toEqual(['git-commit-flow', 'todo-file']);

    await agent.start();
    await turnsEnded(1);
    expect(ends[0]).toMatchObject({ status: 'limit', limit: 'plugin:termination_goal', steps: 4 });
    expect(String(llm.calls[0]!.messages.at(-1)!.content)).toContain('The goal file is GOAL.md');
    expect(readFileSync(join(pwd, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(agent.triggers.map((t) => t.id)).toContain('ralph');

    await clock.advance(120_000);
    await turnsEnded(2);
    expect(ends[1]).toMatchObject({ status: 'completed', text: 'All items are done.' });
    expect(agent.triggers.map((t) => t.id)).not.toContain('ralph');
    llm.assertComplete();
  });
});
