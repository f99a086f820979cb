import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { checklistDone, terminationGoalPlugin } from '../../../source/builtins/plugins/termination-goal.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ConfigError } from '../../../source/engine/errors.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { loaded } from './harness.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'kt-goal-'));

describe('termination_goal plugin', () => {
  it('ends the turn after the round in which the check command starts passing (a real child process)', async () => {
    const pwd = tempDir();
    const llm = new ScriptedLLM([
      { toolCalls: [{ name: 'write', args: { path: 'notes.txt', content: 'step 1' } }] },
      { toolCalls: [{ name: 'write', args: { path: 'done.flag', content: 'yes' } }] },
      { text: 'never reached: the goal check ended the turn' },
    ]);
    await using agent = await Agent.build('@kt-biome/creatures/general', {
      llm,
      pwd,
      projectInstructions: false,
      plugins: [{ plugin: 'termination_goal', options: { check: 'test -f done.flag', timeout_seconds: 30 } }],
    });
    const reports: Array<Record<string, unknown>> = [];
    agent.on('plugin.report', (e) => e.plugin === 'termination_goal' && reports.push(e.data));
    const result = await agent.run('make the flag');
    expect(llm.callCount).toBe(2);
    expect(result.status).toBe('limit');
    expect(reports.map((r) => r.passed)).toEqual([false, true]);
    expect(String(reports[1]!.detail)).toContain('`test -f done.flag` exited 0');
  });

  it('file conditions: a checklist with every box ticked, or a text', async () => {
    const pwd = tempDir();
    writeFileSync(join(pwd, 'GOAL.md'), '# Goal\n- [x] one\n- [ ] two\n');
    const { chain, emitted } = await loaded([{ definition: terminationGoalPlugin, options: { file: { path: 'GOAL.md', checklist_done: true } } }], pwd);
    const info = { agentPath: ['alpha'], model: 'm', turnId: 't1', callId: 'c', toolName: 'edit', effect: 'edit' as const, background: false, args: {} };
    const vote = () => chain.termination({ agentPath: ['alpha'], model: 'm', turnId: 't1', turnIndex: 1, steps: 1, toolCalls: 1, elapsedMs: 0, lastText: '' });
    await chain.transform('postToolExecute', { output: '', isError: false }, info);
    expect(vote()).toBeUndefined();
    writeFileSync(join(pwd, 'GOAL.md'), '# Goal\n- [x] one\n- [X] two\n');
    // A read-only tool does not trigger a check under the default `after: changes`.
    await chain.transform('postToolExecute', { output: '', isError: false }, { ...info, toolName: 'read', effect: undefined });
    expect(vote()).toBeUndefined();
    await chain.transform('postToolExecute', { output: '', isError: false }, info);
    expect(vote()).toMatchObject({ stop: true, plugin: 'termination_goal', reason: expect.stringContaining('GOAL.md meets the condition') });
    expect(emitted.filter((e) => e.type === 'plugin.report')).toHaveLength(2);
    // A passing check counts for its own turn only.
    expect(chain.termination({ agentPath: ['alpha'], model: 'm', turnId: 't2', turnIndex: 2, steps: 1, toolCalls: 1, elapsedMs: 0, lastText: '' })).toBeUndefined();
  });

  it('checklistDone needs at least one box and all of them ticked', () => {
    expect(checklistDone('no boxes')).toBe(false);
    expect(checklistDone('- [x] a\n  * [X] b')).toBe(true);
    expect(checklistDone('- [x] a\n- [ ] b')).toBe(false);
  });

  it('needs a check or a file', async () => {
    await expect(loaded([{ definition: terminationGoalPlugin, options: {} }])).rejects.toBeInstanceOf(ConfigError);
  });
});
