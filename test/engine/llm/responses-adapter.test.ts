import { describe, expect, it } from 'vitest';
import type { Message } from '../../../source/engine/llm/messages.js';
import {
  ResponsesProvider,
  type ResponsesProviderOptions,
} from '../../../source/engine/llm/openai/responses/adapter.js';
import type { LLMRequest, Provider } from '../../../source/engine/llm/provider.js';
import { startFakeResponses } from '../../fakes/responses-server.js';
import { interruptedCall } from '../../helpers/tool-messages.js';
import { answering, closedAfterEach, collect as collectParts, expectReasoningThenText, failure, scriptedSetup, summary } from './harness.js';
import { testFailures, testProviderContract } from './provider-contract.js';

/** A provider on the fake's Codex route with an OAuth-style credentials callback, unless told otherwise. */
const setup = scriptedSetup(startFakeResponses, (server, options: Partial<ResponsesProviderOptions>) => {
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
  return { provider, logins };
});

/** For the API-key tests, which build their own provider. */
const startServer = closedAfterEach(startFakeResponses);

/** The Codex route rejects a request without instructions, so this file's default request has a system message. */
const hello: LLMRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }] };
const collect = (provider: Provider, request: LLMRequest = hello) => collectParts(provider, request);

testProviderContract('ResponsesProvider', setup, {
  request: hello,
  rejected: 'the sign-in for codex was rejected (401)',
  unreachable: /no response from codex at http:\/\/127\.0\.0\.1:\d+\/backend-api\/codex: .*ECONNREFUSED/,
  numberedCallIds: ['call_0_0', 'call_0_1'],
});

describe('ResponsesProvider: streaming', () => {
  it('has an id of provider/model, defaulting to openai', () => {
    expect(new ResponsesProvider({ model: 'gpt-5-codex', apiKey: 'k', provider: 'codex' }).id).toBe('codex/gpt-5-codex');
    expect(new ResponsesProvider({ model: 'gpt-5', apiKey: 'k' }).id).toBe('openai/gpt-5');
  });

  it('streams the reasoning summary as reasoning, parts separated, before the text', async () => {
    const { provider } = await setup([{ reasoningSummary: ['First I look.', 'Then I answer.'], text: 'Done.' }]);
    expectReasoningThenText(await collect(provider), 'First I look.\n\nThen I answer.', 'Done.');
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
    expect(s.finish?.providerFields).toEqual({
      responses_reasoning: [
        { id: expect.stringMatching(/^rs_[0-9a-f]{48}$/), summary: [{ type: 'summary_text', text: 'Thinking.' }], encrypted_content: 'gAAAAB-secret' },
      ],
    });
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
    const providerFields = first.finish?.providerFields;
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
    const server = await startServer({ script: [{ text: 'ok' }] });
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
    await collect(provider, { messages: interruptedCall() });
    expect(server.requests[0]!.body?.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
      { type: 'function_call', call_id: 'lost', name: 'run', arguments: '{}' },
      { type: 'function_call_output', call_id: 'lost', output: 'No result: the call was interrupted before it finished.' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'what happened?' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Nothing.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'ok' }] },
    ]);
  });
});

describe('ResponsesProvider: failures', () => {
  it("a 401 on the Codex route passes the server's reason on", async () => {
    const { provider } = await setup([{ error: { status: 401, message: 'Your token expired.' } }]);
    expect((await failure(collect(provider))).message).toBe('the sign-in for codex was rejected (401): Your token expired.');
  });

  it('401 in API-key mode names the provider in the hint', async () => {
    const server = await startServer({ script: [{ error: { status: 401 } }] });
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

  /** How the Responses API reports a failure inside a stream: the code decides the class. */
  const failedResponses = [
    ['rate_limit_exceeded', 'Rate limit reached. Please try again in 1.5s.', { errorClass: 'rate_limit', retryable: true, retryAfterMs: 1500 }],
    ['server_error', 'An error occurred while processing your request.', { errorClass: 'server', retryable: true }],
    ['context_length_exceeded', 'Your input exceeds the context window of this model.', { errorClass: 'overflow', retryable: false }],
    ['invalid_prompt', 'Invalid prompt.', { errorClass: 'user', retryable: false }],
    ['something_new', 'Who knows.', { errorClass: 'unknown', retryable: false }],
  ] as const;

  testFailures(
    setup,
    [
      {
        name: '429 usage_limit_reached of a ChatGPT plan → user, not retryable, with the reset time',
        reply: {
          error: {
            status: 429,
            type: 'usage_limit_reached',
            message: 'The usage limit has been reached',
            fields: { plan_type: 'plus', resets_in_seconds: 7200 },
          },
        },
        is: { errorClass: 'user', retryable: false, status: 429 },
        hint: '2 h',
      },
      {
        name: "the Codex backend's {detail} 400s → user, keeping the reason",
        reply: { error: { status: 400, message: 'Instructions are not valid', detail: true } },
        is: { errorClass: 'user', status: 400 },
        message: 'Instructions are not valid',
      },
      ...failedResponses.map(([code, message, is]) => ({ name: `response.failed ${code} → ${is.errorClass}`, reply: { failed: { code, message } }, is, message })),
      {
        name: 'an error event → classified by its code',
        reply: { errorEvent: { code: 'server_error', message: 'upstream broke' } },
        is: { errorClass: 'server', retryable: true },
        message: 'upstream broke',
      },
      {
        name: 'a stream that ends without response.completed → transient',
        options: { fetch: answering('event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{}}\n\n') },
        is: { errorClass: 'transient', retryable: true },
        message: 'ended before the response was complete',
      },
    ],
    hello,
  );
});
