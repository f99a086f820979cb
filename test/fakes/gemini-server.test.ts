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

describe('fake Gemini server: embeddings', () => {
  const embedRequest = (text: string, extra: Record<string, unknown> = {}, model = 'gemini-embedding-001') => ({
    model: `models/${model}`,
    content: { role: 'user', parts: [{ text }] },
    ...extra,
  });
  const embed = (requests: unknown[], model = 'gemini-embedding-001', init: RequestInit = {}) =>
    post(`/v1beta/models/${model}:batchEmbedContents`, { requests }, init);

  it('answers one vector per request without a script: the native width, or outputDimensionality', async () => {
    await start();
    const response = await embed([embedRequest('alpha'), embedRequest('beta', { outputDimensionality: 64 })]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const { embeddings } = (await response.json()) as { embeddings: { values: number[] }[] };
    expect(embeddings.map((e) => e.values.length)).toEqual([3072, 64]);
    expect(fake.server.requests[0]).toMatchObject({ apiVersion: 'v1beta', model: 'gemini-embedding-001', rpc: 'batchEmbedContents' });
    // Deterministic: the same text gets the same vector.
    const again = (await (await embed([embedRequest('beta', { outputDimensionality: 64 })])).json()) as { embeddings: { values: number[] }[] };
    expect(again.embeddings[0]!.values).toEqual(embeddings[1]!.values);
    expect(new Set(embeddings[1]!.values).size).toBeGreaterThan(1);
  });

  it('knows text-embedding-004 is 768 wide, and small widths too', async () => {
    await start();
    const response = await embed([embedRequest('x', {}, 'text-embedding-004'), embedRequest('x', { outputDimensionality: 3 }, 'text-embedding-004')], 'text-embedding-004');
    const { embeddings } = (await response.json()) as { embeddings: { values: number[] }[] };
    expect(embeddings.map((e) => e.values.length)).toEqual([768, 3]);
  });

  it('turns away requests the API would, with a 400 INVALID_ARGUMENT, using up no reply', async () => {
    await start([{ error: { status: 503 } }]);
    const cases: [unknown[], RegExp][] = [
      [[], /at least one request/],
      [Array.from({ length: 101 }, (_, i) => embedRequest(`t${i}`)), /at most 100 requests can be in one batch/],
      [[embedRequest('x', {}, 'other-model')], /model must be models\/gemini-embedding-001/],
      [[{ model: 'gemini-embedding-001', content: { parts: [{ text: 'x' }] } }], /model must be models\//],
      [[embedRequest('')], /required oneof field 'data'/],
      [[{ model: 'models/gemini-embedding-001', content: { parts: [] } }], /parts must not be empty/],
      [[embedRequest('x', { outputDimensionality: 4096 })], /between 1 and 3072/],
      [[embedRequest('x', { outputDimensionality: 'wide' })], /TYPE_INT32/],
      [[embedRequest('x', { dimensions: 8 })], /Unknown name "dimensions" at 'requests\[0\]'/],
    ];
    for (const [requests, message] of cases) {
      const response = await embed(requests);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: number; status: string; message: string } };
      expect(error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      expect(error.message).toMatch(message);
    }
    // The scripted failure is still there for the first valid request.
    expect((await embed([embedRequest('x')])).status).toBe(503);
  });

  it('plays scripted failures first: errors with retry hints, scripted vectors, a cut-short body', async () => {
    await start([{ error: { status: 429, retryAfter: 2 } }, { embeddings: [[1, 2], [3, 4]] }, { malformed: true }]);
    const limited = await embed([embedRequest('x')]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(((await limited.json()) as any).error.status).toBe('RESOURCE_EXHAUSTED');
    expect(await (await embed([embedRequest('x')])).json()).toEqual({ embeddings: [{ values: [1, 2] }, { values: [3, 4] }] });
    const broken = await embed([embedRequest('x')]);
    expect(broken.status).toBe(200);
    await expect(broken.json()).rejects.toThrow(SyntaxError);
    expect((await embed([embedRequest('x')])).status).toBe(200); // script used up: computed again
  });

  it('counts a client abort of a hanging embeddings request', async () => {
    await start([{ hang: true }]);
    await expectAbortsCounted(fake.server, (signal) => embed([embedRequest('x')], 'gemini-embedding-001', { signal }), 1);
  });
});
