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
import type { ServerResponse } from 'node:http';
import * as Loopback from './loopback-server.js';
import { jsonHeaders, openStream, sendError, sseFrame } from './openai-http.js';
import { completionBody, completionChunks, type FakeReply, type FakeRequestBody, type ReplyContext } from './openai-replies.js';
import { sendCompletion, sendJson } from './wire.js';

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

/** OpenAI serves chat completions and the model list under `/v1`. */
const PROTOCOL: Loopback.Protocol = { base: '/v1', reply: /^\/v1\/chat\/completions$/, models: /^\/v1\/models$/ };

/** One HTTP request the server received. */
export interface RecordedRequest extends Loopback.Recorded<FakeRequestBody> {}

/**
 * Computes the reply to a chat-completion request once the script is used up.
 * `index` is the 0-based number of the chat-completion request.
 */
export type FakeResponder = Loopback.Responder<RecordedRequest, FakeReply>;

/** Options of `startFakeOpenAI`. */
export interface FakeOpenAIOptions extends Loopback.Options<RecordedRequest, FakeReply> {}

/** A running fake OpenAI chat-completions server. */
export interface FakeOpenAIServer extends Loopback.Fake<RecordedRequest, FakeReply> {
  /** `http://127.0.0.1:<port>/v1`, ready for an SDK's `baseURL`. */
  readonly baseURL: string;
}

class FakeOpenAI extends Loopback.ScriptedServer<RecordedRequest, FakeReply> implements FakeOpenAIServer {
  protected complain(res: ServerResponse, complaint: Loopback.Complaint): void {
    sendError(res, complaint);
  }

  protected async play(res: ServerResponse, reply: FakeReply, { request, body, index }: Loopback.Turn<RecordedRequest>): Promise<void> {
    const ctx: ReplyContext = {
      requestIndex: index,
      model: body.model ?? 'fake-model',
      created: Math.floor(request.receivedAt / 1000),
      includeUsage: body.stream_options?.include_usage === true,
      body,
    };
    if ('error' in reply) return sendError(res, reply.error);
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    // Only the role chunk and one text chunk get out.
    const partial = () => completionChunks({ text: 'partial answer', chunkSize: 8 }, ctx).slice(0, 2).map(sseFrame).join('');
    if ('drop' in reply) return this.drop(res, reply.drop, () => openStream(res), partial);
    if ('fault' in reply) return this.fault(res, reply.fault, () => openStream(res, index), partial);
    if ('malformed' in reply) {
      openStream(res);
      const [first] = completionChunks({ text: 'partial' }, ctx);
      res.end(sseFrame(first) + 'data: {"id": "chatcmpl-broken", choices: [oops\n\n');
      return;
    }
    return sendCompletion(res, body.stream === true, reply, {
      jsonHeaders: jsonHeaders(index),
      body: () => completionBody(reply, ctx),
      frames: () => {
        const frames = completionChunks(reply, ctx).map(sseFrame);
        if (!reply.quirks?.noDone) frames.push(sseFrame('[DONE]'));
        return frames;
      },
      open: () => openStream(res, index),
    });
  }

  protected override listModels(res: ServerResponse): void {
    const data = this.modelIds((request) => request.body?.model).map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' }));
    sendJson(res, 200, jsonHeaders(), { object: 'list', data });
  }
}

/** Start a fake server on 127.0.0.1. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAIServer> {
  return new FakeOpenAI(PROTOCOL, options).listen(options.port);
}
