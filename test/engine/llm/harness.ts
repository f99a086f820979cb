/**
 * Drive a Provider the way the controller does (one request, one abort
 * signal, every part read) and summarise what it streamed, so the adapter
 * tests state only what their protocol does differently.
 */
import { afterEach, expect } from 'vitest';
import { ProviderError } from '../../../source/engine/errors.js';
import type { LLMRequest, LLMStreamPart, Provider } from '../../../source/engine/llm/provider.js';
import { rejection } from '../../helpers/thrown.js';

export const hello: LLMRequest = { messages: [{ role: 'user', content: 'hello' }] };

/** Every part `provider` streams for `request`, read to the end. */
export async function collect(
  provider: Provider,
  request: LLMRequest = hello,
  signal: AbortSignal = new AbortController().signal,
): Promise<LLMStreamPart[]> {
  const parts: LLMStreamPart[] = [];
  for await (const part of provider.stream(request, { signal })) parts.push(part);
  return parts;
}

/** A stream's deltas joined up, its whole tool calls, and its finish part(s). */
export function summary(parts: LLMStreamPart[]) {
  const finishes = parts.flatMap((p) => (p.type === 'finish' ? [p] : []));
  return {
    text: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(''),
    reasoning: parts.flatMap((p) => (p.type === 'reasoning' ? [p.text] : [])).join(''),
    calls: parts.flatMap((p) => (p.type === 'tool_call' ? [p.call] : [])),
    finishes,
    finish: finishes[0],
    last: parts.at(-1),
  };
}

/** The stream reasoned, then answered: its reasoning and text are as given, the first reasoning part before the first text. */
export function expectReasoningThenText(parts: LLMStreamPart[], reasoning: string, text: string): void {
  const s = summary(parts);
  expect(s.reasoning).toBe(reasoning);
  expect(s.text).toBe(text);
  expect(parts.findIndex((p) => p.type === 'reasoning')).toBeLessThan(parts.findIndex((p) => p.type === 'text'));
}

/** The ProviderError a stream fails with: adapters must classify every failure, never leak a raw SDK error. */
export function failure(promise: Promise<unknown>): Promise<ProviderError> {
  return rejection(ProviderError, promise);
}

/** A fetch answering every request 200 with `body`: for replies the fake servers never send. */
export function answering(body: string, contentType = 'text/event-stream'): typeof fetch {
  return (async () => new Response(body, { status: 200, headers: { 'content-type': contentType } })) as typeof fetch;
}

/** What a captive portal or a wrong base URL returns instead of an event stream. */
export const loginPage = answering('<html>login</html>', 'text/html');

/**
 * Wrap a fake server's start function so that every server it starts is
 * closed after the test, even when the test fails before closing it.
 */
export function closedAfterEach<A extends unknown[], S extends { close(): Promise<void> }>(
  start: (...args: A) => Promise<S>,
): (...args: A) => Promise<S> {
  const open: S[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (...args) => {
    const server = await start(...args);
    open.push(server);
    return server;
  };
}

/**
 * A test file's `setup(script, options)`: a fake server playing `script`
 * (closed after the test) and what `connect` builds on it, at least the
 * provider under test.
 */
export function scriptedSetup<Reply, Server extends { close(): Promise<void> }, Options, Rig extends { provider: Provider }>(
  start: (options: { script: Reply[] }) => Promise<Server>,
  connect: (server: Server, options: Partial<Options>) => Rig,
): (script: Reply[], options?: Partial<Options>) => Promise<Rig & { server: Server }> {
  const startServer = closedAfterEach(start);
  return async (script, options = {}) => {
    const server = await startServer({ script });
    return { ...connect(server, options), server };
  };
}
