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
import type { ServerResponse } from 'node:http';
import * as Loopback from './loopback-server.js';
import { jsonHeaders, openStream } from './openai-http.js';
import { completionEvents, errorEventEvents, failedEvents, finalResponse, type ResponseContext } from './responses-events.js';
import { namedSseFrame, sendResponsesError } from './responses-http.js';
import type { FakeResponsesBody, FakeResponsesReply } from './responses-replies.js';
import { sendCompletion, writeFrames } from './wire.js';

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

/** OpenAI's API and ChatGPT's Codex backend, one fake for both. */
const PROTOCOL: Loopback.Protocol = { base: '/v1', reply: /^\/(v1|backend-api\/codex)\/responses$/ };
const CODEX_ROUTE = '/backend-api/codex/responses';

/** One HTTP request the server received; its path is e.g. `/backend-api/codex/responses`. */
export interface FakeResponsesRequest extends Loopback.Recorded<FakeResponsesBody> {}

/** Computes the reply once the script is used up; `index` is the 0-based number of the response request. */
export type FakeResponsesResponder = Loopback.Responder<FakeResponsesRequest, FakeResponsesReply>;

/** Options of `startFakeResponses`. */
export interface FakeResponsesOptions extends Loopback.Options<FakeResponsesRequest, FakeResponsesReply> {}

/** A running fake Responses server, both routes at once. */
export interface FakeResponsesServer extends Loopback.Fake<FakeResponsesRequest, FakeResponsesReply> {
  /** `http://127.0.0.1:<port>/v1`: OpenAI's API root. */
  readonly baseURL: string;
  /** `http://127.0.0.1:<port>/backend-api/codex`: ChatGPT's Codex backend root. */
  readonly codexBaseURL: string;
}

class FakeResponses extends Loopback.ScriptedServer<FakeResponsesRequest, FakeResponsesReply> implements FakeResponsesServer {
  get codexBaseURL(): string {
    return `http://127.0.0.1:${this.port}/backend-api/codex`;
  }

  /** The Codex backend's request rules, answered with its `{detail}` body. */
  protected override refuse(request: FakeResponsesRequest, res: ServerResponse): boolean {
    const rejection = request.path === CODEX_ROUTE && request.body ? codexRejection(request.body) : undefined;
    if (rejection) sendResponsesError(res, { status: 400, message: rejection, detail: true });
    return !!rejection;
  }

  /** OpenAI's own complaints all carry request id 0. */
  protected complain(res: ServerResponse, complaint: Loopback.Complaint): void {
    sendResponsesError(res, complaint);
  }

  protected async play(res: ServerResponse, reply: FakeResponsesReply, { request, body, index }: Loopback.Turn<FakeResponsesRequest>): Promise<void> {
    const ctx: ResponseContext = { requestIndex: index, createdAt: Math.floor(request.receivedAt / 1000), body };
    if ('error' in reply) return sendResponsesError(res, reply.error, index);
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    const open = () => openStream(res, index);
    const partial = () => completionEvents({ text: 'partial answer that never ends', chunkSize: 8 }, ctx).slice(0, 6).map(namedSseFrame).join('');
    if ('drop' in reply) return this.drop(res, reply.drop, open, partial);
    if ('fault' in reply) return this.fault(res, reply.fault, open, partial);
    if ('malformed' in reply) {
      open();
      const [created] = completionEvents({ text: 'partial' }, ctx);
      res.end(namedSseFrame(created ?? {}) + 'event: response.in_progress\ndata: {"type": "response.in_progress", oops\n\n');
      return;
    }
    if ('failed' in reply || 'errorEvent' in reply) {
      const events = 'failed' in reply ? failedEvents(reply.failed, ctx) : errorEventEvents(reply.errorEvent, ctx);
      open();
      return writeFrames(res, events.map(namedSseFrame));
    }
    return sendCompletion(res, body.stream === true, reply, {
      jsonHeaders: jsonHeaders(index),
      body: () => finalResponse(reply, ctx),
      frames: () => completionEvents(reply, ctx).map(namedSseFrame),
      open,
    });
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

/** Start a fake Responses server on 127.0.0.1. */
export async function startFakeResponses(options: FakeResponsesOptions = {}): Promise<FakeResponsesServer> {
  return new FakeResponses(PROTOCOL, options).listen(options.port);
}
