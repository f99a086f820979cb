import { describe, expect, it } from 'vitest';
import { dataPayloads, expectAbortsCounted, expectScriptExhausted, fakePerTest, postJson, streamBody } from './fake-test-helpers.js';
import { sseFrame, startFakeOpenAI, type FakeOpenAIServer, type FakeReply, type FakeResponder } from './openai-server.js';

const fake = fakePerTest<FakeOpenAIServer>();
const start = (script: FakeReply[] = [], responder?: FakeResponder) => fake.use(startFakeOpenAI(responder ? { script, responder } : { script }));
const post = (body: unknown, init: RequestInit = {}) =>
  postJson(`${fake.server.baseURL}/chat/completions`, body, { authorization: 'Bearer sk-raw' }, init);

const streaming = { model: 'gpt-raw', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } };

/** Chunks are loose JSON; `any` keeps the assertions readable. */
type Chunk = any;

describe('fake OpenAI server: streaming wire format', () => {
  it('sends OpenAI-shaped chunks, a usage chunk and [DONE]', async () => {
    await start([{ text: 'Hello, world!', chunkSize: 5, usage: { prompt_tokens: 11, completion_tokens: 4, cached_tokens: 3 } }]);
    const payloads = dataPayloads(await streamBody(await post(streaming)));
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks: Chunk[] = payloads.slice(0, -1).map((p) => JSON.parse(p));

    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: 'chatcmpl-fake0', object: 'chat.completion.chunk', model: 'gpt-raw' });
      expect(typeof chunk.created).toBe('number');
    }
    expect(chunks[0].choices[0]).toEqual({
      index: 0,
      delta: { role: 'assistant', content: '', refusal: null },
      logprobs: null,
      finish_reason: null,
    });
    const text = chunks.flatMap((c: Chunk) => c.choices.map((ch: Chunk) => ch.delta.content ?? '')).join('');
    expect(text).toBe('Hello, world!');
    expect(chunks.filter((c: Chunk) => c.choices[0]?.delta.content).map((c: Chunk) => c.choices[0].delta.content)).toEqual([
      'Hello',
      ', wor',
      'ld!',
    ]);

    const finish = chunks.at(-2);
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(finish.usage).toBeNull();
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 4,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 3 },
    });
  });

  it('sends no usage chunk and no usage key when the request did not ask for usage', async () => {
    await start([{ text: 'hi' }]);
    const payloads = dataPayloads(await (await post({ ...streaming, stream_options: undefined })).text());
    const chunks: Chunk[] = payloads.slice(0, -1).map((p) => JSON.parse(p));
    expect(chunks.every((c: Chunk) => c.choices.length === 1 && !('usage' in c))).toBe(true);
  });

  it('streams tool calls as OpenAI does: id and name first, then argument fragments', async () => {
    await start([{ toolCalls: [{ id: 'call_x', name: 'read', arguments: { path: 'a.txt' } }], argChunkSize: 4 }]);
    const payloads = dataPayloads(await (await post(streaming)).text());
    const chunks: Chunk[] = payloads.slice(0, -1).map((p) => JSON.parse(p));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: null, refusal: null });
    const deltas = chunks.flatMap((c: Chunk) => c.choices.flatMap((ch: Chunk) => ch.delta.tool_calls ?? []));
    expect(deltas[0]).toEqual({ index: 0, id: 'call_x', type: 'function', function: { name: 'read', arguments: '' } });
    for (const delta of deltas.slice(1)) expect(Object.keys(delta).sort()).toEqual(['function', 'index']);
    expect(deltas.map((d: Chunk) => d.function.arguments).join('')).toBe('{"path":"a.txt"}');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
  });

  it('applies quirks: no [DONE], usage without being asked, no index', async () => {
    await start([{ toolCalls: [{ name: 'f', arguments: '{}' }], quirks: { noDone: true, usageInFinalOnly: true, noIndex: true } }]);
    const payloads = dataPayloads(await (await post({ ...streaming, stream_options: undefined })).text());
    expect(payloads).not.toContain('[DONE]');
    const chunks: Chunk[] = payloads.map((p) => JSON.parse(p));
    expect(chunks.at(-1).choices).toEqual([]);
    expect(chunks.at(-1).usage.prompt_tokens).toBeGreaterThan(0);
    const deltas = chunks.flatMap((c: Chunk) => c.choices.flatMap((ch: Chunk) => ch.delta.tool_calls ?? []));
    expect(deltas.every((d: Chunk) => !('index' in d))).toBe(true);
  });

  it('spreads chunks over time when delayMs is set', async () => {
    await start([{ text: 'abcd', chunkSize: 1, delayMs: 20 }]);
    const started = Date.now();
    const response = await post(streaming);
    await response.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
  });

  it('sends a malformed frame after one valid chunk', async () => {
    await start([{ malformed: true }]);
    const payloads = dataPayloads(await (await post(streaming)).text());
    expect(() => JSON.parse(payloads[0]!)).not.toThrow();
    expect(() => JSON.parse(payloads[1]!)).toThrow();
  });
});

describe('fake OpenAI server: other replies', () => {
  it('answers non-streaming requests with a chat.completion body', async () => {
    await start([{ text: 'plain', toolCalls: [{ name: 'f', arguments: { a: 1 } }], usage: { prompt_tokens: 5, completion_tokens: 2 } }]);
    const body = (await (await post({ model: 'gpt-raw', messages: [] })).json()) as Chunk;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-raw',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'plain',
            tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
          },
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
  });

  it('sends OpenAI error bodies and retry-after headers', async () => {
    await start([{ error: { status: 429, retryAfter: 3, retryAfterMs: 3000 } }, { error: { status: 400, message: 'bad', code: 'x' } }]);
    const limited = await post(streaming);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('retry-after-ms')).toBe('3000');
    expect(await limited.json()).toEqual({
      error: { message: 'Rate limit reached for requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    const bad = await post(streaming);
    expect(await bad.json()).toEqual({ error: { message: 'bad', type: 'invalid_request_error', param: null, code: 'x' } });
  });

  it('fails loudly when the script is exhausted', async () => {
    await start([{ text: 'one' }]);
    await expectScriptExhausted(() => post(streaming), 1);
  });

  it('asks the responder once the script is used up, and takes pushed replies first', async () => {
    const seen: Array<[string, number]> = [];
    await start([{ text: 'scripted' }], (request, index) => {
      seen.push([request.body?.messages?.[0]?.content, index]);
      return { text: `computed ${index}` };
    });
    const text = async () => (((await (await post({ messages: [{ role: 'user', content: 'q' }] })).json()) as Chunk).choices[0].message.content);
    expect(await text()).toBe('scripted');
    expect(await text()).toBe('computed 1');
    fake.server.push({ text: 'pushed' });
    expect(await text()).toBe('pushed');
    expect(seen).toEqual([['q', 1]]);
  });

  it('records requests with method, path, headers, parsed body and time', async () => {
    await start([{ text: 'ok' }]);
    const before = Date.now();
    await (await post(streaming)).text();
    await fake.server.waitForRequests(1);
    expect(fake.server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-raw' },
      body: streaming,
    });
    expect(fake.server.requests[0]!.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('lists models and answers 404 elsewhere', async () => {
    await start();
    const models = (await (await fetch(`${fake.server.baseURL}/models`)).json()) as Chunk;
    expect(models.object).toBe('list');
    expect(models.data[0]).toMatchObject({ id: 'fake-model', object: 'model' });
    const missing = await fetch(`${fake.server.baseURL}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Chunk).error.message).toContain('no route');
  });

  it('counts a client abort of a hanging request, and waitForAbort claims aborts one by one', async () => {
    await start([{ hang: true }, { hang: true }]);
    await expectAbortsCounted(fake.server, (signal) => post(streaming, { signal }));
  });

  it('drops the connection before headers', async () => {
    await start([{ drop: 'before-headers' }]);
    await expect(post(streaming)).rejects.toThrow();
    expect(fake.server.abortedRequests).toBe(0);
  });

  it('drops the connection mid-stream, after some chunks', async () => {
    await start([{ drop: 'mid-stream' }]);
    const response = await post(streaming);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('close() ends hanging connections', async () => {
    await start([{ hang: true }]);
    const pending = post(streaming);
    await fake.server.waitForRequests(1);
    await fake.server.close();
    fake.closed();
    await expect(pending).rejects.toThrow();
  });

  it('times out waitForRequests with a clear message', async () => {
    await start();
    await expect(fake.server.waitForRequests(1, 30)).rejects.toThrow(/waiting for 1 requests \(got 0\)/);
  });

  it('formats SSE frames', () => {
    expect(sseFrame({ a: 1 })).toBe('data: {"a":1}\n\n');
    expect(sseFrame('[DONE]')).toBe('data: [DONE]\n\n');
  });
});
