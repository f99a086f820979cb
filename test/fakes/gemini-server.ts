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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GEMINI_JSON_HEADERS, geminiSseFrame, openGeminiStream, sendGeminiError } from './gemini-http.js';
import {
  geminiBody,
  geminiChunks,
  type FakeGeminiReply,
  type FakeGeminiRequestBody,
  type GeminiReplyContext,
} from './gemini-replies.js';
import * as Loopback from './loopback-server.js';
import { parseJsonObject, sendCompletion, sendJson } from './wire.js';

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

/** `/{version}/models/{model}:{method}`; model ids may contain dots and dashes, never a colon. */
const GENERATE_PATH = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;
const LIST_PATH = /^\/(v1|v1beta|v1alpha)\/models$/;
const PROTOCOL: Loopback.Protocol = { label: 'fake Gemini server', base: '', reply: GENERATE_PATH, models: LIST_PATH };

/** One HTTP request the server received; its path is e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent`. */
export interface FakeGeminiRequest extends Loopback.Recorded<FakeGeminiRequestBody> {
  /** Query parameters, e.g. `{ alt: 'sse' }`. */
  query: Record<string, string>;
  /** For generation requests: the version, model and method from the path. */
  apiVersion?: string;
  model?: string;
  rpc?: 'streamGenerateContent' | 'generateContent';
}

/**
 * Computes the reply to a generation request once the script is used up.
 * `index` is the 0-based number of the generation request.
 */
export type FakeGeminiResponder = Loopback.Responder<FakeGeminiRequest, FakeGeminiReply>;

/** Options of `startFakeGemini`. */
export interface FakeGeminiOptions extends Loopback.Options<FakeGeminiRequest, FakeGeminiReply> {}

/** A running fake Gemini server. */
export interface FakeGeminiServer extends Loopback.Fake<FakeGeminiRequest, FakeGeminiReply> {
  /** `http://127.0.0.1:<port>`: the API root without a version, ready for `GeminiProvider`'s `baseURL`. */
  readonly baseURL: string;
}

class FakeGemini extends Loopback.ScriptedServer<FakeGeminiRequest, FakeGeminiReply> implements FakeGeminiServer {
  /** Gemini's record also keeps the query and what the path names: version, model and method. */
  protected override record(req: IncomingMessage, raw: Buffer): FakeGeminiRequest {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: FakeGeminiRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseJsonObject(raw) as FakeGeminiRequestBody | undefined,
      receivedAt: Date.now(),
    };
    const match = GENERATE_PATH.exec(request.path);
    if (match) {
      request.apiVersion = match[1];
      request.model = decodeURIComponent(match[2] ?? '');
      request.rpc = match[3] as FakeGeminiRequest['rpc'];
    }
    return request;
  }

  /** Streams must ask for SSE: the other stream format (a JSON array) is not faked. */
  protected override refuse(request: FakeGeminiRequest, res: ServerResponse): boolean {
    if (request.rpc !== 'streamGenerateContent' || request.query['alt'] === 'sse') return false;
    this.complain(res, { status: 400, message: `${this.label}: only ?alt=sse streams are supported` });
    return true;
  }

  protected complain(res: ServerResponse, complaint: Loopback.Complaint): void {
    sendGeminiError(res, complaint);
  }

  protected async play(res: ServerResponse, reply: FakeGeminiReply, { request, body, index }: Loopback.Turn<FakeGeminiRequest>): Promise<void> {
    const ctx: GeminiReplyContext = { requestIndex: index, model: request.model ?? 'fake-model', body };
    if ('error' in reply) return sendGeminiError(res, reply.error);
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    const open = () => openGeminiStream(res);
    if ('drop' in reply) {
      const partial = () => geminiSseFrame(geminiChunks({ text: 'partial answer', usage: false }, ctx)[0]);
      return this.drop(res, reply.drop, open, partial);
    }
    if ('malformed' in reply) {
      open();
      const [first] = geminiChunks({ text: 'partial', usage: false }, ctx);
      res.end(geminiSseFrame(first) + geminiSseFrame('{"candidates": [oops'));
      return;
    }
    if ('streamError' in reply) {
      open();
      const before = reply.text ? geminiChunks({ text: reply.text, usage: false }, ctx) : [];
      const error = { error: { status: 'INTERNAL', message: 'fake stream error', ...reply.streamError } };
      res.end([...before, error].map(geminiSseFrame).join(''));
      return;
    }
    return sendCompletion(res, request.rpc === 'streamGenerateContent', reply, {
      jsonHeaders: GEMINI_JSON_HEADERS,
      body: () => geminiBody(reply, ctx),
      frames: () => geminiChunks(reply, ctx).map(geminiSseFrame),
      open,
    });
  }

  protected override listModels(res: ServerResponse): void {
    const models = this.modelIds((request) => request.model).map((id) => ({
      name: `models/${id}`,
      displayName: id,
      inputTokenLimit: 1_048_576,
      outputTokenLimit: 65_536,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    }));
    sendJson(res, 200, GEMINI_JSON_HEADERS, { models });
  }
}

/** Start a fake Gemini server on 127.0.0.1. */
export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGeminiServer> {
  return new FakeGemini(PROTOCOL, options).listen(options.port);
}
