/**
 * Approvals: the creature asks before tools that edit or execute, by mode;
 * a denial goes back to the model as an error and the tool never runs.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, tool, type ApprovalDecision, type ApprovalRequest } from '../../../source/index.js';
import { ScriptedLLM } from '../../../source/testing/index.js';

function setup(decisions: ApprovalDecision[]) {
  const ran: string[] = [];
  const asked: ApprovalRequest[] = [];
  const make = (name: string, effect?: 'edit' | 'execute') =>
    tool({ name, description: name, ...(effect ? { effect } : {}), input: z.object({ n: z.number() }), execute: async ({ n }) => (ran.push(`${name}${n}`), 'done') });
  const tools = [make('change', 'edit'), make('run_it', 'execute'), make('look')];
  const ask = async (request: ApprovalRequest) => {
    asked.push(request);
    return decisions.shift() ?? 'deny';
  };
  return { ran, asked, tools, ask };
}

const calls = (...list: Array<[string, number]>) => ({ toolCalls: list.map(([name, n]) => ({ name, args: { n } })) });

describe('approvals', () => {
  it('default mode asks for edits and commands; once, always and deny do what they say', async () => {
    const { ran, asked, tools, ask } = setup(['once', 'always', 'deny']);
    const llm = new ScriptedLLM([calls(['change', 1], ['run_it', 1], ['look', 1]), calls(['run_it', 2], ['change', 2]), { text: 'ok' }]);
    const agent = await Agent.build({ name: 'a' }, { llm, tools, pwd: process.cwd() });
    agent.setApprover(ask);
    const result = await agent.run('go');
    expect(result.status).toBe('completed');
    // change1 asked (once), run_it1 asked (always), look never asked; run_it2 not asked again; change2 asked and denied.
    expect(asked.map((r) => `${r.tool}${(r.args as { n: number }).n}`)).toEqual(['change1', 'run_it1', 'change2']);
    expect(asked[0]).toMatchObject({ effect: 'edit', agentPath: ['a'] });
    expect(ran.sort()).toEqual(['change1', 'look1', 'run_it1', 'run_it2']);
    const denied = result.toolCalls.find((c) => c.name === 'change' && (c.args as { n: number }).n === 2)!;
    expect(denied.isError).toBe(true);
    expect(denied.output).toMatch(/the user did not allow this change call/);
    await agent.stop();
  });

  it('auto-edit asks only for commands; yolo and no approver never ask', async () => {
    for (const [mode, expected] of [['auto-edit', ['run_it']], ['yolo', []]] as const) {
      const { asked, tools, ask, ran } = setup(['once', 'once']);
      const agent = await Agent.build({ name: 'a' }, { llm: new ScriptedLLM([calls(['change', 1], ['run_it', 1]), { text: 'ok' }]), tools, pwd: process.cwd() });
      agent.setApprover(ask, mode);
      await agent.run('go');
      expect(asked.map((r) => r.tool)).toEqual(expected);
      expect(ran.sort()).toEqual(['change1', 'run_it1']);
      await agent.stop();
    }
    const { asked, tools, ran } = setup([]);
    const agent = await Agent.build({ name: 'a' }, { llm: new ScriptedLLM([calls(['change', 1]), { text: 'ok' }]), tools, pwd: process.cwd() });
    await agent.run('go');
    expect(asked).toEqual([]);
    expect(ran).toEqual(['change1']);
    await agent.stop();
  });

  it('an interrupt while a call waits for approval ends the turn and the call never runs', async () => {
    const { tools, ran } = setup([]);
    const agent = await Agent.build({ name: 'a' }, { llm: new ScriptedLLM([calls(['run_it', 1]), { text: 'never' }]), tools, pwd: process.cwd() });
    let asking!: () => void;
    const waiting = new Promise<void>((resolve) => (asking = resolve));
    agent.setApprover((_request, signal) => {
      asking();
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    const turn = agent.run('go');
    await waiting;
    agent.interrupt();
    const result = await turn;
    expect(result.status).toBe('interrupted');
    expect(ran).toEqual([]);
    await agent.stop();
  });

  it('plan mode refuses edits and commands (even allowed ones) and tells the model to present a plan; reads run; switching mode lifts it', async () => {
    const { asked, tools, ask, ran } = setup(['once']);
    const llm = new ScriptedLLM([calls(['change', 1], ['run_it', 1], ['look', 1]), { text: 'Here is my plan.' }, calls(['change', 2]), { text: 'done' }]);
    const agent = await Agent.build({ name: 'a', controller: { allow: ['run_it'] } }, { llm, tools, pwd: process.cwd() });
    await agent.setApprover(ask, 'plan');
    expect(agent.approvalMode).toBe('plan');
    const planned = await agent.run('fix it');
    expect(ran).toEqual(['look1']);
    expect(asked).toEqual([]);
    for (const name of ['change', 'run_it']) {
      const refused = planned.toolCalls.find((c) => c.name === name)!;
      expect(refused.isError).toBe(true);
      expect(refused.output).toMatch(/plan mode is on: .* present your plan/);
    }
    await agent.setApprovalMode('default');
    await agent.run('go ahead');
    expect(asked.map((r) => r.tool)).toEqual(['change']);
    expect(ran).toEqual(['look1', 'change2']);
    await agent.stop();
  });

  it("an approval's wait is not the tool's time: durationMs counts from the answer", async () => {
    const { tools } = setup([]);
    const agent = await Agent.build({ name: 'a' }, { llm: new ScriptedLLM([calls(['run_it', 1]), { text: 'ok' }]), tools, pwd: process.cwd() });
    let answeredAt = 0;
    let resultAt = 0;
    let requested: Record<string, unknown> | undefined;
    agent.on('interaction.request', (e) => (requested = e.payload));
    let duration = -1;
    agent.on('tool.result', (e) => {
      resultAt = performance.now();
      duration = e.durationMs;
    });
    // Answer a few event-loop turns later, so the wait is real time.
    await agent.setApprover(
      () =>
        new Promise((resolve) =>
          setImmediate(() => {
            answeredAt = performance.now();
            resolve('once');
          }),
        ),
    );
    const result = await agent.run('go');
    expect(result.toolCalls[0]!.isError).toBe(false);
    expect(requested).toMatchObject({ tool: 'run_it', callId: result.toolCalls[0]!.callId });
    // Measured after the answer came, so it fits in the time between the answer and the result.
    expect(duration).toBeGreaterThanOrEqual(0);
    expect(duration).toBeLessThanOrEqual(resultAt - answeredAt + 0.01);
    await agent.stop();
  });
});
