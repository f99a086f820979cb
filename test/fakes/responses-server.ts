/**
 * A fake OpenAI Responses server on a real loopback socket. It answers
 * `POST /v1/responses` (OpenAI with an API key) and
 * `POST /backend-api/codex/responses` (ChatGPT's Codex backend) with the
 * named SSE events the real servers send, so the official SDK, or any other
 * client, runs against it unmodified. Part of the public testing kit.
 *
 * The Codex route also enforces the backend's request rules (`store: false`,
 * `instructions` present, no `max_output_tokens`, streaming only), answering
 * its `{"detail": ...}` 400s without using up a scripted reply.
 *
 * ```ts
 * const server = await startFakeResponses({ script: [{ text: 'hello' }] });
 * const llm = new ResponsesProvider({ model: 'gpt-5', apiKey: 'k', baseURL: server.baseURL });
 * // ... run a creature against it, then inspect server.requests
 * await server.close();
 * ```
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, jsonHeaders, openStream, parseBody } from './openai-http.js';
import {
  completionEvents,
  errorEventEvents,
  failedEvents,
  finalResponse,
  type ResponseContext,
} from './responses-events.js';
import { namedSseFrame, sendResponsesError } from './responses-http.js';
import type { FakeResponsesBody, FakeResponsesCompletion, FakeResponsesReply } from './responses-replies.js';
import { Waiters } from './responses-waiters.js';

export type {
  FakeResponsesBody,
  FakeResponsesCompletion,
  FakeResponsesError,
  FakeResponsesErrorEvent,
  FakeResponsesFailed,
  FakeResponsesReply,
  FakeResponsesToolCall,
} from './responses-replies.js';
export { namedSseFrame } from './responses-http.js';

/** One HTTP request the server received. */
export interface FakeResponsesRequest {
  method: string;
  /** Path without the query string, e.g. `/backend-api/codex/responses`. */
  path: string;
  /** Lower-cased header names, as Node reports them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: FakeResponsesBody | undefined;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
}

/** Computes the reply once the script is used up; `index` is the 0-based number of the response request. */
export type FakeResponsesResponder = (
  request: FakeResponsesRequest,
  index: number,
) => FakeResponsesReply | Promise<FakeResponsesReply>;

export interface FakeResponsesOptions {
  /** Replies for the response requests, in order. */
  script?: FakeResponsesReply[];
  /** Asked for a reply when the script is empty. Without one, an empty script answers 500. */
  responder?: FakeResponsesResponder;
  /** Default: a free port. */
  port?: number;
}

export interface FakeResponsesServer {
  /** `http://127.0.0.1:<port>/v1`: OpenAI's API root. */
  readonly baseURL: string;
  /** `http://127.0.0.1:<port>/backend-api/codex`: ChatGPT's Codex backend root. */
  readonly codexBaseURL: string;
  readonly port: number;
  /** Every request received (including rejected and stray ones), in order. */
  readonly requests: FakeResponsesRequest[];
  /** Requests whose connection the client closed before the response was complete. */
  readonly abortedRequests: number;
  /** Append replies to the script. */
  push(...replies: FakeResponsesReply[]): void;
  /** Resolve once `n` requests in all have been received. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Resolve on the next client abort not already claimed by an earlier call. */
  waitForAbort(timeoutMs?: number): Promise<void>;
  /** Stop listening and destroy every open connection. */
  close(): Promise<void>;
}

/** Start a fake Responses server on 127.0.0.1. */
export async function startFakeResponses(options: FakeResponsesOptions = {}): Promise<FakeResponsesServer> {
  const fake = new FakeResponses(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

const DEFAULT_WAIT_MS = 5000;
const OPENAI_ROUTE = '/v1/responses';
const CODEX_ROUTE = '/backend-api/codex/responses';

class FakeResponses implements FakeResponsesServer {
  readonly requests: FakeResponsesRequest[] = [];
  abortedRequests = 0;
  /** Kept from `listen`, so it stays readable after `close`. */
  port = 0;
  private readonly http = createServer((req, res) => this.accept(req, res));
  private readonly script: FakeResponsesReply[];
  private readonly responder: FakeResponsesResponder | undefined;
  private readonly waiters = new Waiters();
  private responses = 0;
  private abortsClaimed = 0;
  private closing = false;
  /** Responses we cut off on purpose (`drop`); their close is not the client's doing. */
  private readonly dropped = new WeakSet<ServerResponse>();

  constructor(options: FakeResponsesOptions) {
    this.script = [...(options.script ?? [])];
    this.responder = options.responder;
  }

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get codexBaseURL(): string {
    return `http://127.0.0.1:${this.port}/backend-api/codex`;
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

  push(...replies: FakeResponsesReply[]): void {
    this.script.push(...replies);
  }

  waitForRequests(n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waiters.until(() => this.requests.length >= n, timeoutMs, () => `${n} requests (got ${this.requests.length})`);
  }

  waitForAbort(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const target = ++this.abortsClaimed;
    return this.waiters.until(
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

  private accept(req: IncomingMessage, res: ServerResponse): void {
    res.on('close', () => {
      if (res.writableFinished || this.closing || this.dropped.has(res)) return;
      this.abortedRequests++;
      this.waiters.notify();
    });
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      this.route(req, res, Buffer.concat(parts)).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) sendResponsesError(res, { status: 500, message: `fake server: ${String(error)}` });
      });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const record: FakeResponsesRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: req.headers,
      body: parseBody(raw) as FakeResponsesBody | undefined,
      receivedAt: Date.now(),
    };
    this.requests.push(record);
    this.waiters.notify();

    const codex = record.path === CODEX_ROUTE;
    if (record.method !== 'POST' || (record.path !== OPENAI_ROUTE && !codex)) {
      return sendResponsesError(res, { status: 404, message: `fake server: no route for ${record.method} ${record.path}` });
    }
    if (!record.body) return sendResponsesError(res, { status: 400, message: 'fake server: the body is not JSON' });
    const rejection = codex ? codexRejection(record.body) : undefined;
    if (rejection) return sendResponsesError(res, { status: 400, message: rejection, detail: true });

    const index = this.responses++;
    const reply = this.script.shift() ?? (await this.responder?.(record, index));
    if (!reply) {
      return sendResponsesError(res, {
        status: 500,
        message: `fake server: script exhausted after ${index} requests`,
        code: 'script_exhausted',
      });
    }
    const ctx: ResponseContext = { requestIndex: index, createdAt: Math.floor(record.receivedAt / 1000), body: record.body };
    return this.reply(res, reply, ctx, record.body.stream === true);
  }

  private async reply(res: ServerResponse, reply: FakeResponsesReply, ctx: ResponseContext, stream: boolean): Promise<void> {
    if ('error' in reply) return sendResponsesError(res, reply.error, ctx.requestIndex);
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    if ('drop' in reply) {
      this.dropped.add(res);
      if (reply.drop === 'before-headers') return void res.socket?.destroy();
      openStream(res, ctx.requestIndex);
      const events = completionEvents({ text: 'partial answer that never ends', chunkSize: 8 }, ctx).slice(0, 6);
      // Destroy only once the first events are flushed, so the client really is mid-stream.
      res.write(events.map(namedSseFrame).join(''), () => res.socket?.destroy());
      return;
    }
    if ('malformed' in reply) {
      openStream(res, ctx.requestIndex);
      const [created] = completionEvents({ text: 'partial' }, ctx);
      res.end(namedSseFrame(created ?? {}) + 'event: response.in_progress\ndata: {"type": "response.in_progress", oops\n\n');
      return;
    }
    if ('failed' in reply) return this.stream(res, failedEvents(reply.failed, ctx), ctx, 0);
    if ('errorEvent' in reply) return this.stream(res, errorEventEvents(reply.errorEvent, ctx), ctx, 0);
    return this.complete(res, reply, ctx, stream);
  }

  private async complete(res: ServerResponse, reply: FakeResponsesCompletion, ctx: ResponseContext, stream: boolean): Promise<void> {
    if (reply.firstByteDelayMs) {
      await delay(reply.firstByteDelayMs);
      if (res.destroyed) return;
    }
    if (!stream) {
      res.writeHead(200, jsonHeaders(ctx.requestIndex));
      res.end(JSON.stringify(finalResponse(reply, ctx)));
      return;
    }
    return this.stream(res, completionEvents(reply, ctx), ctx, reply.delayMs ?? 0);
  }

  private async stream(res: ServerResponse, events: Array<Record<string, unknown>>, ctx: ResponseContext, delayMs: number): Promise<void> {
    openStream(res, ctx.requestIndex);
    const frames = events.map(namedSseFrame);
    if (!delayMs) {
      // One write: no timers and no per-event syscalls.
      res.end(frames.join(''));
      return;
    }
    for (const frame of frames) {
      if (res.destroyed) return;
      res.write(frame);
      await delay(delayMs);
    }
    if (!res.destroyed) res.end();
  }
}

/** The 400 the Codex backend gives a request it will not take, or undefined when it is acceptable. */
function codexRejection(body: FakeResponsesBody): string | undefined {
  if (body.store !== false) return 'Store must be set to false';
  if (typeof body.instructions !== 'string') return 'Instructions are required';
  if (body.stream !== true) return 'Stream must be set to true';
  if (body['max_output_tokens'] !== undefined) return 'Unsupported parameter: max_output_tokens';
  return undefined;
}
