import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Message } from '../../../source/engine/llm/messages.js';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from '../../../source/engine/llm/openai/adapter.js';
import { startFakeOpenAI, type FakeQuirks } from '../../fakes/openai-server.js';
import { answering, collect, failure, scriptedSetup, summary } from './harness.js';
import { testFailures, testProviderContract } from './provider-contract.js';
import { lookingAssistant, lookTool, pictureQuestion } from './wire-inputs.js';

const setup = scriptedSetup(startFakeOpenAI, (server, options: Partial<OpenAICompatibleOptions>) => ({
  provider: new OpenAICompatibleProvider({ model: 'gpt-test', apiKey: 'sk-test', baseURL: server.baseURL, provider: 'fakeai', ...options }),
}));

testProviderContract('OpenAICompatibleProvider', setup, {
  rejected: 'the key for fakeai was rejected (401)',
  unreachable: /no response from fakeai at http:\/\/127\.0\.0\.1:\d+\/v1: .*ECONNREFUSED/,
  numberedCallIds: ['call_0_0', 'call_0_1'],
});

describe('OpenAICompatibleProvider: streaming', () => {
  it('has an id of provider/model, openai by default', () => {
    expect(new OpenAICompatibleProvider({ model: 'gpt-test', apiKey: 'k', provider: 'fakeai' })).toMatchObject({ id: 'fakeai/gpt-test', provider: 'fakeai' });
    expect(new OpenAICompatibleProvider({ model: 'gpt-4o', apiKey: 'k' }).id).toBe('openai/gpt-4o');
  });

  it('streams reasoning from reasoning_content and from reasoning', async () => {
    const { provider } = await setup([
      { reasoning: 'Let me think about it.', text: 'Answer.' },
      { reasoning: 'Other field.', reasoningField: 'reasoning', text: 'Two.' },
    ]);
    const first = summary(await collect(provider));
    expect(first).toMatchObject({ reasoning: 'Let me think about it.', text: 'Answer.' });
    const second = summary(await collect(provider));
    expect(second).toMatchObject({ reasoning: 'Other field.', text: 'Two.' });
  });

  it('hands the reasoning back under the field it came in, for thinking models that need it with tool calls', async () => {
    const { provider, server } = await setup([
      { reasoning: 'I should look.', toolCalls: [{ id: 'c1', name: 'look', arguments: {} }] },
      { text: 'done' },
    ]);
    const first = summary(await collect(provider));
    const providerFields = first.finish?.providerFields;
    expect(providerFields).toEqual({ openai_compat: { reasoning_content: 'I should look.' } });
    await collect(provider, {
      messages: [
        { role: 'user', content: 'look' },
        { role: 'assistant', content: '', toolCalls: first.calls, ...(providerFields ? { providerFields } : {}) },
        { role: 'tool', toolCallId: 'c1', name: 'look', content: 'seen' },
      ],
    });
    const assistant = (server.requests[1]!.body!.messages as Array<Record<string, unknown>>)[1];
    expect(assistant).toMatchObject({ role: 'assistant', reasoning_content: 'I should look.' });
  });

  const quirkCases: Array<[string, FakeQuirks]> = [
    ['noIndex', { noIndex: true }],
    ['reuseIndexZero', { reuseIndexZero: true }],
    ['noIdOnFirstDelta', { noIdOnFirstDelta: true }],
    ['nameAfterArgs', { nameAfterArgs: true }],
    ['argsInOneChunk', { argsInOneChunk: true }],
    ['emptyDeltas', { emptyDeltas: true }],
    ['noDone', { noDone: true }],
    ['usageInFinalOnly', { usageInFinalOnly: true }],
    ['reuseIndexZero + noIdOnFirstDelta', { reuseIndexZero: true, noIdOnFirstDelta: true }],
    ['noIndex + nameAfterArgs', { noIndex: true, nameAfterArgs: true }],
    ['everything at once', { noIndex: true, noIdOnFirstDelta: true, emptyDeltas: true, noDone: true, usageInFinalOnly: true }],
  ];

  it.each(quirkCases)('copes with the %s quirk', async (_name, quirks) => {
    const { provider } = await setup([
      {
        text: 'On it.',
        toolCalls: [
          { id: 'call_a', name: 'read', arguments: { path: 'one.txt' } },
          { id: 'call_b', name: 'read', arguments: { path: 'two.txt' } },
        ],
        usage: { prompt_tokens: 120, completion_tokens: 30 },
        quirks,
      },
    ]);
    const s = summary(await collect(provider));
    expect(s.text).toBe('On it.');
    expect(s.calls).toEqual([
      { id: 'call_a', name: 'read', arguments: '{"path":"one.txt"}' },
      { id: 'call_b', name: 'read', arguments: '{"path":"two.txt"}' },
    ]);
    expect(s.finishes).toHaveLength(1);
    expect(s.finish).toMatchObject({ finishReason: 'tool_calls', usage: { input: 120, output: 30, cached: 0 } });
  });

  it('reports usage with cached tokens', async () => {
    const { provider } = await setup([{ text: 'ok', usage: { prompt_tokens: 2000, completion_tokens: 5, cached_tokens: 1536 } }]);
    const s = summary(await collect(provider));
    expect(s.finish).toEqual({ type: 'finish', finishReason: 'stop', usage: { input: 2000, output: 5, cached: 1536 } });
  });

  it('finishes without usage when the server sends none, and passes the finish reason through', async () => {
    const { provider } = await setup([{ text: 'cut', usage: false, finishReason: 'length' }]);
    const s = summary(await collect(provider));
    expect(s.finish).toEqual({ type: 'finish', finishReason: 'length' });
  });

  it('estimates plausible usage by default', async () => {
    const { provider } = await setup([{ text: 'some words here' }]);
    const s = summary(await collect(provider));
    expect(s.finish?.usage?.input).toBeGreaterThan(0);
    expect(s.finish?.usage?.output).toBeGreaterThan(0);
  });
});

describe('OpenAICompatibleProvider: the request on the wire', () => {
  it('converts messages, tools and options to the chat-completions body', async () => {
    const { server, provider } = await setup([{ text: 'done' }], { defaultHeaders: { 'x-team': 'kohaku' } });
    const messages: Message[] = [
      { role: 'system', content: 'You are terse.' },
      pictureQuestion('https://example.com/cat.png', 'low'),
      lookingAssistant('', {
        openai_compat: { reasoning_details: [{ type: 'reasoning.encrypted', data: 'opaque' }] },
        gemini_parts: [{ thoughtSignature: 'not for openai' }],
      }),
      { role: 'tool', toolCallId: 'call_9', name: 'look', content: [{ type: 'text', text: 'a cat' }, { type: 'text', text: ' on a mat' }] },
      { role: 'assistant', content: 'A cat on a mat.' },
      { role: 'user', content: 'thanks' },
    ];
    await collect(provider, {
      messages,
      tools: [lookTool],
      temperature: 0.2,
      maxTokens: 512,
      reasoningEffort: 'low',
      extraBody: { top_p: 0.9, temperature: 0.3 },
    });

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers['authorization']).toBe('Bearer sk-test');
    expect(request.headers['x-team']).toBe('kohaku');
    expect(request.headers['x-stainless-retry-count']).toBe('0');
    expect(request.body).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'look', arguments: '{"zoom":2}' } }],
          reasoning_details: [{ type: 'reasoning.encrypted', data: 'opaque' }],
        },
        { role: 'tool', tool_call_id: 'call_9', content: 'a cat on a mat' },
        { role: 'assistant', content: 'A cat on a mat.' },
        { role: 'user', content: 'thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'look', description: 'Look closer', parameters: lookTool.parameters },
        },
      ],
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 512,
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends no tools key when there are no tools, and a round trip feeds the tool result back', async () => {
    const { server, provider } = await setup([
      { toolCalls: [{ name: 'clock', arguments: {} }] },
      { text: 'It is noon.' },
    ]);
    const first = summary(await collect(provider, { messages: [{ role: 'user', content: 'time?' }], tools: [] }));
    const call = first.calls[0]!;
    await collect(provider, {
      messages: [
        { role: 'user', content: 'time?' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', toolCallId: call.id, name: call.name, content: '12:00' },
      ],
    });
    expect(server.requests[0]!.body).not.toHaveProperty('tools');
    expect(server.requests[1]!.body?.messages).toEqual([
      { role: 'user', content: 'time?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'clock', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_0_0', content: '12:00' },
    ]);
  });
});

describe('OpenAICompatibleProvider: failures', () => {
  testFailures(setup, [
    { name: '429 with retry-after-ms → retryAfterMs to the millisecond', reply: { error: { status: 429, retryAfterMs: 250 } }, is: { retryAfterMs: 250 } },
    {
      name: '429 insufficient_quota → user, not retryable',
      reply: { error: { status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota' } },
      is: { errorClass: 'user', retryable: false },
    },
    {
      name: '400 context_length_exceeded → overflow, naming the model',
      reply: { error: { status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." } },
      is: { errorClass: 'overflow', retryable: false },
      message: 'gpt-test',
    },
    { name: '404 → user with a hint about the model and base URL', reply: { error: { status: 404 } }, is: { errorClass: 'user', status: 404 }, hint: 'base URL' },
    {
      name: 'an error event inside the stream → classified by the code it carries',
      options: { fetch: answering('data: {"error":{"message":"Provider returned error","code":502}}\n\n') },
      is: { errorClass: 'server', status: 502, retryable: true },
      message: 'Provider returned error',
    },
    {
      name: 'a chunk that is JSON but not an object → protocol',
      options: { fetch: answering('data: 42\n\ndata: [DONE]\n\n') },
      is: { errorClass: 'protocol', retryable: false },
    },
    { name: 'a stream with nothing but [DONE] → protocol', options: { fetch: answering('data: [DONE]\n\n') }, is: { errorClass: 'protocol' }, message: 'empty stream' },
  ]);
});

describe('OpenAICompatibleProvider: transport', () => {
  /** A server answering every request with `answer`, counting connections. */
  async function rawServer(answer: (res: ServerResponse) => void) {
    let connections = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const provider = new OpenAICompatibleProvider({ model: 'm', apiKey: 'k', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, provider: 'fakeai' });
    return { provider, connections: () => connections };
  }
  const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
  const chunk = (delta: unknown, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });

  it('sends every request of a conversation over one kept-alive connection', async () => {
    const { provider, connections } = await rawServer((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(frame(chunk({ content: 'hi' })) + frame(chunk({}, 'stop')) + 'data: [DONE]\n\n');
    });
    for (let i = 0; i < 3; i++) expect(summary(await collect(provider)).text).toBe('hi');
    expect(connections()).toBe(1);
  });

  it('a connection cut mid-response → transient, saying it broke mid-response', async () => {
    const { provider } = await rawServer((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(frame(chunk({ content: 'hal' })));
      setImmediate(() => res.socket?.destroy());
    });
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toContain('broke mid-response');
  });
});
