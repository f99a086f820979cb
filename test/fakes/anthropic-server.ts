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
import type { ServerResponse } from 'node:http';
import { frame, jsonHeaders, openStream, sendError } from './anthropic-http.js';
import {
  errorEvent,
  messageBody,
  messageEvents,
  messageStart,
  type AnthropicReplyContext,
  type FakeAnthropicReply,
  type FakeAnthropicRequestBody,
} from './anthropic-replies.js';
import { validateMessagesBody } from './anthropic-validation.js';
import * as Loopback from './loopback-server.js';
import { sendCompletion, sendJson } from './wire.js';

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

/** The SDK appends `/v1/messages` itself, so the base is the bare origin. */
const PROTOCOL: Loopback.Protocol = { base: '', reply: /^\/v1\/messages$/, models: /^\/v1\/models$/ };

/** One HTTP request the server received; its path is e.g. `/v1/messages`. */
export interface AnthropicRecordedRequest extends Loopback.Recorded<FakeAnthropicRequestBody> {}

/**
 * Computes the reply to a messages request once the script is used up.
 * `index` is the 0-based number of the messages request.
 */
export type FakeAnthropicResponder = Loopback.Responder<AnthropicRecordedRequest, FakeAnthropicReply>;

/** Options of `startFakeAnthropic`. */
export interface FakeAnthropicOptions extends Loopback.Options<AnthropicRecordedRequest, FakeAnthropicReply> {
  /** Answer 400 to requests the real API would reject (default true). Such requests use no scripted reply. */
  validate?: boolean;
}

/** A running fake Anthropic Messages server. */
export interface FakeAnthropicServer extends Loopback.Fake<AnthropicRecordedRequest, FakeAnthropicReply> {
  /** `http://127.0.0.1:<port>`, ready for the SDK's `baseURL` (the SDK appends `/v1/messages`). */
  readonly baseURL: string;
}

class FakeAnthropic extends Loopback.ScriptedServer<AnthropicRecordedRequest, FakeAnthropicReply> implements FakeAnthropicServer {
  private readonly validate: boolean;

  constructor(protocol: Loopback.Protocol, options: FakeAnthropicOptions) {
    super(protocol, options);
    this.validate = options.validate ?? true;
  }

  /** The API's request rules (see `anthropic-validation.ts`), unless turned off. */
  protected override refuse(request: AnthropicRecordedRequest, res: ServerResponse): boolean {
    const invalid = this.validate && request.body ? validateMessagesBody(request.body) : undefined;
    if (invalid) sendError(res, { status: 400, message: invalid });
    return !!invalid;
  }

  protected complain(res: ServerResponse, complaint: Loopback.Complaint): void {
    sendError(res, complaint, complaint.requestIndex);
  }

  protected async play(res: ServerResponse, reply: FakeAnthropicReply, { body, index }: Loopback.Turn<AnthropicRecordedRequest>): Promise<void> {
    const ctx: AnthropicReplyContext = { requestIndex: index, model: body.model ?? 'fake-model', body };
    if ('error' in reply) return sendError(res, reply.error, index);
    if ('hang' in reply) return; // The close handler counts the client's eventual abort.
    const open = () => openStream(res, index);
    // Only message_start, the text block's start and its first delta get out.
    const partial = () => {
      const [start, blockStart, , firstDelta] = messageEvents({ text: 'partial answer', chunkSize: 8 }, ctx);
      return [start, blockStart, firstDelta].map((e) => frame(e!)).join('');
    };
    if ('drop' in reply) return this.drop(res, reply.drop, open, partial);
    if ('fault' in reply) return this.fault(res, reply.fault, open, partial);
    if ('malformed' in reply) {
      open();
      res.end(frame(messageStart(ctx)) + 'event: content_block_start\ndata: {"type": "content_block_start", index: oops\n\n');
      return;
    }
    if ('streamError' in reply) {
      open();
      const events = messageEvents({ text: reply.text ?? '' }, ctx);
      // Everything up to (not including) message_delta, then the error: the message never finishes.
      const cut = events.findIndex((e) => e.event === 'message_delta');
      res.end([...events.slice(0, cut), errorEvent(reply.streamError)].map(frame).join(''));
      return;
    }
    return sendCompletion(res, body.stream === true, reply, {
      jsonHeaders: jsonHeaders(index),
      body: () => messageBody(reply, ctx),
      frames: () => messageEvents(reply, ctx).map(frame),
      open,
    });
  }

  protected override listModels(res: ServerResponse): void {
    const ids = this.modelIds((request) => request.body?.model);
    const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
    sendJson(res, 200, jsonHeaders(), { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  }
}

/** Start a fake Anthropic server on 127.0.0.1. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  return new FakeAnthropic(PROTOCOL, options).listen(options.port);
}
