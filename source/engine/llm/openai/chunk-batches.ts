/**
 * The chat-completions event stream read from the raw response, a batch of
 * parsed chunks per network read.
 *
 * The SDK's own stream passes every event through four nested async
 * iterators (body, SSE chunks, SSE messages, JSON), each a few promise hops,
 * and cancels the web stream at the end; a tool round's reply of seven events
 * cost ~0.5 ms of CPU there. Here the SDK still makes the request (auth,
 * headers, typed HTTP errors: `asResponse()` throws them as before) and the
 * body is decoded in one pass. What the stream means is kept from the SDK:
 * it ends at `data: [DONE]`, an `error` event or a chunk carrying `error` is
 * the SDK's `APIError`, and an event that is not JSON is a `SyntaxError`.
 */
import { StringDecoder } from 'node:string_decoder';
import { APIError, OpenAIError } from 'openai/core/error';
import { bodyReceived } from '../http-fetch.js';
import { SseDecoder, type ServerSentEvent } from '../sse.js';

/** What is read of the response: the SDK hands back fetch's `Response`, or `httpFetch`'s stand-in. */
export interface StreamedResponse {
  body: AsyncIterable<Uint8Array> | null;
  headers: Headers | { get(name: string): string | null };
}

/** The chunks of a streamed chat completion, one array per piece of body read. */
export async function* chunkBatches(response: StreamedResponse): AsyncGenerator<unknown[], void, undefined> {
  const { body } = response;
  if (!body) throw new OpenAIError('Attempted to iterate over a response with no body');
  const text = new StringDecoder('utf8');
  const sse = new SseDecoder();
  const events: ServerSentEvent[] = [];
  const iterator = body[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const step = await iterator.next();
      if (step.done) {
        finished = true;
        sse.push(text.end(), events);
        sse.end(events);
      } else {
        sse.push(text.write(step.value), events);
      }
      const { batch, done, failure } = parseEvents(events, response.headers);
      events.length = 0;
      // The chunks before a failure are the reader's, as they were from the SDK's stream.
      if (batch.length > 0) yield batch;
      if (failure) throw failure;
      if (finished) return;
      if (done) {
        // The rest of a body that has arrived is read, so its keep-alive socket goes back to the pool.
        if (bodyReceived(response)) {
          while (!(await iterator.next()).done);
          finished = true;
        }
        return;
      }
    }
  } finally {
    // Left early (done, an error, the reader stopped): cancel the body.
    if (!finished) await iterator.return?.();
  }
}

interface Parsed {
  batch: unknown[];
  /** `[DONE]` came: nothing after it counts. */
  done: boolean;
  /** What ends the stream after the batch. */
  failure?: Error;
}

function parseEvents(events: readonly ServerSentEvent[], headers: StreamedResponse['headers']): Parsed {
  const batch: unknown[] = [];
  for (const { event, data } of events) {
    if (data === '[DONE]') return { batch, done: true };
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return { batch, done: false, failure: new SyntaxError('Error reading response: malformed server-sent event JSON.') };
    }
    const record = typeof chunk === 'object' && chunk !== null ? (chunk as Record<string, unknown>) : undefined;
    // The SDK's headers parameter is typed as fetch's Headers; it only calls get() on them.
    if (event === 'error') return { batch, done: false, failure: new APIError(undefined, (record?.['error'] ?? chunk) as object, undefined, headers as Headers) };
    if (record?.['error']) return { batch, done: false, failure: new APIError(undefined, record['error'] as object, undefined, headers as Headers) };
    batch.push(chunk);
  }
  return { batch, done: false };
}
