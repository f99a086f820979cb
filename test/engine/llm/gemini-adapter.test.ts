import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortReason, ProviderError } from '../../../source/engine/errors.js';
import { GeminiProvider, type GeminiProviderOptions } from '../../../source/engine/llm/gemini/adapter.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import type { LLMRequest, LLMStreamPart } from '../../../source/engine/llm/provider.js';
import { startFakeGemini, type FakeGeminiReply, type FakeGeminiServer } from '../../fakes/gemini-server.js';

let server: FakeGeminiServer | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

async function setup(script: FakeGeminiReply[], options: Partial<GeminiProviderOptions> = {}) {
  server = await startFakeGemini({ script });
  const provider = new GeminiProvider({
    model: 'gemini-2.5-flash',
    apiKey: 'gm-test',
    baseURL: server.baseURL,
    provider: 'fakegem',
    ...options,
  });
  return { server, provider };
}

const hello: LLMRequest = { messages: [{ role: 'user', content: 'hello' }] };

async function collect(
  provider: GeminiProvider,
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

describe('GeminiProvider: streaming', () => {
  it('has an id of provider/model, gemini by default', async () => {
    const { provider } = await setup([]);
    expect(provider.id).toBe('fakegem/gemini-2.5-flash');
    expect(new GeminiProvider({ model: 'gemini-3-pro-preview', apiKey: 'k' }).id).toBe('gemini/gemini-3-pro-preview');
  });

  it('streams text as deltas and finishes once, last', async () => {
    const { server, provider } = await setup([{ text: 'Hello there, how can I help you today?', chunkSize: 5 }]);
    const parts = await collect(provider);
    const s = summary(parts);
    expect(s.text).toBe('Hello there, how can I help you today?');
    expect(parts.filter((p) => p.type === 'text').length).toBeGreaterThan(5);
    expect(s.finishes).toHaveLength(1);
    expect(s.last).toMatchObject({ type: 'finish', finishReason: 'stop' });
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(request.query).toEqual({ alt: 'sse' });
    expect(request.headers['x-goog-api-key']).toBe('gm-test');
  });

  it('streams thought parts as reasoning, before the answer', async () => {
    const { provider } = await setup([{ thought: 'Considering the greeting.', text: 'Hi!', chunkSize: 6 }]);
    const parts = await collect(provider);
    const s = summary(parts);
    expect(s.reasoning).toBe('Considering the greeting.');
    expect(s.text).toBe('Hi!');
    expect(parts.findIndex((p) => p.type === 'reasoning')).toBeLessThan(parts.findIndex((p) => p.type === 'text'));
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

  it('stops reading and closes the request when the consumer breaks early', async () => {
    const { server, provider } = await setup([{ text: 'x'.repeat(200), chunkSize: 1, delayMs: 5 }]);
    for await (const part of provider.stream(hello, { signal: new AbortController().signal })) {
      if (part.type === 'text') break;
    }
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
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
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', url: 'data:image/png;base64,AAAA' },
          { type: 'image', url: 'https://example.com/cat.webp' },
        ],
      },
      { role: 'user', content: 'Be brief.' },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'thanks' },
    ];
    await collect(provider, {
      messages,
      tools: [{ name: 'look', description: 'Look closer', parameters: { type: 'object', properties: { zoom: { type: 'number' } } } }],
      temperature: 0.2,
      maxTokens: 512,
      extraBody: { topP: 0.9, temperature: 0.3 },
    });
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
          { name: 'look', description: 'Look closer', parametersJsonSchema: { type: 'object', properties: { zoom: { type: 'number' } } } },
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
    const providerFields = first.finish?.type === 'finish' ? first.finish.providerFields : undefined;
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
    expect(second.finish?.type === 'finish' && second.finish.providerFields).toEqual({
      gemini_parts: [{ kind: 'text', at: 'It is noon.'.length, thoughtSignature: 'sig-final' }],
    });
  });

  it('sends API-given call ids back on the call and its response', async () => {
    const { server, provider } = await setup([{ toolCalls: [{ name: 'clock', arguments: {}, id: 'fc-7' }] }, { text: 'ok' }]);
    const first = summary(await collect(provider));
    const call = first.calls[0]!;
    const providerFields = first.finish?.type === 'finish' ? first.finish.providerFields : undefined;
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
  it('401 → auth, not retryable, with the key message and a login hint', async () => {
    const { provider } = await setup([{ error: { status: 401 } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'auth', retryable: false, status: 401 });
    expect(error.message).toContain('the key for fakegem was rejected (401 UNAUTHENTICATED)');
    expect(error.hint).toContain('kt login fakegem');
  });

  it('400 API_KEY_INVALID → auth', async () => {
    const { provider } = await setup([
      { error: { status: 400, message: 'API key not valid. Please pass a valid API key.', reason: 'API_KEY_INVALID' } },
    ]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'auth', retryable: false, status: 400 });
    expect(error.message).toContain('the key for fakegem was rejected (400 INVALID_ARGUMENT): API key not valid');
  });

  it('429 → rate_limit with the delay from RetryInfo or retry-after', async () => {
    const { provider } = await setup([{ error: { status: 429, retryDelay: '12s' } }, { error: { status: 429, retryAfter: 3 } }]);
    const first = await failure(collect(provider));
    expect(first).toMatchObject({ errorClass: 'rate_limit', retryable: true, retryAfterMs: 12_000, status: 429 });
    expect(first.message).toContain('RESOURCE_EXHAUSTED');
    const second = await failure(collect(provider));
    expect(second.retryAfterMs).toBe(3000);
  });

  it.each([500, 503])('%i → server, retryable, and the SDK does not retry on its own', async (status) => {
    const { server, provider } = await setup([{ error: { status } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'server', retryable: true, status });
    expect(server.requests).toHaveLength(1);
  });

  it('an exhausted script shows up in the message', async () => {
    const { provider } = await setup([]);
    const error = await failure(collect(provider));
    expect(error.message).toContain('fake Gemini server: script exhausted after 0 requests');
  });

  it('400 input over the token limit → overflow', async () => {
    const { provider } = await setup([
      { error: { status: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' } },
    ]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'overflow', retryable: false });
    expect(error.message).toContain('gemini-2.5-flash');
  });

  it('404 → user with a hint about the model', async () => {
    const { provider } = await setup([{ error: { status: 404, message: 'models/nope is not found for API version v1beta' } }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'user', status: 404 });
    expect(error.hint).toContain('model name');
  });

  it('malformed stream → protocol, not retryable', async () => {
    const { provider } = await setup([{ malformed: true }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'protocol', retryable: false });
  });

  it('an error event inside the stream → classified by its code', async () => {
    const { provider } = await setup([
      { text: 'partial', streamError: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' } },
      { streamError: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded.' } },
    ]);
    const first = await failure(collect(provider));
    expect(first).toMatchObject({ errorClass: 'server', status: 503, retryable: true });
    expect(first.message).toContain('The model is overloaded.');
    const second = await failure(collect(provider));
    expect(second).toMatchObject({ errorClass: 'rate_limit', status: 429 });
  });

  it.each(['before-headers', 'mid-stream'] as const)('dropped connection (%s) → transient, one request only', async (drop) => {
    const { server, provider } = await setup([{ drop }]);
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toContain('fakegem');
    expect(server.requests).toHaveLength(1);
  });

  it('nothing listening → transient', async () => {
    const { server, provider } = await setup([]);
    await server.close();
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toMatch(/no response from fakegem at http:\/\/127\.0\.0\.1:\d+: /);
  });

  it('no response headers within timeoutMs → transient', async () => {
    const { provider } = await setup([{ text: 'late', firstByteDelayMs: 1000 }], { timeoutMs: 100 });
    const error = await failure(collect(provider));
    expect(error).toMatchObject({ errorClass: 'transient' });
    expect(error.message).toContain('in time');
  });

  it('a 200 that is not an event stream → protocol', async () => {
    const page = (async () => new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } })) as typeof fetch;
    const { provider } = await setup([], { fetch: page });
    const error = await failure(collect(provider));
    expect(error.errorClass).toBe('protocol');
    expect(error.message).toContain('text/html');
  });

  it('an event stream with no generation chunks → protocol', async () => {
    const empty = (async () => new Response('', { status: 200, headers: { 'content-type': 'text/event-stream' } })) as typeof fetch;
    const { provider } = await setup([], { fetch: empty });
    const error = await failure(collect(provider));
    expect(error.errorClass).toBe('protocol');
    expect(error.message).toContain('empty stream');
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

  it('abort mid-stream → rejects with the signal reason, no finish, request closed', async () => {
    const { server, provider } = await setup([{ text: 'y'.repeat(100), chunkSize: 1, delayMs: 5 }]);
    const controller = new AbortController();
    const reason = new AbortReason('cancelled');
    const parts: LLMStreamPart[] = [];
    const run = (async () => {
      for await (const part of provider.stream(hello, { signal: controller.signal })) {
        parts.push(part);
        if (parts.length === 3) controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
  });

  it('an already aborted signal throws its reason without a request', async () => {
    const { server, provider } = await setup([{ text: 'never' }]);
    const controller = new AbortController();
    const reason = new AbortReason('timeout');
    controller.abort(reason);
    await expect(collect(provider, hello, controller.signal)).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });
});
