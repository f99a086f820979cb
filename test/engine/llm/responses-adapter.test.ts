import { afterEach, describe, expect, it } from 'vitest';
import { AbortReason, ProviderError } from '../../../source/engine/errors.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import {
  ResponsesProvider,
  type ResponsesProviderOptions,
} from '../../../source/engine/llm/openai/responses/adapter.js';
import type { LLMRequest, LLMStreamPart } from '../../../source/engine/llm/provider.js';
import { startFakeResponses, type FakeResponsesReply, type FakeResponsesServer } from '../../fakes/responses-server.js';

let server: FakeResponsesServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A provider on the fake's Codex route with an OAuth-style credentials callback, unless told otherwise. */
async function setup(script: FakeResponsesReply[], options: Partial<ResponsesProviderOptions> = {}) {
  server = await startFakeResponses({ script });
  const logins: number[] = [];
  const provider = new ResponsesProvider({
    model: 'gpt-5-codex',
    provider: 'codex',
    baseURL: server.codexBaseURL,
    credentials: async () => {
      logins.push(logins.length);
      return { accessToken: `token-${logins.length}`, accountId: 'acct-42' };
    },
    defaultHeaders: { originator: 'kohakuterrarium' },
    ...options,
  });
  return { server, provider, logins };
}

const hello: LLMRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }] };

async function collect(
  provider: ResponsesProvider,
  request: LLMRequest = hello,
  signal: AbortSignal = new AbortController().signal,
): Promise<LLMStreamPart[]> {
  const parts: LLMStreamPart[] = [];
  for await (const part of provider.stream(request, { signal })) parts.push(part);
  return parts;
}

function summary(parts: LLMStreamPart[]) {
  const finishes = parts.filter((p) => p.type === 'finish');
  return {
    text: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(''),
    reasoning: parts.flatMap((p) => (p.type === 'reasoning' ? [p.text] : [])).join(''),
    calls: parts.flatMap((p) => (p.type === 'tool_call' ? [p.call] : [])),
    finishes,
    finish: finishes[0],
    last: parts.at(-1),
  };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('ResponsesProvider: streaming', () => {
  it('has an id of provider/model, defaulting to openai', async () => {
    const { provider } = await setup([]);
    expect(provider.id).toBe('codex/gpt-5-codex');
    expect(new ResponsesProvider({ model: 'gpt-5', apiKey: 'k' }).id).toBe('openai/gpt-5');
  });

  it('streams text deltas and finishes once, last', async () => {
    const { provider } = await setup([{ text: 'Hello there, how can I help you today?', chunkSize: 5 }]);
    const parts = await collect(provider);
    const s = summary(parts);
    expect(s.text).toBe('Hello there, how can I help you today?');
    expect(parts.filter((p) => p.type === 'text').length).toBeGreaterThan(5);
    expect(s.finishes).toHaveLength(1);
    expect(s.last).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('streams the reasoning summary as reasoning, parts separated, before the text', async () => {
    const { provider } = await setup([{ reasoningSummary: ['First I look.', 'Then I answer.'], text: 'Done.' }]);
    const parts = await collect(provider);
    const s = summary(parts);
    expect(s.reasoning).toBe('First I look.\n\nThen I answer.');
    expect(s.text).toBe('Done.');
    expect(parts.findIndex((p) => p.type === 'reasoning')).toBeLessThan(parts.findIndex((p) => p.type === 'text'));
  });

  it('reassembles a tool call whose arguments arrive in small deltas', async () => {
    const args = { path: 'src/index.ts', start: 10, end: 42, note: 'a long enough argument string' };
    const { provider } = await setup([{ toolCalls: [{ id: 'call_read', name: 'read', arguments: args }], argChunkSize: 3 }]);
    const s = summary(await collect(provider));
    expect(s.calls).toEqual([{ id: 'call_read', name: 'read', arguments: JSON.stringify(args) }]);
    expect(s.last).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('yields two calls in order, after the text, with call_id as the id', async () => {
    const { provider } = await setup([
      {
        text: 'Reading both.',
        toolCalls: [
          { name: 'read', arguments: { path: 'a' } },
          { name: 'grep', arguments: { pattern: 'x', path: 'b' } },
        ],
      },
    ]);
    const parts = await collect(provider);
    expect(parts.map((p) => p.type)).toEqual(['text', 'text', 'tool_call', 'tool_call', 'finish']);
    expect(summary(parts).calls).toEqual([
      { id: 'call_0_0', name: 'read', arguments: '{"path":"a"}' },
      { id: 'call_0_1', name: 'grep', arguments: '{"pattern":"x","path":"b"}' },
    ]);
  });

  it('reports usage with cached tokens', async () => {
    const { provider } = await setup([{ text: 'ok', usage: { input_tokens: 2000, output_tokens: 50, cached_tokens: 1536, reasoning_tokens: 20 } }]);
    const s = summary(await collect(provider));
    expect(s.finish).toEqual({ type: 'finish', finishReason: 'stop', usage: { input: 2000, output: 50, cached: 1536 } });
  });

  it('response.incomplete for max_output_tokens → finish reason length, text kept', async () => {
    const { provider } = await setup([{ text: 'cut sho', incomplete: 'max_output_tokens', usage: { input_tokens: 10, output_tokens: 3 } }]);
    const s = summary(await collect(provider));
    expect(s.text).toBe('cut sho');
    expect(s.finish).toMatchObject({ finishReason: 'length', usage: { input: 10, output: 3, cached: 0 } });
  });

  it('puts encrypted reasoning items into providerFields', async () => {
    const { provider } = await setup([{ reasoningSummary: 'Thinking.', encryptedReasoning: 'gAAAAB-secret', text: 'Hi.' }]);
    const s = summary(await collect(provider));
    expect(s.finish?.type === 'finish' && s.finish.providerFields).toEqual({
      responses_reasoning: [
        { id: expect.stringMatching(/^rs_[0-9a-f]{48}$/), summary: [{ type: 'summary_text', text: 'Thinking.' }], encrypted_content: 'gAAAAB-secret' },
      ],
    });
  });

  it('stops reading and closes the request when the consumer breaks early', async () => {
    const { server, provider } = await setup([{ text: 'x'.repeat(200), chunkSize: 1, delayMs: 5 }]);
    for await (const part of provider.stream(hello, { signal: new AbortController().signal })) {
      if (part.type === 'text') break;
    }
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
  });
});

describe('ResponsesProvider: the request on the wire', () => {
  it('a full tool round trip: instructions, store false, include, calls, outputs and restored reasoning', async () => {
    const { server, provider } = await setup([
      { reasoningSummary: 'Need the time.', encryptedReasoning: 'gAAAAB-round-1', text: 'Checking.', toolCalls: [{ name: 'clock', arguments: {} }] },
      { text: 'It is noon.' },
    ]);
    const tools = [{ name: 'clock', description: 'Current time', parameters: { type: 'object', properties: {} } }];
    const system: Message = { role: 'system', content: 'You are a clock.' };
    const user: Message = { role: 'user', content: 'time?' };
    const first = summary(await collect(provider, { messages: [system, user], tools, reasoningEffort: 'high', maxTokens: 999 }));
    const call = first.calls[0]!;
    const providerFields = first.finish?.type === 'finish' ? first.finish.providerFields : undefined;
    await collect(provider, {
      messages: [
        system,
        user,
        { role: 'assistant', content: first.text, toolCalls: [call], ...(providerFields ? { providerFields } : {}) },
        { role: 'tool', toolCallId: call.id, name: call.name, content: '12:00' },
      ],
      tools,
    });

    const [one, two] = server.requests;
    expect(one!.path).toBe('/backend-api/codex/responses');
    expect(one!.body).toEqual({
      model: 'gpt-5-codex',
      instructions: 'You are a clock.',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'time?' }] }],
      store: false,
      parallel_tool_calls: true,
      tools: [{ type: 'function', name: 'clock', description: 'Current time', parameters: { type: 'object', properties: {} }, strict: false }],
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'high', summary: 'auto' },
      stream: true,
    });
    expect(two!.body?.instructions).toBe('You are a clock.');
    expect(two!.body?.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'time?' }] },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Need the time.' }], encrypted_content: 'gAAAAB-round-1' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', call_id: 'call_0_0', name: 'clock', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_0_0', output: '12:00' },
    ]);
  });

  it('calls the credentials callback before every request and sends its token and account id', async () => {
    const { server, provider, logins } = await setup([{ text: 'a' }, { text: 'b' }]);
    await collect(provider);
    await collect(provider);
    expect(logins).toHaveLength(2);
    expect(server.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(server.requests.map((r) => r.headers['chatgpt-account-id'])).toEqual(['acct-42', 'acct-42']);
    expect(server.requests[0]!.headers['originator']).toBe('kohakuterrarium');
    expect(server.requests[0]!.headers['x-stainless-retry-count']).toBe('0');
  });

  it('API-key mode on /v1/responses: the key as bearer, max_output_tokens and temperature sent, extraBody last', async () => {
    server = await startFakeResponses({ script: [{ text: 'ok' }] });
    const provider = new ResponsesProvider({ model: 'gpt-4.1', apiKey: 'sk-test', baseURL: server.baseURL });
    await collect(provider, { ...hello, maxTokens: 256, temperature: 0.2, extraBody: { temperature: 0.5, top_p: 0.9 } });
    expect(provider.id).toBe('openai/gpt-4.1');
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/responses');
    expect(request.headers['authorization']).toBe('Bearer sk-test');
    expect(request.headers['chatgpt-account-id']).toBeUndefined();
    expect(request.body).toMatchObject({ instructions: 'Be brief.', max_output_tokens: 256, temperature: 0.5, top_p: 0.9, store: false, stream: true });
    // A non-reasoning model is not asked for encrypted reasoning (it would answer 400).
    expect(request.body).not.toHaveProperty('include');
  });

  it('leaves max_output_tokens out for the Codex backend, which rejects it', async () => {
    const { server, provider } = await setup([{ text: 'ok' }]);
    await collect(provider, { ...hello, maxTokens: 100 });
    expect(server.requests[0]!.body).not.toHaveProperty('max_output_tokens');
  });

  it('answers an interrupted call and drops a stray output', async () => {
    const { server, provider } = await setup([{ text: 'ok' }]);
    await collect(provider, {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_lost', name: 'run', arguments: '{}' }] },
        { role: 'user', content: 'again' },
        { role: 'tool', toolCallId: 'call_stray', name: 'run', content: 'late' },
      ],
    });
    expect(server.requests[0]!.body?.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
      { type: 'function_call', call_id: 'call_lost', name: 'run', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_lost', output: 'No result: the call was interrupted before it finished.' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'again' }] },
    ]);
  });
});

describe('ResponsesProvider: failures', () => {
  it('401 → auth with a login hint for the codex provider', async () => {
    const { provider } = await setup([{ error: { status: 401, message: 'Your token expired.' } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'auth', retryable: false, status: 401 });
    expect(error.message).toBe('the sign-in for codex was rejected (401): Your token expired.');
    expect(error.hint).toContain('kt login codex');
  });

  it('401 in API-key mode names the provider in the hint', async () => {
    server = await startFakeResponses({ script: [{ error: { status: 401 } }] });
    const provider = new ResponsesProvider({ model: 'gpt-5', apiKey: 'sk-bad', baseURL: server.baseURL });
    const error = await failure(collect(provider));
    expect(error.message).toContain('the key for openai was rejected (401)');
    expect(error.hint).toContain('kt login openai');
  });

  it('a failing credentials callback → auth with the login hint, and no request is sent', async () => {
    const { server, provider } = await setup([], {
      credentials: async () => {
        throw new Error('not logged in');
      },
    });
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'auth' });
    expect(error.message).toContain('not logged in');
    expect(error.hint).toContain('kt login codex');
    expect(server.requests).toHaveLength(0);
  });

  it('429 with retry-after → rate_limit with retryAfterMs', async () => {
    const { provider } = await setup([{ error: { status: 429, retryAfter: 2 } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'rate_limit', retryable: true, retryAfterMs: 2000, status: 429 });
  });

  it('429 usage_limit_reached of a ChatGPT plan → user, not retryable, with the reset time', async () => {
    const { provider } = await setup([
      {
        error: {
          status: 429,
          type: 'usage_limit_reached',
          message: 'The usage limit has been reached',
          fields: { plan_type: 'plus', resets_in_seconds: 7200 },
        },
      },
    ]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'user', retryable: false, status: 429 });
    expect(error.hint).toContain('2 h');
  });

  it('500 → server, retryable; an exhausted script shows up in the message', async () => {
    const { provider } = await setup([{ error: { status: 500 } }]);
    expect(await failure(collect(provider))).toMatchObject({ errorClass: 'server', retryable: true, status: 500 });
    expect((await failure(collect(provider))).message).toContain('fake server: script exhausted after 1 requests');
  });

  it("keeps the reason of the Codex backend's {detail} 400s", async () => {
    const { provider } = await setup([{ error: { status: 400, message: 'Instructions are not valid', detail: true } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'user', status: 400 });
    expect(error.message).toContain('Instructions are not valid');
  });

  it.each([
    ['rate_limit_exceeded', 'Rate limit reached. Please try again in 1.5s.', 'rate_limit', true],
    ['server_error', 'An error occurred while processing your request.', 'server', true],
    ['context_length_exceeded', 'Your input exceeds the context window of this model.', 'overflow', false],
    ['invalid_prompt', 'Invalid prompt.', 'user', false],
    ['something_new', 'Who knows.', 'unknown', false],
  ] as const)('response.failed %s → %s', async (code, message, errorClass, retryable) => {
    const { provider } = await setup([{ failed: { code, message } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass, retryable });
    expect(error.message).toContain(message);
    if (errorClass === 'rate_limit') expect(error.retryAfterMs).toBe(1500);
  });

  it('an error event → classified by its code', async () => {
    const { provider } = await setup([{ errorEvent: { code: 'server_error', message: 'upstream broke' } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'server', retryable: true });
    expect(error.message).toContain('upstream broke');
  });

  it('malformed stream → protocol, not retryable', async () => {
    const { provider } = await setup([{ malformed: true }]);
    expect(await failure(collect(provider))).toMatchObject({ errorClass: 'protocol', retryable: false });
  });

  it('a 200 that is not an event stream → protocol', async () => {
    const page = async () => new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const { provider } = await setup([], { fetch: page as typeof fetch });
    const error = await failure(collect(provider));
    expect(error.errorClass).toBe('protocol');
  });

  it('a stream that ends without response.completed → transient', async () => {
    const cut = 'event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{}}\n\n';
    const sse = async () => new Response(cut, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const { provider } = await setup([], { fetch: sse as typeof fetch });
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toContain('ended before the response was complete');
  });

  it.each(['before-headers', 'mid-stream'] as const)('dropped connection (%s) → transient', async (drop) => {
    const { provider } = await setup([{ drop }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toContain('codex');
  });

  it('hang + abort → rejects with the signal reason and the HTTP request is closed', async () => {
    const { server, provider } = await setup([{ hang: true }]);
    const controller = new AbortController();
    const reason = new AbortReason('interrupted');
    const pending = collect(provider, hello, controller.signal);
    await server.waitForRequests(1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
  });

  it('an abort mid-stream rejects with the signal reason too', async () => {
    const { server, provider } = await setup([{ text: 'y'.repeat(100), chunkSize: 1, delayMs: 5 }]);
    const controller = new AbortController();
    const reason = new AbortReason('cancelled');
    const seen: LLMStreamPart[] = [];
    const run = (async () => {
      for await (const part of provider.stream(hello, { signal: controller.signal })) {
        seen.push(part);
        if (seen.length === 3) controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
  });
});
