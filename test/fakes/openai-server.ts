/**
 * A fake OpenAI chat-completions server on a real loopback socket. It speaks
 * the wire protocol the way OpenAI does (chunk shapes, the usage chunk,
 * `[DONE]`, error bodies, `retry-after`), so the official SDK, or any other
 * client, runs against it unmodified. Part of the public testing kit.
 *
 * ```ts
 * const server = await startFakeOpenAI({ script: [{ text: 'hello' }] });
 * const llm = new OpenAICompatibleProvider({ model: 'm', apiKey: 'k', baseURL: server.baseURL });
 * // ... run a creature against it, then inspect server.requests
 * await server.close();
 * ```
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, jsonHeaders, openStream, parseBody, sendError, sseFrame } from './openai-http.js';
import {
  completionBody,
  completionChunks,
  type FakeCompletion,
  type FakeReply,
  type FakeRequestBody,
  type ReplyContext,
} from './openai-replies.js';

export type {
  FakeCompletion,
  FakeDrop,
  FakeError,
  FakeHang,
  FakeMalformed,
  FakeQuirks,
  FakeReply,
  FakeRequestBody,
  FakeToolCall,
} from './openai-replies.js';
export { sseFrame } from './openai-http.js';

/** One HTTP request the server received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-cased header names, as Node reports them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: FakeRequestBody | undefined;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
}

/**
 * Computes the reply to a chat-completion request once the script is used up.
 * `index` is the 0-based number of the chat-completion request.
 */
export type FakeResponder = (request: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAIOptions {
  /** Replies for the chat-completion requests, in order. */
  script?: FakeReply[];
  /** Asked for a reply when the script is empty. Without one, an empty script answers 500. */
  responder?: FakeResponder;
  /** Default: a free port. */
  port?: number;
}

export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>/v1`, ready for an SDK's `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received (chat completions, model listings, strays), in order. */
  readonly requests: RecordedRequest[];
  /** Requests whose connection the client closed before the response was complete. */
  readonly abortedRequests: number;
  /** Append replies to the script. */
  push(...replies: FakeReply[]): void;
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

/** Start a fake server on 127.0.0.1. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAIServer> {
  const fake = new FakeOpenAI(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

const DEFAULT_WAIT_MS = 5000;

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

class FakeOpenAI implements FakeOpenAIServer {
  readonly requests: RecordedRequest[] = [];
  abortedRequests = 0;
  private readonly http = createServer((req, res) => this.accept(req, res));
  private readonly script: FakeReply[];
  private readonly responder: FakeResponder | undefined;
  private completions = 0;
  private abortsClaimed = 0;
  private closing = false;
  private waiters = new Set<Waiter>();
  /** Responses we cut off on purpose (`drop`); their close is not the client's doing. */
  private readonly dropped = new WeakSet<ServerResponse>();

  constructor(options: FakeOpenAIOptions) {
    this.script = [...(options.script ?? [])];
    this.responder = options.responder;
  }

  /** Kept from `listen`, so it stays readable after `close`. */
  port = 0;

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
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

  push(...replies: FakeReply[]): void {
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
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: req.headers,
      body: parseBody(raw),
      receivedAt: Date.now(),
    };
    this.requests.push(record);
    this.notify();

    if (record.method === 'GET' && record.path === '/v1/models') return this.listModels(res);
    if (record.method !== 'POST' || record.path !== '/v1/chat/completions') {
      return sendError(res, { status: 404, message: `fake server: no route for ${record.method} ${record.path}` });
    }
    if (!record.body) return sendError(res, { status: 400, message: 'fake server: the body is not JSON' });

    const index = this.completions++;
    const reply = this.script.shift() ?? (await this.responder?.(record, index));
    if (!reply) {
      return sendError(res, {
        status: 500,
        message: `fake server: script exhausted after ${index} requests`,
        code: 'script_exhausted',
      });
    }
    const ctx: ReplyContext = {
      requestIndex: index,
      model: record.body.model ?? 'fake-model',
      created: Math.floor(record.receivedAt / 1000),
      includeUsage: record.body.stream_options?.include_usage === true,
      body: record.body,
    };
    return this.reply(res, reply, ctx, record.body.stream === true);
  }

  private async reply(res: ServerResponse, reply: FakeReply, ctx: ReplyContext, stream: boolean): Promise<void> {
    if ('error' in reply) return sendError(res, reply.error);
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    if ('drop' in reply) {
      this.dropped.add(res);
      if (reply.drop === 'before-headers') return void res.socket?.destroy();
      openStream(res);
      const [role, text] = completionChunks({ text: 'partial answer', chunkSize: 8 }, ctx);
      // Destroy only once the first chunks are flushed, so the client really is mid-stream.
      res.write(sseFrame(role) + sseFrame(text), () => res.socket?.destroy());
      return;
    }
    if ('malformed' in reply) {
      openStream(res);
      const [first] = completionChunks({ text: 'partial' }, ctx);
      res.end(sseFrame(first) + 'data: {"id": "chatcmpl-broken", choices: [oops\n\n');
      return;
    }
    await this.complete(res, reply, ctx, stream);
  }

  private async complete(res: ServerResponse, reply: FakeCompletion, ctx: ReplyContext, stream: boolean): Promise<void> {
    if (reply.firstByteDelayMs) {
      await delay(reply.firstByteDelayMs);
      if (res.destroyed) return;
    }
    if (!stream) {
      res.writeHead(200, jsonHeaders(ctx.requestIndex));
      res.end(JSON.stringify(completionBody(reply, ctx)));
      return;
    }
    const frames = completionChunks(reply, ctx).map(sseFrame);
    if (!reply.quirks?.noDone) frames.push(sseFrame('[DONE]'));
    openStream(res, ctx.requestIndex);
    if (!reply.delayMs) {
      // One write: no timers and no per-chunk syscalls, so benchmarks measure the client.
      res.end(frames.join(''));
      return;
    }
    for (const frame of frames) {
      if (res.destroyed) return;
      res.write(frame);
      await delay(reply.delayMs);
    }
    if (!res.destroyed) res.end();
  }

  private listModels(res: ServerResponse): void {
    const ids = new Set(['fake-model']);
    for (const request of this.requests) if (request.body?.model) ids.add(request.body.model);
    const data = [...ids].map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' }));
    res.writeHead(200, jsonHeaders());
    res.end(JSON.stringify({ object: 'list', data }));
  }
}
