/**
 * permgate with the project's rules: deny wins in every mode, allow skips the
 * question, "don't ask again" answers add a narrow rule to .kt/settings.json,
 * and a refusal's words reach the model.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, tool, type ApprovalRequest } from '../../../source/index.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/index.js';

const bash = tool({ name: 'bash', description: 'Pretend to run a command.', effect: 'execute', input: z.object({ command: z.string() }), execute: ({ command }) => `ran ${command}` });

function project(settings?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-permgate-'));
  if (settings) {
    mkdirSync(join(dir, '.kt'));
    writeFileSync(join(dir, '.kt', 'settings.json'), JSON.stringify(settings));
  }
  return dir;
}

async function build(dir: string, script: ScriptStep[]) {
  const llm = new ScriptedLLM(script);
  const agent = await Agent.build({ name: 'tester' }, { llm, pwd: dir, tools: [bash] });
  return { agent, llm, results: () => llm.lastRequest?.messages.filter((m) => m.role === 'tool').map((m) => m.content) };
}

const calls = (...commands: string[]): ScriptStep[] => [...commands.map((command) => ({ toolCalls: [{ name: 'bash', args: { command } }] })), { text: 'done' }];

describe('permgate and .kt/settings.json', () => {
  it('deny rules refuse even in yolo mode; allow rules run without asking', async () => {
    const dir = project({ permissions: { allow: ['bash(git status:*)'], deny: ['bash(rm:*)'] } });
    const { agent, results } = await build(dir, calls('git status -s', 'rm -rf build', 'make'));
    const asked: string[] = [];
    await agent.setApprover(async (request) => {
      asked.push((request.args as { command: string }).command);
      return 'once';
    });
    await agent.run('go');
    expect(asked).toEqual(['make']);
    expect(results()).toEqual(['ran git status -s', expect.stringMatching(/denied by the rule bash\(rm:\*\) in .*\.kt\/settings\.json/), 'ran make']);
    await agent.stop();

    const yolo = await build(dir, calls('rm -rf build'));
    await yolo.agent.setApprover(async () => 'once', 'yolo');
    await yolo.agent.run('go');
    expect(yolo.results()?.[0]).toMatch(/denied by the rule bash\(rm:\*\)/);
    await yolo.agent.stop();
  });

  it('"don\'t ask again" with a rule covers that command prefix only, and is saved for the project', async () => {
    const dir = project();
    const { agent, results } = await build(dir, calls('git status', 'git status -s', 'git push'));
    const asked: ApprovalRequest[] = [];
    await agent.setApprover(async (request) => {
      asked.push(request);
      return asked.length === 1 ? { decision: 'always', rules: ['bash(git status:*)'] } : 'once';
    });
    await agent.run('go');
    expect(asked.map((r) => (r.args as { command: string }).command)).toEqual(['git status', 'git push']);
    expect(results()).toEqual(['ran git status', 'ran git status -s', 'ran git push']);
    expect(JSON.parse(readFileSync(join(dir, '.kt', 'settings.json'), 'utf8'))).toEqual({ permissions: { allow: ['bash(git status:*)'], deny: [] } });
    await agent.stop();

    // A new creature in the same project does not ask for it.
    const next = await build(dir, calls('git status --short'));
    let questions = 0;
    await next.agent.setApprover(async () => (questions++, 'deny'));
    await next.agent.run('go');
    expect(questions).toBe(0);
    expect(next.results()).toEqual(['ran git status --short']);
    await next.agent.stop();
  });

  it('a refusal with words tells the model what to do instead', async () => {
    const { agent, results } = await build(project(), calls('npm install left-pad'));
    await agent.setApprover(async () => ({ decision: 'deny', message: 'use pnpm, not npm' }));
    await agent.run('go');
    expect(results()?.[0]).toBe('Error: the user did not allow this bash call and said what to do instead: use pnpm, not npm');
    await agent.stop();
  });

  it('a broken settings file is reported (file named) and everything is asked', async () => {
    const dir = project();
    mkdirSync(join(dir, '.kt'));
    writeFileSync(join(dir, '.kt', 'settings.json'), '{ nope');
    const { agent, results } = await build(dir, calls('git status'));
    const warnings: string[] = [];
    agent.on('warning', (w) => warnings.push(w.message));
    let questions = 0;
    await agent.setApprover(async () => (questions++, 'once'));
    await agent.run('go');
    expect(questions).toBe(1);
    expect(results()).toEqual(['ran git status']);
    expect(warnings).toEqual([expect.stringMatching(/settings\.json.*not valid JSON.*ignored until it is fixed/)]);
    await agent.stop();
  });
});
