/**
 * What the fake OpenAI server can be told to answer, and how a completion
 * reply becomes the exact chunks (or JSON body) OpenAI would send.
 */
import type { FakeFault } from './loopback-server.js';
import { argumentText, estimateTokens, split, statusDefaults } from './reply-shared.js';

/** One tool call the fake model makes. */
export interface FakeToolCall {
  /** Defaults to a deterministic `call_<request>_<n>`. */
  id?: string;
  name: string;
  /** Raw JSON text, or an object that is serialised for you. */
  arguments: string | Record<string, unknown>;
}

/** Wire deviations seen in real OpenAI-compatible servers, to test clients against. */
export interface FakeQuirks {
  /** Tool-call deltas carry no `index`. */
  noIndex?: boolean;
  /** Every tool call uses `index: 0`; only the ids tell them apart (Ollama). */
  reuseIndexZero?: boolean;
  /** The first delta of each call has no `id`; it comes with the first argument fragment. */
  noIdOnFirstDelta?: boolean;
  /** `function.name` arrives in a delta after all the argument fragments. */
  nameAfterArgs?: boolean;
  /** Id, name and the whole argument string in a single delta. */
  argsInOneChunk?: boolean;
  /** Chunks with an empty `delta: {}` between the real ones. */
  emptyDeltas?: boolean;
  /** The stream ends without `data: [DONE]`. */
  noDone?: boolean;
  /**
   * Usage is sent in a final `choices: []` chunk even when the request did
   * not ask for it, and other chunks carry no `usage` key at all.
   */
  usageInFinalOnly?: boolean;
}

/** A normal answer: streamed as SSE chunks, or one JSON body for non-streaming requests. */
export interface FakeCompletion {
  text?: string;
  reasoning?: string;
  /** Which delta field carries reasoning; default `reasoning_content` (DeepSeek, vLLM). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  toolCalls?: FakeToolCall[];
  /** Token counts; omitted = estimated from the request and reply; `false` = no usage at all. */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number } | false;
  /** Characters per text (and reasoning) delta; default 8. */
  chunkSize?: number;
  /** Characters per tool-argument delta; default 7. */
  argChunkSize?: number;
  /** Pause between chunks; default 0 (all chunks are written at once). */
  delayMs?: number;
  /** Pause before the response headers. */
  firstByteDelayMs?: number;
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
  quirks?: FakeQuirks;
}

/** An HTTP error with OpenAI's error body `{error: {message, type, param, code}}`. */
export interface FakeError {
  error: {
    status: number;
    message?: string;
    type?: string;
    code?: string;
    /** Sent as the `retry-after` header, in seconds. */
    retryAfter?: number;
    /** Sent as the `retry-after-ms` header. */
    retryAfterMs?: number;
  };
}

/** Accept the request and never answer, until the client gives up (counted in `abortedRequests`). */
export interface FakeHang {
  hang: true;
}

/** A 200 event stream whose second frame is not JSON. */
export interface FakeMalformed {
  malformed: true;
}

/** Destroy the socket before sending headers, or after the first chunks of a stream. */
export interface FakeDrop {
  drop: 'before-headers' | 'mid-stream';
}

export type FakeReply = FakeCompletion | FakeError | FakeHang | FakeMalformed | FakeDrop | FakeFault;

/** The parsed JSON body of a request, loosely typed for convenient assertions. */
export interface FakeRequestBody {
  model?: string;
  // `any` on purpose: tests index freely into the wire messages and tools.
  messages?: any[];
  tools?: any[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [field: string]: unknown;
}

/** Identity of one response: shared by all of its chunks. */
export interface ReplyContext {
  /** 0-based number of the chat-completion request. */
  requestIndex: number;
  model: string;
  created: number;
  includeUsage: boolean;
  body: FakeRequestBody;
}

type Json = Record<string, unknown>;

const DEFAULT_CHUNK = 8;
const DEFAULT_ARG_CHUNK = 7;

/** Every chunk object of a streamed completion, in order (without `[DONE]`). */
export function completionChunks(reply: FakeCompletion, ctx: ReplyContext): Json[] {
  const quirks = reply.quirks ?? {};
  const usageField = ctx.includeUsage && !quirks.usageInFinalOnly;
  const chunk = (delta: Json, finishReason: string | null = null): Json => {
    const out: Json = { ...envelope('chat.completion.chunk', ctx), choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
    if (usageField) out['usage'] = null;
    return out;
  };
  const deltas: Json[] = [];
  const push = (delta: Json) => {
    deltas.push(delta);
    if (quirks.emptyDeltas) deltas.push({});
  };

  const calls = reply.toolCalls ?? [];
  const text = reply.text ?? '';
  // OpenAI opens with the role; content is "" for text answers, null for pure tool calls.
  deltas.push({ role: 'assistant', content: text === '' && calls.length > 0 ? null : '', refusal: null });
  if (quirks.emptyDeltas) deltas.push({});
  const field = reply.reasoningField ?? 'reasoning_content';
  for (const piece of split(reply.reasoning ?? '', reply.chunkSize ?? DEFAULT_CHUNK)) push({ [field]: piece });
  for (const piece of split(text, reply.chunkSize ?? DEFAULT_CHUNK)) push({ content: piece });
  calls.forEach((call, n) => {
    for (const delta of toolCallDeltas(call, n, ctx.requestIndex, reply.argChunkSize ?? DEFAULT_ARG_CHUNK, quirks)) {
      push({ tool_calls: [delta] });
    }
  });

  const chunks = deltas.map((delta) => chunk(delta));
  chunks.push(chunk({}, finishReasonOf(reply)));
  const usage = usageOf(reply, ctx);
  if (usage && (ctx.includeUsage || quirks.usageInFinalOnly)) {
    chunks.push({ ...chunk({}), choices: [], usage });
  }
  return chunks;
}

/** The non-streaming `chat.completion` body for the same reply. */
export function completionBody(reply: FakeCompletion, ctx: ReplyContext): Json {
  const calls = reply.toolCalls ?? [];
  const message: Json = {
    role: 'assistant',
    content: reply.text ?? (calls.length > 0 ? null : ''),
    refusal: null,
    annotations: [],
  };
  if (reply.reasoning) message[reply.reasoningField ?? 'reasoning_content'] = reply.reasoning;
  if (calls.length > 0) {
    message['tool_calls'] = calls.map((call, n) => ({
      id: callId(call, n, ctx.requestIndex),
      type: 'function',
      function: { name: call.name, arguments: argumentText(call) },
    }));
  }
  const body: Json = { ...envelope('chat.completion', ctx), choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(reply) }] };
  const usage = usageOf(reply, ctx);
  if (usage) body['usage'] = usage;
  return body;
}

/** OpenAI's error body, with a default message and type per status. */
export function errorBody(error: FakeError['error']): Json {
  const defaults = statusDefaults(ERROR_DEFAULTS, error.status, (server) => ({
    type: server ? 'server_error' : 'invalid_request_error',
    code: null,
  }));
  return {
    error: {
      message: error.message ?? defaults.message,
      type: error.type ?? defaults.type,
      param: null,
      code: error.code ?? defaults.code,
    },
  };
}

const ERROR_DEFAULTS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { message: 'You are not allowed to use this model.', type: 'invalid_request_error', code: null },
  404: { message: 'The model does not exist.', type: 'invalid_request_error', code: 'model_not_found' },
  429: { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request.', type: 'server_error', code: null },
  503: { message: 'The engine is currently overloaded.', type: 'server_error', code: null },
};

function toolCallDeltas(call: FakeToolCall, n: number, requestIndex: number, size: number, quirks: FakeQuirks): Json[] {
  const id = callId(call, n, requestIndex);
  const index = quirks.reuseIndexZero ? 0 : n;
  const withIndex = (delta: Json): Json => (quirks.noIndex ? delta : { index, ...delta });
  const args = argumentText(call);
  if (quirks.argsInOneChunk) {
    return [withIndex({ id, type: 'function', function: { name: call.name, arguments: args } })];
  }
  const fragments = split(args, size);
  if (quirks.nameAfterArgs) {
    // Id and type first (without a name), then the arguments, then the name.
    const deltas = fragments.map((piece, i) =>
      withIndex(i === 0 ? { id, type: 'function', function: { arguments: piece } } : { function: { arguments: piece } }),
    );
    if (deltas.length === 0) deltas.push(withIndex({ id, type: 'function', function: { arguments: '' } }));
    deltas.push(withIndex({ function: { name: call.name } }));
    return deltas;
  }
  const first: Json = quirks.noIdOnFirstDelta
    ? { type: 'function', function: { name: call.name, arguments: '' } }
    : { id, type: 'function', function: { name: call.name, arguments: '' } };
  const rest = fragments.map((piece, i) =>
    withIndex(quirks.noIdOnFirstDelta && i === 0 ? { id, function: { arguments: piece } } : { function: { arguments: piece } }),
  );
  if (quirks.noIdOnFirstDelta && rest.length === 0) rest.push(withIndex({ id, function: { arguments: '' } }));
  return [withIndex(first), ...rest];
}

/** The fields that open every chunk and body of one response, in OpenAI's order. */
function envelope(object: string, ctx: ReplyContext): Json {
  return { id: `chatcmpl-fake${ctx.requestIndex}`, object, created: ctx.created, model: ctx.model, system_fingerprint: 'fp_fake' };
}

function callId(call: FakeToolCall, n: number, requestIndex: number): string {
  return call.id ?? `call_${requestIndex}_${n}`;
}

function finishReasonOf(reply: FakeCompletion): string {
  return reply.finishReason ?? ((reply.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop');
}

/** OpenAI's usage object; estimated when not scripted. */
function usageOf(reply: FakeCompletion, ctx: ReplyContext): Json | undefined {
  if (reply.usage === false) return undefined;
  const output = (reply.text ?? '') + (reply.reasoning ?? '') + (reply.toolCalls ?? []).map(argumentText).join('');
  const prompt = reply.usage?.prompt_tokens ?? estimateTokens(JSON.stringify(ctx.body.messages ?? []));
  const completion = reply.usage?.completion_tokens ?? estimateTokens(output);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: reply.usage ? (reply.usage.cached_tokens ?? 0) : 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: estimateTokens(reply.reasoning ?? '', 0),
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
