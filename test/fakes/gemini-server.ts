/**
 * A fake Gemini API server on a real loopback socket. It speaks the wire
 * protocol the way `generativelanguage.googleapis.com` does (SSE chunks of
 * `GenerateContentResponse`, thought parts and signatures, function calls,
 * usage metadata, Google error bodies), so `@google/genai`, or any other
 * client, runs against it unmodified. Part of the public testing kit.
 *
 * ```ts
 * const server = await startFakeGemini({ script: [{ text: 'hello' }] });
 * const llm = new GeminiProvider({ model: 'gemini-2.5-flash', apiKey: 'k', baseURL: server.baseURL });
 * // ... run a creature against it, then inspect server.requests
 * await server.close();
 * ```
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GEMINI_JSON_HEADERS,
  geminiSseFrame,
  openGeminiStream,
  parseGeminiBody,
  pause,
  sendGeminiError,
} from './gemini-http.js';
import {
  geminiBody,
  geminiChunks,
  type FakeGeminiCompletion,
  type FakeGeminiReply,
  type FakeGeminiRequestBody,
  type GeminiReplyContext,
} from './gemini-replies.js';

export type {
  FakeGeminiCompletion,
  FakeGeminiDrop,
  FakeGeminiError,
  FakeGeminiHang,
  FakeGeminiMalformed,
  FakeGeminiReply,
  FakeGeminiRequestBody,
  FakeGeminiStreamError,
  FakeGeminiToolCall,
  FakeGeminiUsage,
} from './gemini-replies.js';
export { geminiSseFrame } from './gemini-http.js';

/** One HTTP request the server received. */
export interface FakeGeminiRequest {
  method: string;
  /** Path without the query string, e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent`. */
  path: string;
  /** Query parameters, e.g. `{ alt: 'sse' }`. */
  query: Record<string, string>;
  /** Lower-cased header names, as Node reports them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: FakeGeminiRequestBody | undefined;
  /** For generation requests: the version, model and method from the path. */
  apiVersion?: string;
  model?: string;
  rpc?: 'streamGenerateContent' | 'generateContent';
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
}

/**
 * Computes the reply to a generation request once the script is used up.
 * `index` is the 0-based number of the generation request.
 */
export type FakeGeminiResponder = (request: FakeGeminiRequest, index: number) => FakeGeminiReply | Promise<FakeGeminiReply>;

export interface FakeGeminiOptions {
  /** Replies for the generation requests, in order. */
  script?: FakeGeminiReply[];
  /** Asked for a reply when the script is empty. Without one, an empty script answers 500. */
  responder?: FakeGeminiResponder;
  /** Default: a free port. */
  port?: number;
}

export interface FakeGeminiServer {
  /** `http://127.0.0.1:<port>`: the API root without a version, ready for `GeminiProvider`'s `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received (generations, model listings, strays), in order. */
  readonly requests: FakeGeminiRequest[];
  /** Requests whose connection the client closed before the response was complete. */
  readonly abortedRequests: number;
  /** Append replies to the script. */
  push(...replies: FakeGeminiReply[]): void;
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

/** Start a fake Gemini server on 127.0.0.1. */
export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGeminiServer> {
  const fake = new FakeGemini(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

const DEFAULT_WAIT_MS = 5000;

/** `/{version}/models/{model}:{method}`; model ids may contain dots and dashes, never a colon. */
const GENERATE_PATH = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;
const LIST_PATH = /^\/(v1|v1beta|v1alpha)\/models$/;

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

class FakeGemini implements FakeGeminiServer {
  readonly requests: FakeGeminiRequest[] = [];
  abortedRequests = 0;
  /** Kept from `listen`, so it stays readable after `close`. */
  port = 0;
  private readonly http = createServer((req, res) => this.accept(req, res));
  private readonly script: FakeGeminiReply[];
  private readonly responder: FakeGeminiResponder | undefined;
  private generations = 0;
  private abortsClaimed = 0;
  private closing = false;
  private readonly waiters = new Set<Waiter>();
  /** Responses we cut off on purpose (`drop`); their close is not the client's doing. */
  private readonly dropped = new WeakSet<ServerResponse>();

  constructor(options: FakeGeminiOptions) {
    this.script = [...(options.script ?? [])];
    this.responder = options.responder;
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

  push(...replies: FakeGeminiReply[]): void {
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
        reject(new Error(`fake Gemini server: timed out after ${timeoutMs} ms waiting for ${what()}`));
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
        if (!res.headersSent && !res.destroyed) sendGeminiError(res, { status: 500, message: `fake Gemini server: ${String(error)}` });
      });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: FakeGeminiRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseGeminiBody(raw),
      receivedAt: Date.now(),
    };
    const match = GENERATE_PATH.exec(record.path);
    if (match) {
      record.apiVersion = match[1];
      record.model = decodeURIComponent(match[2] ?? '');
      record.rpc = match[3] as FakeGeminiRequest['rpc'];
    }
    this.requests.push(record);
    this.notify();

    if (record.method === 'GET' && LIST_PATH.test(record.path)) return this.listModels(res);
    if (record.method !== 'POST' || !match) {
      return sendGeminiError(res, { status: 404, message: `fake Gemini server: no route for ${record.method} ${record.path}` });
    }
    const streaming = record.rpc === 'streamGenerateContent';
    if (streaming && record.query['alt'] !== 'sse') {
      return sendGeminiError(res, { status: 400, message: 'fake Gemini server: only ?alt=sse streams are supported' });
    }
    if (!record.body) return sendGeminiError(res, { status: 400, message: 'fake Gemini server: the body is not JSON' });

    const index = this.generations++;
    const reply = this.script.shift() ?? (await this.responder?.(record, index));
    if (!reply) {
      return sendGeminiError(res, {
        status: 500,
        message: `fake Gemini server: script exhausted after ${index} requests`,
        statusText: 'INTERNAL',
      });
    }
    const ctx: GeminiReplyContext = { requestIndex: index, model: record.model ?? 'fake-model', body: record.body };
    return this.reply(res, reply, ctx, streaming);
  }

  private async reply(res: ServerResponse, reply: FakeGeminiReply, ctx: GeminiReplyContext, stream: boolean): Promise<void> {
    if ('error' in reply) return sendGeminiError(res, reply.error);
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    if ('drop' in reply) {
      this.dropped.add(res);
      if (reply.drop === 'before-headers') return void res.socket?.destroy();
      openGeminiStream(res);
      const [first] = geminiChunks({ text: 'partial answer', usage: false }, ctx);
      // Destroy only once the first chunk is flushed, so the client really is mid-stream.
      res.write(geminiSseFrame(first), () => res.socket?.destroy());
      return;
    }
    if ('malformed' in reply) {
      openGeminiStream(res);
      const [first] = geminiChunks({ text: 'partial', usage: false }, ctx);
      res.end(geminiSseFrame(first) + geminiSseFrame('{"candidates": [oops'));
      return;
    }
    if ('streamError' in reply) {
      openGeminiStream(res);
      const before = reply.text ? geminiChunks({ text: reply.text, usage: false }, ctx) : [];
      const error = { error: { status: 'INTERNAL', message: 'fake stream error', ...reply.streamError } };
      res.end([...before, error].map(geminiSseFrame).join(''));
      return;
    }
    await this.complete(res, reply, ctx, stream);
  }

  private async complete(res: ServerResponse, reply: FakeGeminiCompletion, ctx: GeminiReplyContext, stream: boolean): Promise<void> {
    if (reply.firstByteDelayMs) {
      await pause(reply.firstByteDelayMs);
      if (res.destroyed) return;
    }
    if (!stream) {
      res.writeHead(200, GEMINI_JSON_HEADERS);
      res.end(JSON.stringify(geminiBody(reply, ctx)));
      return;
    }
    const frames = geminiChunks(reply, ctx).map(geminiSseFrame);
    openGeminiStream(res);
    if (!reply.delayMs) {
      // One write: no timers and no per-chunk syscalls, so benchmarks measure the client.
      res.end(frames.join(''));
      return;
    }
    for (const frame of frames) {
      if (res.destroyed) return;
      res.write(frame);
      await pause(reply.delayMs);
    }
    if (!res.destroyed) res.end();
  }

  private listModels(res: ServerResponse): void {
    const ids = new Set(['fake-model']);
    for (const request of this.requests) if (request.model) ids.add(request.model);
    const models = [...ids].map((id) => ({
      name: `models/${id}`,
      displayName: id,
      inputTokenLimit: 1_048_576,
      outputTokenLimit: 65_536,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    }));
    res.writeHead(200, GEMINI_JSON_HEADERS);
    res.end(JSON.stringify({ models }));
  }
}
