import { describe, expect, it } from 'vitest';
import { expectAbortsCounted, expectScriptExhausted, fakePerTest, namedEvents, postJson } from './fake-test-helpers.js';
import { startFakeResponses, type FakeResponsesReply, type FakeResponsesServer } from './responses-server.js';

const fake = fakePerTest<FakeResponsesServer>();
const start = (script: FakeResponsesReply[] = []) => fake.use(startFakeResponses({ script }));

const valid = { model: 'gpt-5', instructions: 'sys', input: [{ role: 'user', content: 'hi' }], store: false, stream: true };

function post(route: 'v1' | 'codex', body: unknown, init: RequestInit = {}): Promise<Response> {
  const root = route === 'v1' ? fake.server.baseURL : fake.server.codexBaseURL;
  return postJson(`${root}/responses`, body, { authorization: 'Bearer raw' }, init);
}

type Event = Record<string, any>;

/** The payloads of named SSE frames, checking that each frame's event name matches its payload type. */
function events(text: string): Event[] {
  return namedEvents(text).map(({ event, data }) => {
    expect(data.type).toBe(event);
    return data as Event;
  });
}

describe('fake Responses server', () => {
  it('streams a completion as the named events OpenAI sends, numbered in order', async () => {
    await start([{ reasoningSummary: 'think', text: 'Hello!', toolCalls: [{ name: 'f', arguments: { a: 1 } }], chunkSize: 3 }]);
    const response = await post('v1', { ...valid, include: ['reasoning.encrypted_content'] });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const list = events(await response.text());
    expect(list.map((e) => e.sequence_number)).toEqual(list.map((_, i) => i));
    expect([...new Set(list.map((e) => e.type))]).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.completed',
    ]);
    const done = list.at(-1)!;
    expect(done.response).toMatchObject({ id: expect.stringMatching(/^resp_[0-9a-f]{48}$/), status: 'completed', model: 'gpt-5' });
    expect(done.response.output.map((item: Event) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(done.response.output[0].encrypted_content).toMatch(/^gAAAAA/);
    expect(done.response.output[2]).toMatchObject({ call_id: 'call_0_0', name: 'f', arguments: '{"a":1}', id: expect.stringMatching(/^fc_/) });
    expect(done.response.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
  });

  it('sends encrypted reasoning only when the request includes it', async () => {
    await start([{ encryptedReasoning: 'gAAAAB-x', text: 'a' }]);
    const list = events(await (await post('v1', valid)).text());
    expect(list.at(-1)!.response.output[0]).not.toHaveProperty('encrypted_content');
  });

  it('answers a non-streaming request with the final response object', async () => {
    await start([{ text: 'plain' }]);
    const body = (await (await post('v1', { ...valid, stream: false })).json()) as Event;
    expect(body).toMatchObject({ object: 'response', status: 'completed', output: [{ type: 'message', content: [{ text: 'plain' }] }] });
  });

  it.each([
    [{ ...valid, store: undefined }, 'Store must be set to false'],
    [{ ...valid, instructions: undefined }, 'Instructions are required'],
    [{ ...valid, stream: false }, 'Stream must be set to true'],
    [{ ...valid, max_output_tokens: 5 }, 'Unsupported parameter: max_output_tokens'],
  ])('the Codex route rejects what the backend rejects (%#), keeping the script', async (body, detail) => {
    await start([{ text: 'kept' }]);
    const response = await post('codex', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ detail });
    expect(events(await (await post('codex', valid)).text()).at(-1)!.type).toBe('response.completed');
  });

  it('sends response.failed, error events and HTTP errors as scripted', async () => {
    await start([
      { failed: { code: 'server_error', message: 'boom' } },
      { errorEvent: { code: 'rate_limit_exceeded', message: 'slow' } },
      { error: { status: 429, retryAfter: 3, type: 'usage_limit_reached', fields: { resets_in_seconds: 60 } } },
    ]);
    const failed = events(await (await post('v1', valid)).text()).at(-1)!;
    expect(failed).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'boom' } } });
    const error = events(await (await post('v1', valid)).text()).at(-1)!;
    expect(error).toMatchObject({ type: 'error', code: 'rate_limit_exceeded', message: 'slow', param: null });
    const limited = await post('v1', valid);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ error: { type: 'usage_limit_reached', resets_in_seconds: 60 } });
  });

  it('fails loudly when the script is exhausted, and 404s elsewhere', async () => {
    await start();
    await expectScriptExhausted(() => post('v1', valid), 0);
    expect((await fetch(`${fake.server.baseURL}/chat/completions`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('records requests and counts a client abort of a hanging request', async () => {
    await start([{ hang: true }]);
    await expectAbortsCounted(fake.server, (signal) => post('codex', valid, { signal }), 1);
    expect(fake.server.requests[0]).toMatchObject({ method: 'POST', path: '/backend-api/codex/responses', headers: { authorization: 'Bearer raw' }, body: valid });
  });
});
