/**
 * Background jobs: a call started with run_in_background gets a placeholder
 * result at once and its real result arrives later (as a new turn when the
 * creature is idle, or between rounds of a running turn); a running call
 * can be promoted to the background; the job tools list, read, wait for and
 * stop jobs; the conversation stays valid and the log rebuilds it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jobsTool, readJobTool, stopTaskTool, waitTool } from '../../../source/builtins/tools/jobs.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { repairToolPairing } from '../../../source/engine/creature/conversation.js';
import type { AgentEvent, EventOf } from '../../../source/engine/events.js';
import { readCreatureState } from '../../../source/engine/session/restore.js';
import { jobRecords, saveJob } from '../../../source/engine/session/side-records.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

/** A `slow` call the test holds: `started` resolves when it runs, and it ends only on `release()`. */
interface Held {
  started: Promise<void>;
  release(): void;
}
const holds = new Map<string, { started: () => void; released: Promise<void> }>();
function hold(tag: string): Held {
  let started!: () => void;
  let release!: () => void;
  const startedGate = new Promise<void>((r) => (started = r));
  holds.set(tag, { started, released: new Promise<void>((r) => (release = r)) });
  return { started: startedGate, release };
}

/** Waits `ms` (or, for a held tag, until released; or until aborted) and says so. */
const slow = tool({
  name: 'slow',
  description: 'Work for a while.',
  input: z.object({ ms: z.number(), tag: z.string() }),
  concurrency: 'exclusive',
  execute: async ({ ms, tag }, ctx) => {
    const held = holds.get(tag);
    held?.started();
    await new Promise<void>((resolve) => {
      const timer = held ? undefined : setTimeout(resolve, ms);
      void held?.released.then(resolve);
      ctx.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    return ctx.signal.aborted ? `${tag} stopped` : `${tag} finished after ${ms} ms`;
  },
});

const catalog = new ToolCatalog();
for (const factory of [jobsTool, readJobTool, waitTool, stopTaskTool]) catalog.register(factory);

async function build(script: ScriptStep[], session?: string) {
  const llm = new ScriptedLLM(script);
  const agent = await Agent.build(
    { name: 'worker', system_prompt: 'You work.', tools: ['jobs', 'read_job', 'wait', 'stop_task'] },
    { llm, pwd: mkdtempSync(join(tmpdir(), 'kt-jobs-')), tools: [slow], catalog, ...(session ? { session } : {}) },
  );
  return { agent, llm };
}

function next<T extends AgentEvent['type']>(agent: Agent, type: T, test: (e: EventOf<T>) => boolean = () => true): Promise<EventOf<T>> {
  return new Promise((resolve) => {
    const off = agent.on(type, (e) => {
      if (test(e as EventOf<T>)) {
        off();
        resolve(e as EventOf<T>);
      }
    });
  });
}

function expectPaired(messages: readonly { role: string; toolCalls?: Array<{ id: string }>; toolCallId?: string }[]) {
  expect(repairToolPairing(messages as never)).toEqual(messages);
}

describe('background jobs', () => {
  it('run_in_background answers with a placeholder, then the result starts a new turn', async () => {
    const { agent, llm } = await build([
      { toolCalls: [{ id: 'c1', name: 'slow', args: { ms: 150, tag: 'build', run_in_background: true } }] },
      { text: 'Started the build; I will report when it is done.' },
      { text: 'The build finished.' },
    ]);
    const job = hold('build');
    // The job is held until after the run returns: had the run waited for it, it would never return.
    const first = await agent.run('build it');
    expect(first.text).toBe('Started the build; I will report when it is done.');
    const placeholder = agent.messages.find((m) => m.role === 'tool')!;
    expect(placeholder.content).toMatch(/slow is running in the background as job slow_[0-9a-f]{8}\. Its result will arrive by itself/);
    expect(llm.calls[0]!.tools!.find((t) => t.name === 'slow')!.parameters).toMatchObject({ properties: { run_in_background: { type: 'boolean' } } });

    const ended = next(agent, 'turn.end', (e) => e.turnIndex === 2);
    job.release();
    const end = await ended;
    expect(end.text).toBe('The build finished.');
    const second = llm.calls[2]!.messages.at(-1)!;
    expect(second).toEqual({ role: 'user', content: expect.stringMatching(/^\[Background job slow \(slow_[0-9a-f]{8}\) finished\]\nbuild finished after 150 ms$/) });
    expect(agent.jobs.list()).toEqual([expect.objectContaining({ name: 'slow', status: 'done', output: 'build finished after 150 ms', kind: 'tool' })]);
    expectPaired(agent.messages);
    await agent.stop();
  });

  it('a job that ends during a running turn joins it between rounds, after the round results', async () => {
    const { agent, llm } = await build([
      { toolCalls: [{ id: 'c1', name: 'slow', args: { ms: 50, tag: 'fast job', run_in_background: true } }] },
      { toolCalls: [{ id: 'c2', name: 'slow', args: { ms: 200, tag: 'direct' } }] },
      { text: 'Both are done.' },
    ]);
    const injected = next(agent, 'input.injected');
    const result = await agent.run('go');
    expect(result.text).toBe('Both are done.');
    expect((await injected).source).toBe('job');
    const roles = llm.calls[2]!.messages.map((m) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'user']);
    expect(String(llm.calls[2]!.messages.at(-1)!.content)).toContain('fast job finished after 50 ms');
    expect(agent.turns).toBe(1); // no extra turn: it was delivered inside this one
    await agent.stop();
  });

  it('a running call promoted to the background leaves the turn; its result reaches the next turn', async () => {
    const { agent, llm } = await build([
      { toolCalls: [{ id: 'c1', name: 'slow', args: { ms: 400, tag: 'long test run' } }] },
      { text: 'Moved on while the tests run.' },
      { text: 'Tests are done.' },
    ]);
    // Promoted once it runs, and held until the turn has moved on: the turn cannot have waited for it.
    const call = hold('long test run');
    void call.started.then(() => expect(agent.promote('c1')).toBe(true));
    const first = await agent.run('run the tests');
    expect(first.text).toBe('Moved on while the tests run.');
    expect(agent.messages.find((m) => m.role === 'tool')!.content).toMatch(/slow was moved to the background by the user as job slow_/);
    expect(agent.promote('c1')).toBe(false);
    const ended = next(agent, 'turn.end', (e) => e.turnIndex === 2);
    call.release();
    await ended;
    expect(String(llm.calls[2]!.messages.at(-1)!.content)).toContain('long test run finished after 400 ms');
    await agent.stop();
  });

  it('jobs, read_job, wait and stop_task work on the creature’s jobs', async () => {
    const { agent } = await build([
      {
        toolCalls: [
          { id: 'a', name: 'slow', args: { ms: 80, tag: 'short', run_in_background: true } },
          { id: 'b', name: 'slow', args: { ms: 10_000, tag: 'endless', run_in_background: true } },
        ],
      },
      (request) => {
        const ids = request.messages.filter((m) => m.role === 'tool').map((m) => /job (slow_[0-9a-f]{8})/.exec(String(m.content))?.[1]);
        return { toolCalls: [{ id: 'w', name: 'wait', args: { job_id: ids[0], timeout: 5 } }] };
      },
      { toolCalls: [{ id: 'j', name: 'jobs', args: {} }] },
      { text: 'next' },
    ]);
    const jobIds: string[] = [];
    agent.on('job.start', (e) => jobIds.push(e.jobId));
    await agent.run('start both');
    const [short, endless] = jobIds as [string, string];
    const results = agent.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
    expect(results.find((r) => r.startsWith(`${short}  tool slow  done`))).toContain('short finished after 80 ms');
    expect(results.at(-1)).toMatch(new RegExp(`^${endless}  tool slow  running for \\d+s  \\{"ms":10000,"tag":"endless"\\}\\n${short}  tool slow  done after 0s`));
    // wait delivered the short job's result, so it is not told again.
    expect(agent.messages.filter((m) => m.role === 'user' && String(m.content).includes('short finished'))).toEqual([]);

    const ctx = { runtime: { jobs: agent.jobs } } as never;
    const read = readJobTool.create({});
    expect(await read.execute({ job_id: short, offset: 0, lines: 1 }, ctx)).toMatch(/short finished after 80 ms/);
    const stop = stopTaskTool.create({});
    const ended = next(agent, 'job.end', (e) => e.jobId === endless);
    expect(await stop.execute({ job_id: endless }, ctx)).toBe(`Stopping job ${endless} (slow).`);
    expect(await ended).toMatchObject({ status: 'cancelled', output: 'endless stopped\n[cancelled: stopped with stop_task]' });
    await expect(stop.execute({ job_id: endless }, ctx)).rejects.toThrow(/is not running \(cancelled\)/);
    await expect(read.execute({ job_id: 'slow_nope', offset: 0, lines: 5 }, ctx)).rejects.toThrow(/no job 'slow_nope'/);
    await agent.stop();
  });

  it('the log rebuilds the conversation with injected results, and a resume marks cut-off jobs interrupted', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kt-jobs-session-')), 'jobs.kohakutr');
    const { agent } = await build(
      [
        { toolCalls: [{ id: 'c1', name: 'slow', args: { ms: 30, tag: 'quick', run_in_background: true } }] },
        { toolCalls: [{ id: 'c2', name: 'slow', args: { ms: 120, tag: 'direct' } }] },
        { toolCalls: [{ id: 'c3', name: 'slow', args: { ms: 60_000, tag: 'forever', run_in_background: true } }] },
        { text: 'done for now' },
      ],
      path,
    );
    await agent.run('go');
    const live = [...agent.messages];
    // Simulate a crash: the recorder commits at exit, the running job never ends in the log.
    const store = SessionStore.open(path, { readonly: true });
    expect(readCreatureState(store, 'worker').messages).toEqual(live);
    store.close();
    await agent.stop();

    const { agent: resumed } = await build([{ text: 'resumed' }], path);
    // stop() cancelled the forever job, so it ended in the log: nothing is cut off.
    expect(resumed.jobs.list().filter((j) => j.status === 'interrupted')).toEqual([]);
    await resumed.stop();

    const raw = SessionStore.open(path);
    saveJob(raw, 'worker', { jobId: 'slow_deadbeef', kind: 'tool', name: 'slow', summary: 'cut off', status: 'running', startedAt: Date.now() - 1000 });
    raw.close();
    const { agent: again } = await build([{ text: 'again' }], path);
    expect(again.jobs.get('slow_deadbeef')).toMatchObject({ status: 'interrupted', name: 'slow' });
    await again.stop();
    const check = SessionStore.open(path, { readonly: true });
    expect(jobRecords(check, 'worker', 'running')).toEqual([]);
    check.close();
  });
});
