/**
 * What the fake Anthropic server can be told to answer, and how a message
 * reply becomes the exact named SSE events (or JSON body) the Messages API
 * sends.
 */
import type { FakeFault } from './loopback-server.js';
import { argumentText, estimateTokens, split, statusDefaults } from './reply-shared.js';

/** One tool call the fake model makes. */
export interface FakeAnthropicToolCall {
  /** Defaults to a deterministic `toolu_fake<request>_<n>`. */
  id?: string;
  name: string;
  /** An object, or raw JSON text (sent as `input_json_delta` fragments as it is). */
  arguments: string | Record<string, unknown>;
}

/** Token counts; each field left out is estimated (input, output) or 0 (cache). */
export interface FakeAnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** A normal answer: streamed as SSE events, or one JSON body for non-streaming requests. */
export interface FakeAnthropicMessage {
  text?: string;
  /** Streamed as a thinking block before the text. */
  thinking?: string;
  /** The thinking block's signature; default `sig_fake<request>`. */
  signature?: string;
  /** The `data` of a redacted_thinking block sent after the thinking block. */
  redactedThinking?: string;
  toolCalls?: FakeAnthropicToolCall[];
  usage?: FakeAnthropicUsage;
  /** Characters per text and thinking delta; default 8. */
  chunkSize?: number;
  /** Characters per `input_json_delta`; default 7. */
  argChunkSize?: number;
  /** Pause between events; default 0 (all events are written at once). */
  delayMs?: number;
  /** Pause before the response headers. */
  firstByteDelayMs?: number;
  /** Default `tool_use` when there are tool calls, else `end_turn`. */
  stopReason?: string;
}

/** An HTTP error with the API's body `{type: 'error', error: {type, message}}`. */
export interface FakeAnthropicError {
  error: {
    status: number;
    /** Defaults by status (401 → authentication_error, 529 → overloaded_error, ...). */
    type?: string;
    message?: string;
    /** Sent as the `retry-after` header, in seconds. */
    retryAfter?: number;
    /** Sent as the `retry-after-ms` header. */
    retryAfterMs?: number;
  };
}

/** A 200 stream that starts a message, streams `text`, then sends an `error` event (as the API does when overloaded mid-stream). */
export interface FakeAnthropicStreamError {
  streamError: { type: string; message?: string };
  text?: string;
}

/** Accept the request and never answer, until the client gives up (counted in `abortedRequests`). */
export interface FakeAnthropicHang {
  hang: true;
}

/** A 200 event stream whose second event is not JSON. */
export interface FakeAnthropicMalformed {
  malformed: true;
}

/** Destroy the socket before sending headers, or after the first events of a stream. */
export interface FakeAnthropicDrop {
  drop: 'before-headers' | 'mid-stream';
}

export type FakeAnthropicReply =
  | FakeAnthropicMessage
  | FakeAnthropicError
  | FakeAnthropicStreamError
  | FakeAnthropicHang
  | FakeAnthropicMalformed
  | FakeAnthropicDrop
  | FakeFault;

/** The parsed JSON body of a request, loosely typed for convenient assertions. */
export interface FakeAnthropicRequestBody {
  model?: string;
  max_tokens?: number;
  // `any` on purpose: tests index freely into the wire messages, system blocks and tools.
  messages?: any[];
  system?: any;
  tools?: any[];
  stream?: boolean;
  [field: string]: unknown;
}

/** Identity of one response, shared by all of its events. */
export interface AnthropicReplyContext {
  /** 0-based number of the messages request. */
  requestIndex: number;
  model: string;
  body: FakeAnthropicRequestBody;
}

/** One named server-sent event. */
export interface AnthropicEvent {
  event: string;
  data: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const DEFAULT_CHUNK = 8;
const DEFAULT_ARG_CHUNK = 7;

/** Every event of a streamed message, in the API's order, `ping` included. */
export function messageEvents(reply: FakeAnthropicMessage, ctx: AnthropicReplyContext): AnthropicEvent[] {
  const usage = usageOf(reply, ctx);
  const events: AnthropicEvent[] = [messageStart(ctx, usage)];
  const event = (name: string, data: Json) => events.push({ event: name, data: { type: name, ...data } });
  const size = reply.chunkSize ?? DEFAULT_CHUNK;
  let index = 0;
  const block = (start: Json, deltas: Json[]) => {
    event('content_block_start', { index, content_block: start });
    // The API sends its first ping right after the first block opens.
    if (index === 0) event('ping', {});
    for (const delta of deltas) event('content_block_delta', { index, delta });
    event('content_block_stop', { index });
    index++;
  };

  if (reply.thinking !== undefined) {
    block({ type: 'thinking', thinking: '', signature: '' }, [
      ...split(reply.thinking, size).map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: signatureOf(reply, ctx) },
    ]);
  }
  if (reply.redactedThinking !== undefined) block({ type: 'redacted_thinking', data: reply.redactedThinking }, []);
  if (reply.text !== undefined && reply.text !== '') {
    block({ type: 'text', text: '' }, split(reply.text, size).map((text) => ({ type: 'text_delta', text })));
  }
  (reply.toolCalls ?? []).forEach((call, n) => {
    const fragments = split(argumentText(call), reply.argChunkSize ?? DEFAULT_ARG_CHUNK);
    // The API opens every tool input with an empty fragment.
    block({ type: 'tool_use', id: callId(call, n, ctx.requestIndex), name: call.name, input: {} }, [
      { type: 'input_json_delta', partial_json: '' },
      ...fragments.map((partial_json) => ({ type: 'input_json_delta', partial_json })),
    ]);
  });
  event('message_delta', {
    delta: { stop_reason: stopReasonOf(reply), stop_sequence: null },
    usage: { output_tokens: usage['output_tokens'] },
  });
  event('message_stop', {});
  return events;
}

/** `message_start` for this request, with the usage known before any output (output_tokens starts small). */
export function messageStart(ctx: AnthropicReplyContext, usage: Json = usageOf({}, ctx)): AnthropicEvent {
  return {
    event: 'message_start',
    data: {
      type: 'message_start',
      message: {
        id: messageId(ctx),
        type: 'message',
        role: 'assistant',
        model: ctx.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    },
  };
}

/** The non-streaming message body for the same reply. */
export function messageBody(reply: FakeAnthropicMessage, ctx: AnthropicReplyContext): Json {
  const content: Json[] = [];
  if (reply.thinking !== undefined) content.push({ type: 'thinking', thinking: reply.thinking, signature: signatureOf(reply, ctx) });
  if (reply.redactedThinking !== undefined) content.push({ type: 'redacted_thinking', data: reply.redactedThinking });
  if (reply.text) content.push({ type: 'text', text: reply.text, citations: null });
  (reply.toolCalls ?? []).forEach((call, n) => {
    content.push({ type: 'tool_use', id: callId(call, n, ctx.requestIndex), name: call.name, input: argumentObject(call) });
  });
  return {
    id: messageId(ctx),
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: stopReasonOf(reply),
    stop_sequence: null,
    usage: usageOf(reply, ctx),
  };
}

/** The API's error body, with a default type and message per status. */
export function errorBody(error: { status: number; type?: string | undefined; message?: string | undefined }, requestIndex = 0): Json {
  const defaults = statusDefaults(ERROR_DEFAULTS, error.status, (server) => ({ type: server ? 'api_error' : 'invalid_request_error' }));
  return {
    type: 'error',
    error: { type: error.type ?? defaults.type, message: error.message ?? defaults.message },
    request_id: `req_fake${requestIndex}`,
  };
}

/** An in-stream `error` event, as the API sends when it fails after the 200. */
export function errorEvent(error: { type: string; message?: string | undefined }): AnthropicEvent {
  return { event: 'error', data: { type: 'error', error: { type: error.type, message: error.message ?? ERROR_MESSAGE_BY_TYPE[error.type] ?? error.type } } };
}

/** The API's error types and messages: looked up by status for error bodies, by type for in-stream errors. */
const ERRORS: Array<[status: number, type: string, message: string]> = [
  [400, 'invalid_request_error', 'Invalid request.'],
  [401, 'authentication_error', 'invalid x-api-key'],
  [402, 'billing_error', 'Your credit balance is too low.'],
  [403, 'permission_error', 'Your API key does not have permission to use the specified resource.'],
  [404, 'not_found_error', 'The requested resource could not be found.'],
  [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.'],
  [500, 'api_error', 'An unexpected error has occurred internal to our systems.'],
  [529, 'overloaded_error', 'Overloaded'],
];

const ERROR_DEFAULTS: Record<number, { type: string; message: string }> = Object.fromEntries(
  ERRORS.map(([status, type, message]) => [status, { type, message }]),
);

const ERROR_MESSAGE_BY_TYPE: Record<string, string> = Object.fromEntries(ERRORS.map(([, type, message]) => [type, message]));

function messageId(ctx: AnthropicReplyContext): string {
  return `msg_fake${ctx.requestIndex}`;
}

function signatureOf(reply: FakeAnthropicMessage, ctx: AnthropicReplyContext): string {
  return reply.signature ?? `sig_fake${ctx.requestIndex}`;
}

function callId(call: FakeAnthropicToolCall, n: number, requestIndex: number): string {
  return call.id ?? `toolu_fake${requestIndex}_${n}`;
}

function argumentObject(call: FakeAnthropicToolCall): unknown {
  if (typeof call.arguments !== 'string') return call.arguments;
  try {
    return JSON.parse(call.arguments);
  } catch {
    return {};
  }
}

function stopReasonOf(reply: FakeAnthropicMessage): string {
  return reply.stopReason ?? ((reply.toolCalls ?? []).length > 0 ? 'tool_use' : 'end_turn');
}

/** The API's usage object; unscripted counts are estimated. */
function usageOf(reply: FakeAnthropicMessage, ctx: AnthropicReplyContext): Json {
  const given = reply.usage ?? {};
  const output = (reply.text ?? '') + (reply.thinking ?? '') + (reply.toolCalls ?? []).map(argumentText).join('');
  const prompt = JSON.stringify([ctx.body.system ?? '', ctx.body.messages ?? []]);
  return {
    input_tokens: given.input_tokens ?? estimateTokens(prompt),
    cache_creation_input_tokens: given.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: given.cache_read_input_tokens ?? 0,
    output_tokens: given.output_tokens ?? estimateTokens(output),
    service_tier: 'standard',
  };
}
