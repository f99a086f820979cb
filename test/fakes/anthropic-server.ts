/**
 * A fake Anthropic Messages API server on a real loopback socket. It speaks
 * the wire protocol the way the API does (named SSE events, `ping`, thinking
 * signatures, streamed tool input, error bodies, `retry-after`, in-stream
 * `error` events) and rejects with a 400 the requests the API would reject,
 * so the official SDK, or any other client, runs against it unmodified.
 * Part of the public testing kit.
 *
 * ```ts
 * const server = await startFakeAnthropic({ script: [{ text: 'hello' }] });
 * const llm = new AnthropicProvider({ model: 'claude-x', apiKey: 'k', baseURL: server.baseURL });
 * // ... run a creature against it, then inspect server.requests
 * await server.close();
 * ```
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, frame, jsonHeaders, openStream, parseBody, sendError } from './anthropic-http.js';
import {
  errorEvent,
  messageBody,
  messageEvents,
  messageStart,
  type AnthropicReplyContext,
  type FakeAnthropicMessage,
  type FakeAnthropicReply,
  type FakeAnthropicRequestBody,
} from './anthropic-replies.js';
import { validateMessagesBody } from './anthropic-validation.js';

export type {
  FakeAnthropicDrop,
  FakeAnthropicError,
  FakeAnthropicHang,
  FakeAnthropicMalformed,
  FakeAnthropicMessage,
  FakeAnthropicReply,
  FakeAnthropicRequestBody,
  FakeAnthropicStreamError,
  FakeAnthropicToolCall,
  FakeAnthropicUsage,
} from './anthropic-replies.js';
export { anthropicSseEvent } from './anthropic-http.js';

/** One HTTP request the server received. */
export interface AnthropicRecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** Lower-cased header names, as Node reports them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: FakeAnthropicRequestBody | undefined;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
}

/**
 * Computes the reply to a messages request once the script is used up.
 * `index` is the 0-based number of the messages request.
 */
export type FakeAnthropicResponder = (
  request: AnthropicRecordedRequest,
  index: number,
) => FakeAnthropicReply | Promise<FakeAnthropicReply>;

export interface FakeAnthropicOptions {
  /** Replies for the messages requests, in order. */
  script?: FakeAnthropicReply[];
  /** Asked for a reply when the script is empty. Without one, an empty script answers 500. */
  responder?: FakeAnthropicResponder;
  /** Answer 400 to requests the real API would reject (default true). Such requests use no scripted reply. */
  validate?: boolean;
  /** Default: a free port. */
  port?: number;
}

export interface FakeAnthropicServer {
  /** `http://127.0.0.1:<port>`, ready for the SDK's `baseURL` (the SDK appends `/v1/messages`). */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received (messages, model listings, strays), in order. */
  readonly requests: AnthropicRecordedRequest[];
  /** Requests whose connection the client closed before the response was complete. */
  readonly abortedRequests: number;
  /** Append replies to the script. */
  push(...replies: FakeAnthropicReply[]): void;
  /** Resolve once `n` requests in all have been received. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolve on the next client abort not already claimed by an earlier call,
   * so it works whether the abort happened before or after the call.
   */
  waitForAbort(timeoutMs?: number): Promise<void>;
  /** Stop listening and destroy every open connection. */
  close(): Promise<void>;
}

/** Start a fake Anthropic server on 127.0.0.1. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  const fake = new FakeAnthropic(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

const DEFAULT_WAIT_MS = 5000;

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

class FakeAnthropic implements FakeAnthropicServer {
  readonly requests: AnthropicRecordedRequest[] = [];
  abortedRequests = 0;
  /** Kept from `listen`, so it stays readable after `close`. */
  port = 0;
  private readonly http = createServer((req, res) => this.accept(req, res));
  private readonly script: FakeAnthropicReply[];
  private readonly responder: FakeAnthropicResponder | undefined;
  private readonly validate: boolean;
  private messages = 0;
  private abortsClaimed = 0;
  private closing = false;
  private readonly waiters = new Set<Waiter>();
  /** Responses we cut off on purpose (`drop`); their close is not the client's doing. */
  private readonly dropped = new WeakSet<ServerResponse>();

  constructor(options: FakeAnthropicOptions) {
    this.script = [...(options.script ?? [])];
    this.responder = options.responder;
    this.validate = options.validate ?? true;
  }

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', reject);
        this.port = (this.http.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  push(...replies: FakeAnthropicReply[]): void {
    this.script.push(...replies);
  }

  waitForRequests(n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitUntil(() => this.requests.length >= n, timeoutMs, () => `${n} requests (got ${this.requests.length})`);
  }

  waitForAbort(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const target = ++this.abortsClaimed;
    return this.waitUntil(
      () => this.abortedRequests >= target,
      timeoutMs,
      () => `client abort #${target} (saw ${this.abortedRequests})`,
    );
  }

  close(): Promise<void> {
    this.closing = true;
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private waitUntil(ready: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        ready,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake server: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private notify(): void {
    for (const waiter of this.waiters) {
      if (!waiter.ready()) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  private accept(req: IncomingMessage, res: ServerResponse): void {
    res.on('close', () => {
      if (res.writableFinished || this.closing || this.dropped.has(res)) return;
      this.abortedRequests++;
      this.notify();
    });
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      this.route(req, res, Buffer.concat(parts)).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) sendError(res, { status: 500, message: `fake server: ${String(error)}` });
      });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const record: AnthropicRecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: req.headers,
      body: parseBody(raw),
      receivedAt: Date.now(),
    };
    this.requests.push(record);
    this.notify();

    if (record.method === 'GET' && record.path === '/v1/models') return this.listModels(res);
    if (record.method !== 'POST' || record.path !== '/v1/messages') {
      return sendError(res, { status: 404, message: `fake server: no route for ${record.method} ${record.path}` });
    }
    if (!record.body) return sendError(res, { status: 400, message: 'fake server: the body is not JSON' });
    const invalid = this.validate ? validateMessagesBody(record.body) : undefined;
    if (invalid) return sendError(res, { status: 400, message: invalid });

    const index = this.messages++;
    const reply = this.script.shift() ?? (await this.responder?.(record, index));
    if (!reply) {
      return sendError(res, { status: 500, message: `fake server: script exhausted after ${index} requests` }, index);
    }
    const ctx: AnthropicReplyContext = { requestIndex: index, model: record.body.model ?? 'fake-model', body: record.body };
    return this.reply(res, reply, ctx, record.body.stream === true);
  }

  private async reply(res: ServerResponse, reply: FakeAnthropicReply, ctx: AnthropicReplyContext, stream: boolean): Promise<void> {
    if ('error' in reply) return sendError(res, reply.error, ctx.requestIndex);
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    if ('drop' in reply) {
      this.dropped.add(res);
      if (reply.drop === 'before-headers') return void res.socket?.destroy();
      openStream(res, ctx.requestIndex);
      const [start, blockStart, , firstDelta] = messageEvents({ text: 'partial answer', chunkSize: 8 }, ctx);
      // Destroy only once the first events are flushed, so the client really is mid-stream.
      res.write([start, blockStart, firstDelta].map((e) => frame(e!)).join(''), () => res.socket?.destroy());
      return;
    }
    if ('malformed' in reply) {
      openStream(res, ctx.requestIndex);
      res.end(frame(messageStart(ctx)) + 'event: content_block_start\ndata: {"type": "content_block_start", index: oops\n\n');
      return;
    }
    if ('streamError' in reply) {
      openStream(res, ctx.requestIndex);
      const events = messageEvents({ text: reply.text ?? '' }, ctx);
      // Everything up to (not including) message_delta, then the error: the message never finishes.
      const cut = events.findIndex((e) => e.event === 'message_delta');
      res.end([...events.slice(0, cut), errorEvent(reply.streamError)].map(frame).join(''));
      return;
    }
    await this.complete(res, reply, ctx, stream);
  }

  private async complete(res: ServerResponse, reply: FakeAnthropicMessage, ctx: AnthropicReplyContext, stream: boolean): Promise<void> {
    if (reply.firstByteDelayMs) {
      await delay(reply.firstByteDelayMs);
      if (res.destroyed) return;
    }
    if (!stream) {
      res.writeHead(200, jsonHeaders(ctx.requestIndex));
      res.end(JSON.stringify(messageBody(reply, ctx)));
      return;
    }
    const frames = messageEvents(reply, ctx).map(frame);
    openStream(res, ctx.requestIndex);
    if (!reply.delayMs) {
      // One write: no timers and no per-event syscalls, so benchmarks measure the client.
      res.end(frames.join(''));
      return;
    }
    for (const f of frames) {
      if (res.destroyed) return;
      res.write(f);
      await delay(reply.delayMs);
    }
    if (!res.destroyed) res.end();
  }

  private listModels(res: ServerResponse): void {
    const ids = new Set(['fake-model']);
    for (const request of this.requests) if (request.body?.model) ids.add(request.body.model);
    const data = [...ids].map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
    res.writeHead(200, jsonHeaders());
    res.end(JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }));
  }
}
