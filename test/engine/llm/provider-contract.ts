/**
 * What every adapter owes the controller, whatever its protocol: text
 * streams as deltas and finishes once, last; transport failures are
 * classified alike; an abort rejects with the signal's reason and closes the
 * HTTP request. Each adapter's test file runs these tests against its own
 * fake server, so the shared behaviour is stated once and checked four times.
 * Its own failure modes it lists as cases for `testFailures`.
 */
import { describe, expect, it } from 'vitest';
import { AbortReason, type ProviderError } from '../../../source/engine/errors.js';
import type { LLMRequest, LLMStreamPart, Provider } from '../../../source/engine/llm/provider.js';
import type { RequestTimeouts } from '../../../source/engine/llm/request-timeouts.js';
import { collect, failure, hello, loginPage, summary } from './harness.js';

/** Replies every fake server understands, with the same meaning. */
export type ContractReply =
  | {
      text?: string;
      toolCalls?: Array<{ id?: string; name: string; arguments: Record<string, unknown> }>;
      chunkSize?: number;
      argChunkSize?: number;
      delayMs?: number;
      firstByteDelayMs?: number;
    }
  | { error: { status: number; retryAfter?: number } }
  | { hang: true }
  | { malformed: true }
  | { drop: 'before-headers' | 'mid-stream' }
  | { fault: 'stall' | 'drip' | 'truncate' };

/** What the tests need of a fake server; all four fakes have it. */
export interface ContractServer {
  readonly requests: readonly unknown[];
  readonly abortedRequests: number;
  waitForRequests(n: number): Promise<void>;
  waitForAbort(): Promise<void>;
  close(): Promise<void>;
}

/** Start a fake server playing `script` and a provider talking to it. */
export type ContractSetup = (
  script: ContractReply[],
  options?: { timeoutMs?: number; fetch?: typeof fetch },
) => Promise<{ server: ContractServer; provider: Provider }>;

/** Where adapters may differ: their wording and their fakes' ids. */
export interface AdapterSpecifics {
  /** The request to send; the default says hello. */
  request?: LLMRequest;
  /** How the adapter words a 401, e.g. `the key for openai was rejected (401)`. */
  rejected: string;
  /** How the adapter words a refused connection. */
  unreachable: RegExp;
  /**
   * The ids the fake gives the two calls of its first reply, for fakes that
   * number calls and stream their arguments in pieces. Gemini's fake does
   * neither (calls arrive whole, with random ids), so it leaves this out.
   */
  numberedCallIds?: readonly [string, string];
  /** How the fake names itself in its "script exhausted" message (default `fake server`). */
  fakeLabel?: string;
}

/** The tests, under `<title>: the provider contract`. */
export function testProviderContract(title: string, setup: ContractSetup, specifics: AdapterSpecifics): void {
  describe(`${title}: the provider contract`, () => contract(setup, specifics));
}

function contract(setup: ContractSetup, specifics: AdapterSpecifics): void {
  const { request = hello } = specifics;
  const stream = (provider: Provider, signal?: AbortSignal) => collect(provider, request, signal);

  it('streams text as deltas and finishes once, last, with nothing to hand back', async () => {
    const { provider } = await setup([{ text: 'Hello there, how can I help you today?', chunkSize: 5 }]);
    const parts = await stream(provider);
    const s = summary(parts);
    expect(s.text).toBe('Hello there, how can I help you today?');
    expect(parts.filter((p) => p.type === 'text').length).toBeGreaterThan(5);
    expect(s.finishes).toHaveLength(1);
    expect(s.last).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(s.finish).not.toHaveProperty('providerFields');
  });

  const ids = specifics.numberedCallIds;
  if (ids) {
    it('reassembles a tool call whose arguments are split across chunks, and yields it whole, after the stream', async () => {
      const args = { path: 'src/index.ts', start: 10, end: 42, note: 'a long enough argument string' };
      const { provider } = await setup([{ toolCalls: [{ id: 'call_split', name: 'read', arguments: args }], argChunkSize: 3 }]);
      const parts = await stream(provider);
      const s = summary(parts);
      expect(s.calls).toEqual([{ id: 'call_split', name: 'read', arguments: JSON.stringify(args) }]);
      expect(s.last).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
      // Whole calls only, once the stream is done: nothing but calls and the finish after the first one.
      const firstCall = parts.findIndex((p) => p.type === 'tool_call');
      expect(parts.slice(firstCall).every((p) => p.type === 'tool_call' || p.type === 'finish')).toBe(true);
    });

    it('yields two tool calls whole, in order, after the text', async () => {
      const calls = [
        { name: 'read', arguments: { path: 'a' } },
        { name: 'grep', arguments: { pattern: 'x', path: 'b' } },
      ];
      const { provider } = await setup([{ text: 'Reading both.', toolCalls: calls }]);
      const parts = await stream(provider);
      expect(parts.map((p) => p.type)).toEqual(['text', 'text', 'tool_call', 'tool_call', 'finish']);
      expect(summary(parts).calls).toEqual([
        { id: ids[0], name: 'read', arguments: '{"path":"a"}' },
        { id: ids[1], name: 'grep', arguments: '{"pattern":"x","path":"b"}' },
      ]);
    });
  }

  it('stops reading and closes the request when the consumer breaks early', async () => {
    const { server, provider } = await setup([{ text: 'x'.repeat(200), chunkSize: 1, delayMs: 5 }]);
    for await (const part of provider.stream(request, { signal: new AbortController().signal })) {
      if (part.type === 'text') break;
    }
    await expectRequestClosed(server);
  });

  it('401 → auth, not retryable, with a kt login hint', async () => {
    const { provider } = await setup([{ error: { status: 401 } }]);
    const error = await failure(stream(provider));
    expect(error).toMatchObject({ errorClass: 'auth', retryable: false, status: 401 });
    expect(error.message).toContain(specifics.rejected);
    // The provider's name, as set up (a fake one here), is what `kt login` takes.
    expect(error.hint).toContain(`kt login ${provider.provider}`);
  });

  it('429 with retry-after → rate_limit with retryAfterMs', async () => {
    const { provider } = await setup([{ error: { status: 429, retryAfter: 2 } }]);
    const error = await failure(stream(provider));
    expect(error).toMatchObject({ errorClass: 'rate_limit', retryable: true, retryAfterMs: 2000, status: 429 });
  });

  it.each([500, 503])('%i → server, retryable, and the SDK does not retry on its own', async (status) => {
    const { server, provider } = await setup([{ error: { status } }]);
    const error = await failure(stream(provider));
    expect(error).toMatchObject({ errorClass: 'server', retryable: true, status });
    expect(server.requests).toHaveLength(1);
  });

  it("an exhausted script shows up in the message (the server's own words reach the user)", async () => {
    const { provider } = await setup([]);
    expect((await failure(stream(provider))).message).toContain(`${specifics.fakeLabel ?? 'fake server'}: script exhausted after 0 requests`);
  });

  it('malformed stream → protocol, not retryable', async () => {
    const { provider } = await setup([{ malformed: true }]);
    expect(await failure(stream(provider))).toMatchObject({ errorClass: 'protocol', retryable: false });
  });

  it('a 200 that is not an event stream → protocol', async () => {
    const { provider } = await setup([], { fetch: loginPage });
    expect((await failure(stream(provider))).errorClass).toBe('protocol');
  });

  it.each(['before-headers', 'mid-stream'] as const)('dropped connection (%s) → transient, one request only', async (drop) => {
    const { server, provider } = await setup([{ drop }]);
    const error = await failure(stream(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toContain(provider.provider);
    expect(server.requests).toHaveLength(1);
  });

  it('nothing listening → transient', async () => {
    const { server, provider } = await setup([]);
    await server.close();
    const error = await failure(stream(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toMatch(specifics.unreachable);
  });

  it('no response headers within timeoutMs → transient', async () => {
    const { provider } = await setup([{ text: 'late', firstByteDelayMs: 1000 }], { timeoutMs: 100 });
    const error = await failure(stream(provider));
    expect(error).toMatchObject({ errorClass: 'transient' });
    expect(error.message).toContain('in time');
  });

  /** Every part, read to the end, under kt's own request timeouts. */
  const bounded = async (provider: Provider, timeouts: Partial<RequestTimeouts>) => {
    const parts: LLMStreamPart[] = [];
    for await (const part of provider.stream(request, { signal: new AbortController().signal, timeouts })) parts.push(part);
    return parts;
  };

  it('never answers → the request timeout ends the request: transient, named with its value', async () => {
    const { server, provider } = await setup([{ hang: true }]);
    const error = await failure(bounded(provider, { requestMs: 200, idleMs: 0 }));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true, code: 'PROVIDER_TIMEOUT' });
    expect(error.message).toContain('within 0.2 s (request timeout)');
    expect(error.hint).toContain('controller.request_timeout');
    await expectRequestClosed(server);
  });

  it.each(['stall', 'drip'] as const)('headers, then %s → the stream idle timeout ends the request', async (fault) => {
    const { server, provider } = await setup([{ fault }]);
    // Only the idle bound: the request bound is off, so the outcome cannot hang on how fast headers come.
    const error = await failure(bounded(provider, { requestMs: 0, idleMs: 200 }));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true, code: 'PROVIDER_TIMEOUT' });
    expect(error.message).toContain('nothing arrived for 0.2 s (stream idle timeout)');
    expect(error.hint).toContain('controller.stream_idle_timeout');
    await expectRequestClosed(server);
  });

  it('a stream that ends without its finish → truncated stream, transient, never a finished answer', async () => {
    const { provider } = await setup([{ fault: 'truncate' }]);
    const error = await failure(stream(provider));
    expect(error).toMatchObject({ errorClass: 'transient', retryable: true });
    expect(error.message).toContain('truncated stream');
  });

  it('hang + abort → rejects with the signal reason and the HTTP request is closed', async () => {
    const { server, provider } = await setup([{ hang: true }]);
    const controller = new AbortController();
    const reason = new AbortReason('interrupted');
    const pending = stream(provider, controller.signal);
    await server.waitForRequests(1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expectRequestClosed(server);
  });

  it('abort mid-stream → rejects with the signal reason, no finish, request closed', async () => {
    const { server, provider } = await setup([{ text: 'y'.repeat(100), chunkSize: 1, delayMs: 5 }]);
    const controller = new AbortController();
    const reason = new AbortReason('cancelled');
    const parts: LLMStreamPart[] = [];
    const run = (async () => {
      for await (const part of provider.stream(request, { signal: controller.signal })) {
        parts.push(part);
        if (parts.length === 3) controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
    await expectRequestClosed(server);
  });

  it('an already aborted signal throws its reason without a request', async () => {
    const { server, provider } = await setup([{ text: 'never' }]);
    const controller = new AbortController();
    const reason = new AbortReason('timeout');
    controller.abort(reason);
    await expect(stream(provider, controller.signal)).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });
}

/** One way a request fails, and what the adapter must make of it. */
export interface FailureCase<Reply, Options> {
  /** The test's name: the failure → its class. */
  name: string;
  /** What the fake answers; leave it out when `options.fetch` answers instead. */
  reply?: Reply;
  options?: Options;
  /** Fields the ProviderError must have. */
  is: Partial<Pick<ProviderError, 'errorClass' | 'retryable' | 'status' | 'retryAfterMs'>>;
  /** Text its message and its hint must contain. */
  message?: string;
  hint?: string;
}

/** A test per case: one request, failing with a ProviderError that has the fields and the wording given. */
export function testFailures<Reply, Options>(
  setup: (script: Reply[], options?: Options) => Promise<{ provider: Provider }>,
  cases: FailureCase<Reply, Options>[],
  request: LLMRequest = hello,
): void {
  it.each(cases)('$name', async ({ reply, options, is, message, hint }) => {
    const { provider } = await setup(reply === undefined ? [] : [reply], options);
    const error = await failure(collect(provider, request));
    expect(error).toMatchObject(is);
    if (message !== undefined) expect(error.message).toContain(message);
    if (hint !== undefined) expect(error.hint).toContain(hint);
  });
}

async function expectRequestClosed(server: ContractServer): Promise<void> {
  await server.waitForAbort();
  expect(server.abortedRequests).toBe(1);
}
