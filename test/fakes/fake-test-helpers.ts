/**
 * What the fake servers' own tests share: one fake per test, closed after
 * it; raw JSON posts, so the tests see the wire and not an SDK's reading of
 * it; SSE parsers that check the framing as they go; and the abort checks
 * every fake must pass.
 */
import { afterEach, expect } from 'vitest';
import type { Fake } from './loopback-server.js';

/** Something a test starts and must close. */
interface Closable {
  close(): Promise<void>;
}

/** The fake the current test started; registers an `afterEach` that closes it. */
export function fakePerTest<S extends Closable>() {
  let current: S | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    /** Keep this fake for the test (and close it after). */
    async use(started: Promise<S>): Promise<S> {
      current = await started;
      return current;
    },
    /** The fake the test started. */
    get server(): S {
      if (!current) throw new Error('no fake server was started in this test');
      return current;
    },
    /** The test closed the fake itself. */
    closed(): void {
      current = undefined;
    },
  };
}

/** POST `body` as JSON with these headers; `init` may add a signal. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    ...init,
  });
}

/** The body of a response that must be a 200 event stream. */
export async function streamBody(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return response.text();
}

/** The payloads of an SSE body of unnamed events whose lines end in `eol`, checking that each is one `data:` line closed by a blank line. */
export function dataPayloads(text: string, eol = '\n'): string[] {
  const end = eol + eol;
  expect(text.endsWith(end)).toBe(true);
  return text
    .slice(0, -end.length)
    .split(end)
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true);
      expect(frame).not.toMatch(/[\r\n]/);
      return frame.slice('data: '.length);
    });
}

/** An event of an SSE body; events are loose JSON, and `any` keeps the assertions readable. */
export interface NamedEvent {
  event: string;
  data: any;
}

/** The events of an SSE body of named events, checking that each is exactly an `event:` and a `data:` line. */
export function namedEvents(text: string): NamedEvent[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      const [eventLine, dataLine, ...rest] = frame.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine!.startsWith('event: ')).toBe(true);
      expect(dataLine!.startsWith('data: ')).toBe(true);
      return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) };
    });
}

/**
 * Send `times` requests the script leaves hanging and abort each: every
 * abort is counted, and each `waitForAbort` claims the next one, so one
 * more wait times out.
 */
export async function expectAbortsCounted(
  server: Fake<unknown, unknown>,
  send: (signal: AbortSignal) => Promise<unknown>,
  times = 2,
): Promise<void> {
  for (let i = 1; i <= times; i++) {
    const controller = new AbortController();
    const pending = send(controller.signal);
    await server.waitForRequests(i);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(i);
  }
  await expect(server.waitForAbort(50)).rejects.toThrow(new RegExp(`timed out after 50 ms waiting for client abort #${times + 1}`));
}

/** Use up a script of `served` replies; the next model request must get a 500 that says the script is exhausted. */
export async function expectScriptExhausted(send: () => Promise<Response>, served: number, label = 'fake server'): Promise<void> {
  for (let i = 0; i < served; i++) await (await send()).text();
  const response = await send();
  expect(response.status).toBe(500);
  expect(((await response.json()) as { error: { message: string } }).error.message).toBe(`${label}: script exhausted after ${served} requests`);
}
