import { describe, expect, it } from 'vitest';
import { dataPayloads, expectAbortsCounted, expectScriptExhausted, fakePerTest, postJson } from './fake-test-helpers.js';
import { startFakeGemini, type FakeGeminiReply, type FakeGeminiResponder, type FakeGeminiServer } from './gemini-server.js';

const fake = fakePerTest<FakeGeminiServer>();
const start = (script: FakeGeminiReply[] = [], responder?: FakeGeminiResponder) =>
  fake.use(startFakeGemini(responder ? { script, responder } : { script }));

const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

const post = (path: string, payload: unknown = body, init: RequestInit = {}) =>
  postJson(`${fake.server.baseURL}${path}`, payload, { 'x-goog-api-key': 'raw-key' }, init);

const stream = (model = 'gemini-2.5-flash') => post(`/v1beta/models/${model}:streamGenerateContent?alt=sse`);

/** The JSON payloads of an SSE body, checking Google's framing on the way: data-only events, each closed by a blank line. */
async function events(response: Response): Promise<any[]> {
  return dataPayloads(await response.text(), '\r\n').map((payload) => JSON.parse(payload));
}

describe('fake Gemini server: streams', () => {
  it('streams thought, text, calls; finish reason and full usage on the last chunk', async () => {
    await start([
      {
        thought: 'abcdef',
        text: 'Hello!',
        chunkSize: 3,
        thoughtSignature: 'sig',
        toolCalls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: {}, id: 'fc-b' }],
        usage: { promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 2, cachedContentTokenCount: 6 },
      },
    ]);
    const response = await stream();
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const chunks = await events(response);
    const parts = chunks.map((c) => c.candidates[0].content.parts);
    expect(parts).toEqual([
      [{ text: 'abc', thought: true }],
      [{ text: 'def', thought: true }],
      [{ text: 'Hel' }],
      [{ text: 'lo!' }],
      [{ functionCall: { name: 'a', args: { x: 1 } }, thoughtSignature: 'sig' }, { functionCall: { name: 'b', args: {}, id: 'fc-b' } }],
    ]);
    expect(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined)).toBe(true);
    const last = chunks.at(-1);
    expect(last.candidates[0].finishReason).toBe('STOP');
    expect(last.usageMetadata).toMatchObject({
      promptTokenCount: 10,
      candidatesTokenCount: 4,
      thoughtsTokenCount: 2,
      cachedContentTokenCount: 6,
      totalTokenCount: 16,
    });
    expect(chunks[0].usageMetadata).toEqual({ promptTokenCount: 10, totalTokenCount: 10 });
  });

  it('puts a signature without calls on an empty final text part', async () => {
    await start([{ text: 'ok', thoughtSignature: 'sig', usage: false }]);
    const chunks = await events(await stream());
    expect(chunks.map((c) => c.candidates[0].content.parts)).toEqual([[{ text: 'ok' }], [{ text: '', thoughtSignature: 'sig' }]]);
    expect(chunks.some((c) => 'usageMetadata' in c)).toBe(false);
  });

  it('records requests: path, query, version, model, method, headers and body', async () => {
    await start([{ text: 'x' }]);
    await (await stream('gemini-3-flash-preview')).text();
    expect(fake.server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1beta/models/gemini-3-flash-preview:streamGenerateContent',
      query: { alt: 'sse' },
      apiVersion: 'v1beta',
      model: 'gemini-3-flash-preview',
      rpc: 'streamGenerateContent',
      body,
    });
    expect(fake.server.requests[0]!.headers['x-goog-api-key']).toBe('raw-key');
  });

  it('answers :generateContent with one JSON body', async () => {
    await start([{ thought: 'hm', text: 'Hi', toolCalls: [{ name: 'a', arguments: {} }], usage: false }]);
    const response = await post('/v1/models/gemini-2.5-pro:generateContent');
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'hm', thought: true }, { text: 'Hi' }, { functionCall: { name: 'a', args: {} } }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      modelVersion: 'gemini-2.5-pro',
      responseId: 'fake-response-0',
    });
  });

  it('sends an error event inside a 200 stream', async () => {
    await start([{ text: 'part', streamError: { code: 503, status: 'UNAVAILABLE' } }]);
    const chunks = await events(await stream());
    expect(chunks.at(-1)).toEqual({ error: { code: 503, status: 'UNAVAILABLE', message: 'fake stream error' } });
    expect(chunks[0].candidates[0].content.parts).toEqual([{ text: 'part' }]);
  });
});

describe('fake Gemini server: errors and routing', () => {
  it("errors carry Google's body with ErrorInfo, RetryInfo and retry-after", async () => {
    await start([{ error: { status: 429, retryDelay: '7s', retryAfter: 7, reason: 'RATE_LIMIT_EXCEEDED' } }]);
    const response = await stream();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
        ],
      },
    });
  });

  it('404 for unknown routes, 400 for streams without alt=sse, 500 once the script is used up', async () => {
    await start();
    expect((await post('/v1beta/chat/completions')).status).toBe(404);
    expect((await post('/v1beta/models/m:streamGenerateContent')).status).toBe(400);
    await expectScriptExhausted(() => stream(), 0, 'fake Gemini server');
  });

  it('asks the responder once the script is empty', async () => {
    await start([{ text: 'scripted' }], (request, index) => ({ text: `${request.model} #${index}`, usage: false }));
    await (await stream()).text();
    const chunks = await events(await stream('gemini-x'));
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe('gemini-x #1');
  });

  it('lists models', async () => {
    await start();
    const response = await fetch(`${fake.server.baseURL}/v1beta/models`);
    expect(((await response.json()) as any).models[0].name).toBe('models/fake-model');
  });

  it('counts a client abort of a hanging request', async () => {
    await start([{ hang: true }]);
    await expectAbortsCounted(fake.server, (signal) => post('/v1beta/models/m:streamGenerateContent?alt=sse', body, { signal }), 1);
  });
});
