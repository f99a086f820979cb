import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { repairToolPairing } from '../../../source/engine/creature/conversation.js';
import { ProviderError, UsageError } from '../../../source/engine/errors.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

const add = tool({
  name: 'add',
  description: 'Add two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => String(a + b),
});

/**
 * A tool that runs until `until(tag)` resolves or the call is aborted, logging `start <tag>` and
 * `end <tag>` in the order they happen: tests gate on these, never on durations.
 */
function gated(name: string, concurrency: 'parallel' | 'exclusive', log: string[], until: (tag: string) => Promise<void>) {
  return tool({
    name,
    description: 'Wait.',
    input: z.object({ tag: z.string() }),
    concurrency,
    execute: async ({ tag }, ctx) => {
      log.push(`start ${tag}`);
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
        void until(tag).then(resolve);
      });
      log.push(`end ${tag}`);
      return ctx.signal.aborted ? 'stopped early' : `slept ${tag}`;
    },
  });
}

async function build(script: ScriptStep[], options: { tools?: ReturnType<typeof tool>[]; config?: Record<string, unknown>; maxTurns?: number } = {}) {
  const llm = new ScriptedLLM(script);
  const pwd = mkdtempSync(join(tmpdir(), 'kt-agent-'));
  const agent = await Agent.build(
    { name: 'tester', system_prompt: 'You test things.', ...options.config },
    { llm, pwd, tools: options.tools ?? [add], catalog: new ToolCatalog(), retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...(options.maxTurns ? { maxTurns: options.maxTurns } : {}) },
  );
  const events: AgentEvent[] = [];
  agent.on((e) => events.push(e));
  return { agent, llm, events };
}

/** Every assistant tool call is answered right after it, and no result is orphaned. */
function expectValidPairing(messages: readonly Message[]) {
  expect(repairToolPairing(messages)).toEqual(messages);
}

describe('Agent turn loop', () => {
  it('streams a text answer and reports a completed TurnResult', async () => {
    const { agent, events } = await build([{ text: 'Hello there, friend.', usage: { input: 12, output: 5, cached: 2 } }]);
    const result = await agent.run('hi');
    expect(result).toMatchObject({ status: 'completed', text: 'Hello there, friend.', steps: 1, usage: { input: 12, output: 5, cached: 2 } });
    expect(result.turnId).toBe('turn_1');
    expect(result.sessionId).toBe(agent.sessionId);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['creature.start', 'system.prompt']);
    expect(types.filter((t) => t !== 'text.delta').slice(2)).toEqual(['turn.start', 'step.start', 'step.end', 'usage', 'turn.end']);
    expect(events.filter((e) => e.type === 'text.delta').length).toBeGreaterThan(1);
    // Envelope: monotonic seq, ids, agent path.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'turn.end', turnId: 'turn_1', creatureId: agent.creatureId, agentPath: ['tester'] });
    const stepEnd = events.find((e) => e.type === 'step.end');
    expect(stepEnd).toMatchObject({ text: 'Hello there, friend.', finishReason: 'stop', model: 'scripted/test' });
    if (stepEnd?.type === 'step.end') {
      expect(stepEnd.timings.modelMs).toBeGreaterThanOrEqual(0);
      expect(stepEnd.timings.overheadMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('runs tool calls and feeds results back until a round has no calls', async () => {
    const { agent, llm } = await build([
      { text: 'Let me add.', toolCalls: [{ id: 'c1', name: 'add', args: { a: 2, b: 3 } }] },
      { text: 'It is 5.' },
    ]);
    const result = await agent.run('what is 2+3?');
    expect(result.status).toBe('completed');
    expect(result.text).toBe('It is 5.');
    expect(result.toolCalls).toMatchObject([{ callId: 'c1', name: 'add', args: { a: 2, b: 3 }, output: '5', isError: false, status: 'ok' }]);
    const second = llm.calls[1]!.messages;
    expect(second.slice(-3)).toMatchObject([
      { role: 'user', content: 'what is 2+3?' },
      { role: 'assistant', content: 'Let me add.', toolCalls: [{ id: 'c1', name: 'add' }] },
      { role: 'tool', toolCallId: 'c1', content: '5' },
    ]);
    expect(llm.calls[0]!.tools?.map((t) => t.name)).toEqual(['add']);
    expectValidPairing(agent.messages);
  });

  it('returns unknown tools, malformed JSON, invalid arguments and throws to the model as errors', async () => {
    const boom = tool({ name: 'boom', description: 'Fails.', input: z.object({}), execute: () => { throw new Error('kaboom'); } });
    const { agent, llm } = await build(
      [
        {
          toolCalls: [
            { id: 'u', name: 'nope', args: {} },
            { id: 'j', name: 'add', args: '{"a": 1, "b": ' },
            { id: 'v', name: 'add', args: { a: 'one', b: 2 } },
            { id: 'b', name: 'boom', args: {} },
          ],
        },
        { text: 'recovered' },
      ],
      { tools: [add, boom] },
    );
    const result = await agent.run('go');
    expect(result.status).toBe('completed');
    const byId = Object.fromEntries(result.toolCalls.map((c) => [c.callId, c]));
    expect(byId.u).toMatchObject({ isError: true, status: 'error' });
    expect(byId.u!.output).toMatch(/unknown tool 'nope'.*add, boom/);
    expect(byId.j!.output).toMatch(/not valid JSON/);
    expect(byId.v!.output).toMatch(/invalid arguments: a:/);
    expect(byId.b!.output).toMatch(/kaboom/);
    const toolMessages = llm.calls[1]!.messages.filter((m) => m.role === 'tool');
    expect(toolMessages.map((m) => m.role === 'tool' && m.toolCallId)).toEqual(['u', 'j', 'v', 'b']);
    expect(toolMessages.every((m) => m.role === 'tool' && m.isError)).toBe(true);
  });

  it('runs parallel tools concurrently and exclusive tools one at a time', async () => {
    const log: string[] = [];
    // Each parallel call waits until both have started: run one after the other, they would never end.
    let started = 0;
    let bothStarted!: () => void;
    const together = new Promise<void>((r) => (bothStarted = r));
    const barrier = () => (++started === 2 && bothStarted(), together);
    const { agent } = await build(
      [
        {
          toolCalls: [
            { name: 'par', args: { tag: 'p1' } },
            { name: 'par', args: { tag: 'p2' } },
            { name: 'ex', args: { tag: 'e1' } },
            { name: 'ex', args: { tag: 'e2' } },
          ],
        },
        { text: 'done' },
      ],
      { tools: [gated('par', 'parallel', log, barrier), gated('ex', 'exclusive', log, () => Promise.resolve())] },
    );
    await agent.run('go');
    // Both parallel calls started before either finished.
    expect(log.indexOf('start p2')).toBeLessThan(log.indexOf('end p1'));
    // The second exclusive call started only after the first ended.
    expect(log.indexOf('start e2')).toBeGreaterThan(log.indexOf('end e1'));
  });

  it('interrupt cancels running tools and leaves the conversation valid for the next turn', async () => {
    // The tool never ends by itself; it is interrupted once it runs.
    let interrupt = () => {};
    const runsUntilInterrupted = () => (interrupt(), new Promise<void>(() => {}));
    const { agent, llm, events } = await build(
      [{ text: 'working', toolCalls: [{ id: 'slow', name: 'wait', args: { tag: 'x' } }] }, { text: 'next turn answer' }],
      { tools: [gated('wait', 'exclusive', [], runsUntilInterrupted)] },
    );
    interrupt = () => void agent.interrupt();
    const result = await agent.run('start something long');
    expect(result.status).toBe('interrupted');
    expect(result.toolCalls[0]).toMatchObject({ callId: 'slow', status: 'interrupted', isError: true });
    expectValidPairing(agent.messages);
    const next = await agent.run('and now?');
    expect(next).toMatchObject({ status: 'completed', text: 'next turn answer' });
    expectValidPairing(llm.calls[1]!.messages as Message[]);
    expect(events.find((e) => e.type === 'turn.end')).toMatchObject({ status: 'interrupted' });
  });

  it('interrupt during streaming keeps the partial text and ends the turn', async () => {
    const { agent } = await build([{ text: 'a fairly long answer that streams slowly', chunkSize: 4, delayMs: 15 }]);
    agent.on('text.delta', () => agent.interrupt());
    const result = await agent.run('talk');
    expect(result.status).toBe('interrupted');
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.text.length).toBeLessThan('a fairly long answer that streams slowly'.length);
    expect(agent.messages.at(-2)).toMatchObject({ role: 'assistant', content: result.text });
    // Then the note that tells the model its answer was cut off.
    expect(agent.messages.at(-1)).toMatchObject({ role: 'assistant', content: expect.stringContaining('interrupted') });
  });

  it('queues input that arrives mid-turn and runs it afterwards, in order', async () => {
    const { agent, events } = await build([
      { text: 'first answer', chunkSize: 3, delayMs: 5 },
      { text: 'second answer' },
    ]);
    const streaming = new Promise((r) => agent.on('text.delta', r));
    const first = agent.run('one');
    await streaming; // the first turn is under way
    const second = agent.run('two');
    const [a, b] = await Promise.all([first, second]);
    expect([a.text, b.text]).toEqual(['first answer', 'second answer']);
    expect(events.find((e) => e.type === 'input.queued')).toMatchObject({ input: 'two', position: 1, turnId: 'turn_2' });
    const starts = events.filter((e) => e.type === 'turn.start' || e.type === 'turn.end').map((e) => `${e.type}:${e.turnId}`);
    expect(starts).toEqual(['turn.start:turn_1', 'turn.end:turn_1', 'turn.start:turn_2', 'turn.end:turn_2']);
  });

  it('ends the turn with status limit when max_turns is reached', async () => {
    const loop: ScriptStep = () => ({ toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }] });
    const { agent, llm } = await build([loop, loop, loop, loop], { maxTurns: 2 });
    const result = await agent.run('loop forever');
    expect(result).toMatchObject({ status: 'limit', limit: 'max_turns', steps: 2 });
    expect(llm.calls).toHaveLength(2);
    expectValidPairing(agent.messages);
  });

  it('max_iterations is a budget shared by all turns of the creature', async () => {
    const loop: ScriptStep = () => ({ toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }] });
    const { agent } = await build([loop, loop, loop, loop], { config: { max_iterations: 3 } });
    const first = await agent.run('a');
    expect(first).toMatchObject({ status: 'limit', limit: 'max_iterations', steps: 3 });
    const second = await agent.run('b');
    expect(second).toMatchObject({ status: 'limit', limit: 'max_iterations', steps: 0 });
  });

  it('termination keywords end the turn after the round that says them', async () => {
    const { agent } = await build(
      [{ text: 'ALL DONE here', toolCalls: [{ name: 'add', args: { a: 1, b: 2 } }] }, { text: 'never reached' }],
      { config: { termination: { keywords: ['ALL DONE'] } } },
    );
    const result = await agent.run('finish');
    expect(result).toMatchObject({ status: 'completed', steps: 1, text: 'ALL DONE here' });
  });

  it('a timeout aborts the model call and resolves with status timeout', async () => {
    const { agent, llm } = await build([{ hang: true }]);
    const result = await agent.run('wait forever', { timeout: 50 });
    expect(result.status).toBe('timeout');
    expect(llm.calls).toHaveLength(1);
    expectValidPairing(agent.messages);
  });

  it('a caller signal cancels the turn', async () => {
    const { agent } = await build([{ hang: true }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    expect((await agent.run('x', { signal: controller.signal })).status).toBe('cancelled');
  });

  it('runStream yields the turn events and .result; breaking out cancels', async () => {
    const { agent } = await build([{ text: 'streamed words here', chunkSize: 5 }, { hang: true }]);
    const stream = agent.runStream('go');
    const seen: string[] = [];
    for await (const event of stream) seen.push(event.type);
    expect(seen[0]).toBe('turn.start');
    expect(seen.at(-1)).toBe('turn.end');
    expect((await stream.result).text).toBe('streamed words here');

    const hanging = agent.runStream('hang');
    for await (const event of hanging) if (event.type === 'step.start') break;
    expect((await hanging.result).status).toBe('cancelled');
  });

  it('retries a retryable provider failure and reports it as an event', async () => {
    const failure = new ProviderError('rate limited', { provider: 'scripted', errorClass: 'rate_limit', status: 429, retryAfterMs: 1 });
    const { agent, events } = await build([{ error: failure }, { text: 'ok now' }]);
    const result = await agent.run('x');
    expect(result).toMatchObject({ status: 'completed', text: 'ok now' });
    expect(events.find((e) => e.type === 'llm.retry')).toMatchObject({ attempt: 1, errorClass: 'rate_limit', status: 429, delayMs: 1 });
  });

  it('a non-retryable provider failure ends the turn with status error and a typed error', async () => {
    const failure = new ProviderError('the key for scripted was rejected (401)', { provider: 'scripted', errorClass: 'auth', status: 401 });
    const { agent, events } = await build([{ error: failure }, { text: 'later' }]);
    const result = await agent.run('x');
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ name: 'ProviderError', code: 'PROVIDER_AUTH', status: 401, retryable: false });
    expect(events.some((e) => e.type === 'llm.retry')).toBe(false);
    // The creature is still usable.
    expect((await agent.run('again')).text).toBe('later');
  });

  it('recovers once from a context overflow by dropping the last tool round with a note', async () => {
    const overflow = () => new ProviderError('prompt is too long', { provider: 'scripted', errorClass: 'overflow', status: 400 });
    const { agent, llm, events } = await build([
      { toolCalls: [{ id: 'big', name: 'add', args: { a: 1, b: 2 } }] },
      { error: overflow() },
      { text: 'recovered' },
    ]);
    const result = await agent.run('go');
    expect(result).toMatchObject({ status: 'completed', text: 'recovered' });
    expect(events.find((e) => e.type === 'context.trimmed')).toMatchObject({ step: 2, removedMessages: 2, droppedTools: ['add'] });
    const sent = llm.calls[2]!.messages;
    expect(sent.some((m) => m.role === 'tool')).toBe(false);
    expect(sent.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/results of the last tool calls \(add\) did not fit/) });
    expectValidPairing(agent.messages);

    // Nothing left to drop: the overflow surfaces as a typed error.
    const again = await (await build([{ error: overflow() }])).agent.run('huge prompt');
    expect(again.status).toBe('error');
    expect(again.error).toMatchObject({ errorClass: 'overflow' });
  });

  it('stop() cancels the running turn; afterwards run() throws UsageError', async () => {
    const { agent, events } = await build([{ hang: true }]);
    const stepping = new Promise((r) => agent.on('step.start', r));
    const pending = agent.run('x');
    await stepping; // the turn is under way, waiting on a model that never answers
    await agent.stop();
    expect((await pending).status).toBe('cancelled');
    expect(events.at(-1)).toMatchObject({ type: 'creature.stop' });
    await expect(agent.run('y')).rejects.toBeInstanceOf(UsageError);
    expect(agent.state).toBe('stopped');
  });

  it('supports await using', async () => {
    let agentRef: Agent | undefined;
    {
      await using agent = (await build([{ text: 'x' }])).agent;
      agentRef = agent;
      await agent.run('hi');
    }
    expect(agentRef.state).toBe('stopped');
  });
});
