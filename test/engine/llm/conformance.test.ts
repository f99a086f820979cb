/**
 * One agent scenario, every adapter: the same creature, the same tool, the
 * same script, run through each official SDK against its protocol-faithful
 * fake. Then the error modes every adapter must classify the same way.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { repairToolPairing } from '../../../source/engine/creature/conversation.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { AnthropicProvider } from '../../../source/engine/llm/anthropic/adapter.js';
import { GeminiProvider } from '../../../source/engine/llm/gemini/adapter.js';
import { OpenAICompatibleProvider } from '../../../source/engine/llm/openai/adapter.js';
import { ResponsesProvider } from '../../../source/engine/llm/openai/responses/adapter.js';
import type { Provider } from '../../../source/engine/llm/provider.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { startFakeAnthropic } from '../../fakes/anthropic-server.js';
import { startFakeGemini } from '../../fakes/gemini-server.js';
import { startFakeOpenAI } from '../../fakes/openai-server.js';
import { startFakeResponses } from '../../fakes/responses-server.js';

/** The replies all four fakes understand (their shapes agree on these fields). */
type Reply =
  | { text?: string; toolCalls?: Array<{ id?: string; name: string; arguments: Record<string, unknown> }> }
  | { error: { status: number; message?: string; retryAfter?: number } }
  | { hang: true }
  | { malformed: true }
  | { fault: 'stall' | 'drip' | 'truncate' };

interface Fake {
  requests: unknown[];
  abortedRequests: number;
  waitForAbort(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface AdapterCase {
  name: string;
  start(script: Reply[]): Promise<{ fake: Fake; llm: Provider }>;
}

/** An adapter case: its fake started with the script, and the adapter pointed at that fake. */
function adapter<F extends Fake & { baseURL: string }>(
  name: string,
  startFake: (options: { script: never }) => Promise<F>,
  connect: (baseURL: string) => Provider,
): AdapterCase {
  return {
    name,
    start: async (script) => {
      const fake = await startFake({ script: script as never });
      return { fake, llm: connect(fake.baseURL) };
    },
  };
}

const ADAPTERS: AdapterCase[] = [
  adapter('openai (chat completions)', startFakeOpenAI, (baseURL) => new OpenAICompatibleProvider({ model: 'm', apiKey: 'k', baseURL })),
  adapter('anthropic (messages)', startFakeAnthropic, (baseURL) => new AnthropicProvider({ model: 'claude-test', apiKey: 'k', baseURL })),
  adapter('gemini', startFakeGemini, (baseURL) => new GeminiProvider({ model: 'gemini-test', apiKey: 'k', baseURL })),
  adapter('openai (responses)', startFakeResponses, (baseURL) => new ResponsesProvider({ model: 'm', apiKey: 'k', baseURL })),
];

const add = tool({
  name: 'add',
  description: 'Add two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => String(a + b),
});

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function agentFor(adapter: AdapterCase, script: Reply[], controller: Record<string, unknown> = {}) {
  const started = await adapter.start(script);
  fake = started.fake;
  const agent = await Agent.build(
    { name: 'conformance', system_prompt: 'You add numbers.', controller },
    { llm: started.llm, tools: [add], catalog: new ToolCatalog(), pwd: mkdtempSync(join(tmpdir(), 'kt-conf-')), retry: { baseDelayMs: 1, maxDelayMs: 5 } },
  );
  const events: AgentEvent[] = [];
  agent.on((e) => events.push(e));
  return { agent, fake: started.fake, events };
}

describe.each(ADAPTERS)('$name', (adapter) => {
  it('runs the scripted agent: a tool round trip, then the answer', async () => {
    const { agent, fake, events } = await agentFor(adapter, [
      { text: 'Adding.', toolCalls: [{ id: 'call_add_1', name: 'add', arguments: { a: 2, b: 3 } }] },
      { text: 'The sum is 5.' },
    ]);
    const result = await agent.run('What is 2 + 3?');
    expect(result).toMatchObject({ status: 'completed', text: 'The sum is 5.', steps: 2 });
    expect(result.toolCalls).toMatchObject([{ name: 'add', args: { a: 2, b: 3 }, output: '5', isError: false }]);
    expect(result.usage.input).toBeGreaterThan(0);
    expect(result.usage.output).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(2);
    // The second request carried the call and its result (the shape differs per protocol; the content does not).
    const second = JSON.stringify(fake.requests[1]);
    expect(second).toContain('add');
    expect(second).toMatch(/"5"|:5[,}]|\\"5\\"/);
    expect(repairToolPairing(agent.messages)).toEqual(agent.messages);
    expect(events.filter((e) => e.type === 'text.delta').map((e) => (e.type === 'text.delta' ? e.text : '')).join('')).toBe('Adding.The sum is 5.');
    await agent.stop();
  });

  it('retries a 429 that says when, and a 500; not a 401', async () => {
    const { agent, events } = await agentFor(adapter, [
      { error: { status: 429, message: 'slow down', retryAfter: 0 } },
      { error: { status: 500, message: 'boom' } },
      { text: 'fine' },
      { error: { status: 401, message: 'bad key' } },
    ]);
    expect((await agent.run('a')).text).toBe('fine');
    expect(events.filter((e) => e.type === 'llm.retry').map((e) => (e.type === 'llm.retry' ? e.errorClass : ''))).toEqual(['rate_limit', 'server']);
    const failed = await agent.run('b');
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ code: 'PROVIDER_AUTH', status: 401, retryable: false });
    expect(failed.error!.message).toMatch(/^the key for \S+ was rejected \(401/);
    await agent.stop();
  });

  it('never answering, stalling and dripping time out, close the request, are retried by policy, then the turn errors', async () => {
    const { agent, fake, events } = await agentFor(adapter, [{ hang: true }, { fault: 'stall' }, { fault: 'truncate' }, { fault: 'drip' }], {
      request_timeout: 0.2,
      stream_idle_timeout: 0.2,
    });
    const result = await agent.run('hello?');
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ code: 'PROVIDER_TIMEOUT', errorClass: 'transient', retryable: true });
    // The default policy: three retries after the first attempt, every one of them reaching the server.
    expect(fake.requests).toHaveLength(4);
    const retries = events.flatMap((e) => (e.type === 'llm.retry' ? [e] : []));
    expect(retries.map((r) => r.errorClass)).toEqual(['transient', 'transient', 'transient']);
    expect(retries.map((r) => r.message)).toEqual([
      expect.stringContaining('(request timeout)'),
      // Stalled after the headers: the idle bound, or on a very loaded machine the request bound if the headers were late.
      expect.stringMatching(/\((stream idle|request) timeout\)/),
      expect.stringContaining('truncated stream'),
    ]);
    // hang, stall and drip were closed by the client; truncate ended by itself.
    for (let i = 0; i < 3; i++) await fake.waitForAbort();
    expect(fake.abortedRequests).toBe(3);
    await agent.stop();
  });

  it('a truncated stream is retried and never kept; an empty answer completes with a warning', async () => {
    const { agent, events } = await agentFor(adapter, [{ fault: 'truncate' }, { text: 'The whole answer.' }, { text: '' }]);
    const whole = await agent.run('a');
    expect(whole).toMatchObject({ status: 'completed', text: 'The whole answer.' });
    expect(whole).not.toHaveProperty('warnings');
    expect(events.filter((e) => e.type === 'llm.retry')).toHaveLength(1);
    const empty = await agent.run('b');
    expect(empty).toMatchObject({ status: 'completed', text: '', warnings: [{ code: 'empty_response' }] });
    expect(empty.warnings![0]!.message).toContain('empty response');
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e] : []));
    expect(warnings).toMatchObject([{ code: 'empty_response' }]);
    const ends = events.flatMap((e) => (e.type === 'turn.end' ? [e] : []));
    expect(ends.at(-1)).toMatchObject({ status: 'completed', warnings: [{ code: 'empty_response' }] });
    await agent.stop();
  });

  it('a timeout closes the HTTP request; garbage is a protocol error; the creature goes on', async () => {
    const { agent, fake } = await agentFor(adapter, [{ hang: true }, { malformed: true }, { text: 'still here' }]);
    expect((await agent.run('wait', { timeout: 300 })).status).toBe('timeout');
    await fake.waitForAbort(3000);
    expect(fake.abortedRequests).toBe(1);
    const garbage = await agent.run('garbage');
    expect(garbage.status).toBe('error');
    expect(garbage.error).toMatchObject({ code: 'PROVIDER_PROTOCOL' });
    expect((await agent.run('again')).text).toBe('still here');
    await agent.stop();
  });
});
