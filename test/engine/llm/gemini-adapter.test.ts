import { afterEach, describe, expect, it, vi } from 'vitest';
import { GeminiProvider, type GeminiProviderOptions } from '../../../source/engine/llm/gemini/adapter.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { startFakeGemini } from '../../fakes/gemini-server.js';
import { answering, collect, expectReasoningThenText, hello, loginPage, scriptedSetup, summary } from './harness.js';
import { testFailures, testProviderContract } from './provider-contract.js';
import { lookTool, pictureQuestion } from './wire-inputs.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const setup = scriptedSetup(startFakeGemini, (server, options: Partial<GeminiProviderOptions>) => ({
  provider: new GeminiProvider({ model: 'gemini-2.5-flash', apiKey: 'gm-test', baseURL: server.baseURL, provider: 'fakegem', ...options }),
}));

testProviderContract('GeminiProvider', setup, {
  rejected: 'the key for fakegem was rejected (401 UNAUTHENTICATED)',
  fakeLabel: 'fake Gemini server',
  unreachable: /no response from fakegem at http:\/\/127\.0\.0\.1:\d+: /,
});

describe('GeminiProvider: streaming', () => {
  it('has an id of provider/model, gemini by default', () => {
    expect(new GeminiProvider({ model: 'gemini-2.5-flash', apiKey: 'k', provider: 'fakegem' }).id).toBe('fakegem/gemini-2.5-flash');
    expect(new GeminiProvider({ model: 'gemini-3-pro-preview', apiKey: 'k' }).id).toBe('gemini/gemini-3-pro-preview');
  });

  it('streams from streamGenerateContent as server-sent events, the key in x-goog-api-key', async () => {
    const { server, provider } = await setup([{ text: 'Hello there.' }]);
    expect(summary(await collect(provider)).text).toBe('Hello there.');
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(request.query).toEqual({ alt: 'sse' });
    expect(request.headers['x-goog-api-key']).toBe('gm-test');
  });

  it('streams thought parts as reasoning, before the answer', async () => {
    const { provider } = await setup([{ thought: 'Considering the greeting.', text: 'Hi!', chunkSize: 6 }]);
    expectReasoningThenText(await collect(provider), 'Considering the greeting.', 'Hi!');
  });

  it('one function call → a whole tool call with a generated id, finish tool_calls', async () => {
    const { provider } = await setup([{ toolCalls: [{ name: 'read', arguments: { path: 'a.txt' } }] }]);
    const s = summary(await collect(provider));
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]).toMatchObject({ name: 'read', arguments: '{"path":"a.txt"}' });
    expect(s.calls[0]!.id).toMatch(/^call_[\w-]{8,}$/);
    expect(s.finish).toMatchObject({ finishReason: 'tool_calls' });
  });

  it('two function calls → two calls with distinct ids; an API-given id is kept', async () => {
    const { provider } = await setup([
      {
        text: 'Reading both.',
        toolCalls: [
          { name: 'read', arguments: { path: 'one.txt' } },
          { name: 'read', arguments: { path: 'two.txt' }, id: 'fc-api-2' },
        ],
      },
    ]);
    const s = summary(await collect(provider));
    expect(s.text).toBe('Reading both.');
    expect(s.calls.map((c) => c.arguments)).toEqual(['{"path":"one.txt"}', '{"path":"two.txt"}']);
    expect(s.calls[1]!.id).toBe('fc-api-2');
    expect(new Set(s.calls.map((c) => c.id)).size).toBe(2);
  });

  it('reports usage: input includes cached, output includes thoughts', async () => {
    const { provider } = await setup([
      {
        thought: 'hm',
        text: 'ok',
        usage: { promptTokenCount: 2000, candidatesTokenCount: 5, thoughtsTokenCount: 40, cachedContentTokenCount: 1536 },
      },
    ]);
    const s = summary(await collect(provider));
    expect(s.finish).toMatchObject({ finishReason: 'stop', usage: { input: 2000, output: 45, cached: 1536 } });
  });

  it('maps finish reasons and finishes without usage when none is sent', async () => {
    const { provider } = await setup([
      { text: 'cut', usage: false, finishReason: 'MAX_TOKENS' },
      { text: '', usage: false, finishReason: 'SAFETY' },
    ]);
    expect(summary(await collect(provider)).finish).toEqual({ type: 'finish', finishReason: 'length' });
    expect(summary(await collect(provider)).finish).toEqual({ type: 'finish', finishReason: 'safety' });
  });

  it('writes nothing to the console while streaming function calls', async () => {
    // Both keys set makes the SDK constructor warn; the client is built during the first stream.
    vi.stubEnv('GOOGLE_API_KEY', 'env-google');
    vi.stubEnv('GEMINI_API_KEY', 'env-gemini');
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const { provider } = await setup([
      { thought: 'plan', text: 'Calling.', thoughtSignature: 'sig-1', toolCalls: [{ name: 'a', arguments: {} }, { name: 'b', arguments: { x: 1 } }] },
    ]);
    const s = summary(await collect(provider));
    expect(s.calls).toHaveLength(2);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('uses the configured apiVersion in the path', async () => {
    const { server, provider } = await setup([{ text: 'v1 it is' }], { apiVersion: 'v1' });
    await collect(provider);
    expect(server.requests[0]!.path).toBe('/v1/models/gemini-2.5-flash:streamGenerateContent');
  });
});

describe('GeminiProvider: the request on the wire', () => {
  it('converts system, user (text, inline and linked images), roles and tools', async () => {
    const { server, provider } = await setup([{ text: 'done' }]);
    const messages: Message[] = [
      { role: 'system', content: 'You are terse.' },
      pictureQuestion('https://example.com/cat.webp'),
      { role: 'user', content: 'Be brief.' },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'thanks' },
    ];
    await collect(provider, { messages, tools: [lookTool], temperature: 0.2, maxTokens: 512, extraBody: { topP: 0.9, temperature: 0.3 } });
    const body = server.requests[0]!.body!;
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are terse.' }] });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'What is in this picture?' },
          { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
          { fileData: { fileUri: 'https://example.com/cat.webp', mimeType: 'image/webp' } },
          { text: 'Be brief.' },
        ],
      },
      { role: 'model', parts: [{ text: 'A cat.' }] },
      { role: 'user', parts: [{ text: 'thanks' }] },
    ]);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'look', description: 'Look closer', parametersJsonSchema: lookTool.parameters },
        ],
      },
    ]);
    expect(body.generationConfig).toEqual({
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 512,
      thinkingConfig: { includeThoughts: true },
    });
  });

  it('a full tool round trip sends the call back with its signature, then the result', async () => {
    const { server, provider } = await setup([
      { thought: 'Need the time.', thoughtSignature: 'sig-step-1', toolCalls: [{ name: 'clock', arguments: { tz: 'UTC' } }] },
      { text: 'It is noon.', thoughtSignature: 'sig-final' },
    ]);
    const ask: Message = { role: 'user', content: 'time?' };
    const first = summary(await collect(provider, { messages: [ask] }));
    const call = first.calls[0]!;
    expect(first.finish).toMatchObject({ finishReason: 'tool_calls' });
    const providerFields = first.finish?.providerFields;
    expect(providerFields).toBeDefined();

    const second = summary(
      await collect(provider, {
        messages: [
          ask,
          { role: 'assistant', content: '', toolCalls: [call], reasoning: first.reasoning, ...(providerFields ? { providerFields } : {}) },
          { role: 'tool', toolCallId: call.id, name: call.name, content: '12:00' },
        ],
      }),
    );
    expect(second.text).toBe('It is noon.');
    expect(server.requests[1]!.body!.contents).toEqual([
      { role: 'user', parts: [{ text: 'time?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'clock', args: { tz: 'UTC' } }, thoughtSignature: 'sig-step-1' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'clock', response: { output: '12:00' } } }] },
    ]);
    // A signature on the final (empty) text part comes back for the next turn too.
    expect(second.finish?.providerFields).toEqual({
      gemini_parts: [{ kind: 'text', at: 'It is noon.'.length, thoughtSignature: 'sig-final' }],
    });
  });

  it('sends API-given call ids back on the call and its response', async () => {
    const { server, provider } = await setup([{ toolCalls: [{ name: 'clock', arguments: {}, id: 'fc-7' }] }, { text: 'ok' }]);
    const first = summary(await collect(provider));
    const call = first.calls[0]!;
    const providerFields = first.finish?.providerFields;
    await collect(provider, {
      messages: [
        { role: 'user', content: 'time?' },
        { role: 'assistant', content: '', toolCalls: [call], ...(providerFields ? { providerFields } : {}) },
        { role: 'tool', toolCallId: call.id, name: 'clock', content: 'noon' },
      ],
    });
    const contents = server.requests[1]!.body!.contents!;
    expect(contents[1].parts[0].functionCall).toEqual({ name: 'clock', args: {}, id: 'fc-7' });
    expect(contents[2].parts[0].functionResponse).toEqual({ name: 'clock', id: 'fc-7', response: { output: 'noon' } });
  });

  it('repairs pairing: orphan calls get an error response, stray results are dropped, tool results merge', async () => {
    const { server, provider } = await setup([{ text: 'ok' }]);
    await collect(provider, {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'tool', toolCallId: 'stray', name: 'x', content: 'lost' },
        {
          role: 'assistant',
          content: 'Two reads.',
          toolCalls: [
            { id: 'c1', name: 'read', arguments: '{"p":1}' },
            { id: 'c2', name: 'read', arguments: 'not json' },
          ],
        },
        { role: 'tool', toolCallId: 'c1', name: 'read', content: 'one', isError: false },
        { role: 'user', content: 'and?' },
      ],
    });
    expect(server.requests[0]!.body!.contents).toEqual([
      { role: 'user', parts: [{ text: 'go' }] },
      {
        role: 'model',
        parts: [
          { text: 'Two reads.' },
          { functionCall: { name: 'read', args: { p: 1 } } },
          { functionCall: { name: 'read', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'read', response: { output: 'one' } } },
          { functionResponse: { name: 'read', response: { error: 'No result: the call was interrupted before it finished.' } } },
          { text: 'and?' },
        ],
      },
    ]);
  });

  it('gives Gemini 3 calls without a signature the documented stand-in', async () => {
    const { server, provider } = await setup([{ text: 'ok' }], { model: 'gemini-3-flash-preview' });
    await collect(provider, {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'a', arguments: '{}' }, { id: 'c2', name: 'b', arguments: '{}' }] },
        { role: 'tool', toolCallId: 'c1', name: 'a', content: '1' },
        { role: 'tool', toolCallId: 'c2', name: 'b', content: '2' },
      ],
    });
    const model = server.requests[0]!.body!.contents![1];
    expect(model.parts[0]).toEqual({ functionCall: { name: 'a', args: {} }, thoughtSignature: 'skip_thought_signature_validator' });
    expect(model.parts[1]).toEqual({ functionCall: { name: 'b', args: {} } });
  });

  it('maps reasoning effort to a thinking level (Gemini 3) or budget (2.5); extraBody overrides', async () => {
    const { server, provider } = await setup([{ text: '1' }, { text: '2' }, { text: '3' }, { text: '4' }]);
    const gemini3 = new GeminiProvider({ model: 'gemini-3-flash-preview', apiKey: 'k', baseURL: server.baseURL });
    await collect(gemini3, { ...hello, reasoningEffort: 'low' });
    await collect(provider, { ...hello, reasoningEffort: 'high' });
    await collect(provider, { ...hello, reasoningEffort: 'none' });
    await collect(gemini3, { ...hello, reasoningEffort: 'high', extraBody: { thinkingConfig: { thinkingBudget: 1024 } } });
    const thinking = server.requests.map((r) => r.body!.generationConfig.thinkingConfig);
    expect(thinking).toEqual([
      { includeThoughts: true, thinkingLevel: 'LOW' },
      { includeThoughts: true, thinkingBudget: 24576 },
      { thinkingBudget: 0 },
      { includeThoughts: true, thinkingBudget: 1024 },
    ]);
  });
});

describe('GeminiProvider: failures', () => {
  testFailures(setup, [
    {
      name: '400 API_KEY_INVALID → auth',
      reply: { error: { status: 400, message: 'API key not valid. Please pass a valid API key.', reason: 'API_KEY_INVALID' } },
      is: { errorClass: 'auth', retryable: false, status: 400 },
      message: 'the key for fakegem was rejected (400 INVALID_ARGUMENT): API key not valid',
    },
    {
      name: '429 → rate_limit with the delay from RetryInfo',
      reply: { error: { status: 429, retryDelay: '12s' } },
      is: { errorClass: 'rate_limit', retryable: true, retryAfterMs: 12_000, status: 429 },
      message: 'RESOURCE_EXHAUSTED',
    },
    {
      name: '429 with a retry-after header → rate_limit with the header\'s delay',
      reply: { error: { status: 429, retryAfter: 3 } },
      is: { errorClass: 'rate_limit', retryable: true, retryAfterMs: 3000, status: 429 },
      message: 'RESOURCE_EXHAUSTED',
    },
    {
      name: '400 input over the token limit → overflow, naming the model',
      reply: { error: { status: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' } },
      is: { errorClass: 'overflow', retryable: false },
      message: 'gemini-2.5-flash',
    },
    {
      name: '404 → user with a hint about the model',
      reply: { error: { status: 404, message: 'models/nope is not found for API version v1beta' } },
      is: { errorClass: 'user', status: 404 },
      hint: 'model name',
    },
    {
      name: 'an error event inside the stream, after text → classified by its code',
      reply: { text: 'partial', streamError: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' } },
      is: { errorClass: 'server', status: 503, retryable: true },
      message: 'The model is overloaded.',
    },
    {
      name: 'an in-stream RESOURCE_EXHAUSTED → rate_limit',
      reply: { streamError: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded.' } },
      is: { errorClass: 'rate_limit', status: 429 },
    },
    {
      name: 'a 200 that is not an event stream → protocol, naming the content type it got',
      options: { fetch: loginPage },
      is: { errorClass: 'protocol' },
      message: 'text/html',
    },
    { name: 'an event stream with no generation chunks → protocol', options: { fetch: answering('') }, is: { errorClass: 'protocol' }, message: 'empty stream' },
  ]);
});
