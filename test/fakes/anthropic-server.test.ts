import { describe, expect, it } from 'vitest';
import {
  anthropicSseEvent,
  startFakeAnthropic,
  type FakeAnthropicReply,
  type FakeAnthropicResponder,
  type FakeAnthropicServer,
} from './anthropic-server.js';
import { expectAbortsCounted, expectScriptExhausted, fakePerTest, namedEvents as events, postJson, streamBody } from './fake-test-helpers.js';

const fake = fakePerTest<FakeAnthropicServer>();
const start = (script: FakeAnthropicReply[] = [], responder?: FakeAnthropicResponder) =>
  fake.use(startFakeAnthropic(responder ? { script, responder } : { script }));
const post = (body: unknown, init: RequestInit = {}) =>
  postJson(`${fake.server.baseURL}/v1/messages`, body, { 'x-api-key': 'sk-raw', 'anthropic-version': '2023-06-01' }, init);

const streaming = { model: 'claude-raw', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], stream: true };

describe('fake Anthropic server: streaming wire format', () => {
  it('streams a text message as named events, with ping, usage and the stop reason', async () => {
    await start([{ text: 'Hello, world!', chunkSize: 5, usage: { input_tokens: 11, output_tokens: 4, cache_read_input_tokens: 3 } }]);
    const list = events(await streamBody(await post(streaming)));
    expect(list.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const e of list) expect(e.data.type).toBe(e.event);
    expect(list[0]!.data.message).toMatchObject({
      id: 'msg_fake0',
      type: 'message',
      role: 'assistant',
      model: 'claude-raw',
      content: [],
      stop_reason: null,
      usage: { input_tokens: 11, cache_read_input_tokens: 3, cache_creation_input_tokens: 0, output_tokens: 1 },
    });
    expect(list[1]!.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(list.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta)).toEqual([
      { type: 'text_delta', text: 'Hello' },
      { type: 'text_delta', text: ', wor' },
      { type: 'text_delta', text: 'ld!' },
    ]);
    expect(list.at(-2)!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 4 },
    });
  });

  it('streams thinking with a signature, a redacted block and tool input in fragments', async () => {
    await start([
      {
        thinking: 'Let me see.',
        redactedThinking: 'opaque',
        toolCalls: [{ id: 'toolu_x', name: 'read', arguments: { path: 'a.txt' } }],
        argChunkSize: 4,
      },
    ]);
    const list = events(await (await post(streaming)).text());
    const starts = list.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block);
    expect(starts).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'tool_use', id: 'toolu_x', name: 'read', input: {} },
    ]);
    const deltas = (index: number) => list.filter((e) => e.event === 'content_block_delta' && e.data.index === index).map((e) => e.data.delta);
    expect(deltas(0).at(-1)).toEqual({ type: 'signature_delta', signature: 'sig_fake0' });
    expect(deltas(0).slice(0, -1).map((d: any) => d.thinking).join('')).toBe('Let me see.');
    const json = deltas(2);
    expect(json[0]).toEqual({ type: 'input_json_delta', partial_json: '' });
    expect(json.length).toBeGreaterThan(3);
    expect(json.map((d: any) => d.partial_json).join('')).toBe('{"path":"a.txt"}');
    expect(list.at(-2)!.data.delta.stop_reason).toBe('tool_use');
  });

  it('sends an error event mid-stream and never finishes the message', async () => {
    await start([{ streamError: { type: 'overloaded_error' }, text: 'part' }]);
    const list = events(await (await post(streaming)).text());
    expect(list.at(-1)).toEqual({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    expect(list.map((e) => e.event)).not.toContain('message_stop');
  });

  it('sends a malformed event after message_start', async () => {
    await start([{ malformed: true }]);
    const text = await (await post(streaming)).text();
    const [first, second] = text.split('\n\n');
    expect(first).toContain('event: message_start');
    expect(() => JSON.parse(second!.split('\n')[1]!.slice('data: '.length))).toThrow();
  });
});

describe('fake Anthropic server: other replies', () => {
  it('answers non-streaming requests with a message body', async () => {
    await start([{ thinking: 't', text: 'plain', toolCalls: [{ name: 'f', arguments: { a: 1 } }], usage: { input_tokens: 5, output_tokens: 2 } }]);
    const body = (await (await post({ ...streaming, stream: false })).json()) as any;
    expect(body).toMatchObject({
      id: 'msg_fake0',
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 't', signature: 'sig_fake0' },
        { type: 'text', text: 'plain' },
        { type: 'tool_use', id: 'toolu_fake0_0', name: 'f', input: { a: 1 } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 5, output_tokens: 2 },
    });
  });

  it('answers errors with the API error body and retry headers', async () => {
    await start([{ error: { status: 429, retryAfter: 3 } }, { error: { status: 529 } }]);
    const limited = await post(streaming);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const overloaded = await post(streaming);
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('answers 500 with a clear message once the script is exhausted, then asks the responder', async () => {
    await start([{ text: 'one' }]);
    await expectScriptExhausted(() => post(streaming), 1);
  });

  it('uses the responder when the script is empty, and push() appends', async () => {
    const seen: number[] = [];
    await start([], (_request, index) => {
      seen.push(index);
      return { text: `computed ${index}` };
    });
    const text = async () => ((await (await post({ ...streaming, stream: false })).json()) as any).content[0].text;
    expect(await text()).toBe('computed 0');
    fake.server.push({ text: 'pushed' });
    expect(await text()).toBe('pushed');
    expect(seen).toEqual([0]);
  });

  it('records method, path, headers and the parsed body', async () => {
    await start([{ text: 'ok' }]);
    await (await post(streaming)).text();
    expect(fake.server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      headers: { 'x-api-key': 'sk-raw', 'anthropic-version': '2023-06-01' },
      body: streaming,
    });
  });

  it('lists models and answers 404 elsewhere', async () => {
    await start();
    const models = (await (await fetch(`${fake.server.baseURL}/v1/models`)).json()) as any;
    expect(models.data[0]).toMatchObject({ type: 'model', id: 'fake-model' });
    const missing = await fetch(`${fake.server.baseURL}/v1/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.type).toBe('not_found_error');
  });
});

describe('fake Anthropic server: request validation', () => {
  const rejects = async (body: unknown, fragment: string) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const error = ((await response.json()) as any).error;
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toContain(fragment);
  };

  it('rejects what the API rejects, without using a scripted reply', async () => {
    await start([{ text: 'kept' }]);
    await rejects({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens');
    await rejects({ ...streaming, messages: [] }, 'at least one message');
    await rejects({ ...streaming, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, 'non-empty');
    const call = { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] };
    await rejects({ ...streaming, messages: [{ role: 'user', content: 'q' }, call, { role: 'user', content: 'no result' }] }, 'toolu_1');
    await rejects(
      { ...streaming, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'x' }] }] },
      'unexpected `tool_use_id`',
    );
    await rejects(
      {
        ...streaming,
        messages: [
          { role: 'user', content: 'q' },
          call,
          { role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'tool_result', tool_use_id: 'toolu_1' }] },
        ],
      },
      'must come before',
    );
    const marked = { type: 'text', text: 's', cache_control: { type: 'ephemeral' } };
    await rejects({ ...streaming, system: [marked, marked, marked, marked, marked] }, 'Found 5');
    await rejects({ ...streaming, thinking: { type: 'enabled', budget_tokens: 2000 } }, 'max_tokens');
    await rejects({ ...streaming, max_tokens: 5000, thinking: { type: 'enabled', budget_tokens: 2000 }, temperature: 0.5 }, 'temperature');
    // The scripted reply is still there for the first valid request.
    expect(events(await (await post(streaming)).text()).some((e) => e.data.delta?.text === 'kept')).toBe(true);
  });

  it('accepts anything with validate: false', async () => {
    await fake.use(startFakeAnthropic({ script: [{ text: 'ok' }], validate: false }));
    expect((await post({ model: 'm', messages: [] })).status).toBe(200);
  });
});

describe('fake Anthropic server: connections', () => {
  it('counts a client abort of a hanging request, and waitForAbort claims aborts one by one', async () => {
    await start([{ hang: true }, { hang: true }]);
    await expectAbortsCounted(fake.server, (signal) => post(streaming, { signal }));
  });

  it('drops the connection before headers, or mid-stream after some events', async () => {
    await start([{ drop: 'before-headers' }, { drop: 'mid-stream' }]);
    await expect(post(streaming)).rejects.toThrow();
    const response = await post(streaming);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(fake.server.abortedRequests).toBe(0);
  });

  it('formats named SSE events', () => {
    expect(anthropicSseEvent('ping', { type: 'ping' })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});
