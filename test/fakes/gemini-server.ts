/**
 * A fake Gemini API server on a real loopback socket. It speaks the wire
 * protocol the way `generativelanguage.googleapis.com` does (SSE chunks of
 * `GenerateContentResponse`, thought parts and signatures, function calls,
 * usage metadata, Google error bodies, `:batchEmbedContents` embeddings),
 * so `@google/genai`, or any other client, runs against it unmodified. Part
 * of the public testing kit.
 *
 * Generation requests take their replies from the script (or the
 * responder); embedding requests take them too, but need none: once the
 * script is used up they get computed vectors, so a test scripts only the
 * failures it wants.
 *
 * ```ts
 * const server = await startFakeGemini({ script: [{ text: 'hello' }] });
 * const llm = new GeminiProvider({ model: 'gemini-2.5-flash', apiKey: 'k', baseURL: server.baseURL });
 * // ... run a creature against it, then inspect server.requests
 * await server.close();
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { embeddingsProblem, geminiEmbeddingsBody, scriptedEmbeddingsBody } from './gemini-embeddings.js';
import { GEMINI_JSON_HEADERS, geminiSseFrame, openGeminiStream, sendGeminiError, sendGeminiJsonText } from './gemini-http.js';
import {
  geminiBody,
  geminiChunks,
  type FakeGeminiError,
  type FakeGeminiReply,
  type FakeGeminiRequestBody,
  type GeminiReplyContext,
} from './gemini-replies.js';
import * as Loopback from './loopback-server.js';
import { parseJsonObject, pause, sendCompletion, sendJson } from './wire.js';

export type {
  FakeGeminiCompletion,
  FakeGeminiDrop,
  FakeGeminiEmbeddings,
  FakeGeminiError,
  FakeGeminiHang,
  FakeGeminiMalformed,
  FakeGeminiReply,
  FakeGeminiRequestBody,
  FakeGeminiStreamError,
  FakeGeminiToolCall,
  FakeGeminiUsage,
} from './gemini-replies.js';
export { MAX_EMBED_BATCH, nativeWidth } from './gemini-embeddings.js';
export { geminiSseFrame } from './gemini-http.js';

/** `/{version}/models/{model}:{method}`; model ids may contain dots and dashes, never a colon. */
const MODEL_PATH = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):(streamGenerateContent|generateContent|batchEmbedContents)$/;
const LIST_PATH = /^\/(v1|v1beta|v1alpha)\/models$/;
const PROTOCOL: Loopback.Protocol = { label: 'fake Gemini server', base: '', reply: MODEL_PATH, models: LIST_PATH };

/** One HTTP request the server received; its path is e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent`. */
export interface FakeGeminiRequest extends Loopback.Recorded<FakeGeminiRequestBody> {
  /** Query parameters, e.g. `{ alt: 'sse' }`. */
  query: Record<string, string>;
  /** For generation and embedding requests: the version, model and method from the path. */
  apiVersion?: string;
  model?: string;
  rpc?: 'streamGenerateContent' | 'generateContent' | 'batchEmbedContents';
}

/**
 * Computes the reply to a model request (generation or embeddings) once
 * the script is used up. `index` is the 0-based number of the model request.
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
    const match = MODEL_PATH.exec(request.path);
    if (match) {
      request.apiVersion = match[1];
      request.model = decodeURIComponent(match[2] ?? '');
      request.rpc = match[3] as FakeGeminiRequest['rpc'];
    }
    return request;
  }

  /**
   * Streams must ask for SSE: the other stream format (a JSON array) is not
   * faked. Embedding requests the API would reject get its 400 here.
   */
  protected override refuse(request: FakeGeminiRequest, res: ServerResponse): boolean {
    if (request.rpc === 'batchEmbedContents') {
      const problem = request.body ? embeddingsProblem(request.body, request.model ?? '') : undefined;
      if (problem) this.complain(res, { status: 400, message: problem });
      return problem !== undefined;
    }
    if (request.rpc !== 'streamGenerateContent' || request.query['alt'] === 'sse') return false;
    this.complain(res, { status: 400, message: `${this.label}: only ?alt=sse streams are supported` });
    return true;
  }

  /** Embedding requests need no script: the computed vectors (any completion reply means those). */
  protected override unscripted({ request }: Loopback.Turn<FakeGeminiRequest>): FakeGeminiReply | undefined {
    return request.rpc === 'batchEmbedContents' ? {} : undefined;
  }

  protected complain(res: ServerResponse, complaint: Loopback.Complaint): void {
    sendGeminiError(res, complaint);
  }

  protected async play(res: ServerResponse, reply: FakeGeminiReply, { request, body, index }: Loopback.Turn<FakeGeminiRequest>): Promise<void> {
    const ctx: GeminiReplyContext = { requestIndex: index, model: request.model ?? 'fake-model', body };
    if ('error' in reply) return sendGeminiError(res, reply.error);
    if (request.rpc === 'batchEmbedContents') return this.playEmbeddings(res, reply, ctx);
    if ('embeddings' in reply) {
      return this.complain(res, { status: 500, message: `${this.label}: an embeddings reply does not fit :${request.rpc ?? 'generation'}` });
    }
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    const open = () => openGeminiStream(res);
    // The first chunk of two: no finishReason yet.
    const partial = () => geminiSseFrame(geminiChunks({ text: 'partial answer', chunkSize: 8, usage: false }, ctx)[0]);
    if ('drop' in reply) return this.drop(res, reply.drop, open, partial);
    if ('fault' in reply) return this.fault(res, reply.fault, open, partial);
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

  /** An embeddings answer: one JSON body, never a stream. */
  private async playEmbeddings(res: ServerResponse, reply: Exclude<FakeGeminiReply, FakeGeminiError>, { body, model }: GeminiReplyContext): Promise<void> {
    if ('hang' in reply) return;
    if ('drop' in reply) {
      const computed = JSON.stringify(geminiEmbeddingsBody(body, model));
      return this.drop(res, reply.drop, () => res.writeHead(200, GEMINI_JSON_HEADERS), () => computed.slice(0, computed.length >> 1));
    }
    if ('malformed' in reply) return sendGeminiJsonText(res, '{"embeddings": [{"values": [oops');
    if ('streamError' in reply || 'fault' in reply) {
      const kind = 'fault' in reply ? 'fault' : 'streamError';
      return this.complain(res, { status: 500, message: `${this.label}: a ${kind} reply does not fit :batchEmbedContents (it answers with one JSON body)` });
    }
    if ('embeddings' in reply) return sendJson(res, 200, GEMINI_JSON_HEADERS, scriptedEmbeddingsBody(reply.embeddings));
    if (reply.firstByteDelayMs) {
      await pause(reply.firstByteDelayMs);
      if (res.destroyed) return;
    }
    sendJson(res, 200, GEMINI_JSON_HEADERS, geminiEmbeddingsBody(body, model));
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
