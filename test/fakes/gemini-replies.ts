/**
 * What the fake Gemini server can be told to answer, and how a reply becomes
 * the exact `GenerateContentResponse` chunks (or JSON body) the Gemini API
 * would send. Embedding requests (`:batchEmbedContents`) take the same
 * replies: an error, a hang, a drop or a malformed body work alike, any
 * completion means the computed vectors (see gemini-embeddings.ts), and
 * `FakeGeminiEmbeddings` scripts the vectors themselves.
 */
import type { FakeFault } from './loopback-server.js';
import { argumentText, estimateTokens, split, statusDefaults } from './reply-shared.js';

/** One function call the fake model makes. Gemini sends each call whole. */
export interface FakeGeminiToolCall {
  name: string;
  arguments: Record<string, unknown>;
  /** Sent as `functionCall.id`; the public Gemini API normally sends none. */
  id?: string;
  /** This call's own signature (sequential steps); overrides the reply's `thoughtSignature`. */
  thoughtSignature?: string;
}

/** Token counts as Gemini reports them; `promptTokenCount` includes the cached tokens. */
export interface FakeGeminiUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
}

/** A normal answer: streamed as SSE chunks, or one JSON body for `:generateContent`. */
export interface FakeGeminiCompletion {
  text?: string;
  /** Thought summary, streamed as `thought: true` parts before the answer. */
  thought?: string;
  /**
   * Where Gemini 3 puts it: on the first function call when there are calls
   * (parallel calls share it), else on an empty text part in the last chunk.
   */
  thoughtSignature?: string;
  toolCalls?: FakeGeminiToolCall[];
  /** Omitted = estimated from the request and reply; `false` = no usage at all. */
  usage?: FakeGeminiUsage | false;
  /** Characters per text (and thought) chunk; default 8. */
  chunkSize?: number;
  /** Pause between chunks; default 0 (all chunks are written at once). */
  delayMs?: number;
  /** Pause before the response headers. */
  firstByteDelayMs?: number;
  /** Gemini's enum value; default `STOP`. */
  finishReason?: string;
}

/** An HTTP error with Google's error body `{error: {code, message, status, details}}`. */
export interface FakeGeminiError {
  error: {
    status: number;
    message?: string;
    /** Google's status name, e.g. `RESOURCE_EXHAUSTED`; a default is picked per HTTP status. */
    statusText?: string;
    /** Sent as the `retry-after` header, in seconds. */
    retryAfter?: number;
    /** Sent as a google.rpc.RetryInfo detail, e.g. `"12s"`. */
    retryDelay?: string;
    /** Sent as a google.rpc.ErrorInfo detail's `reason`, e.g. `API_KEY_INVALID`. */
    reason?: string;
    /** More `details` entries, sent as they are. */
    details?: unknown[];
  };
}

/** Accept the request and never answer, until the client gives up (counted in `abortedRequests`). */
export interface FakeGeminiHang {
  hang: true;
}

/** A 200 event stream whose second event is not JSON (for embeddings: a JSON body cut short). */
export interface FakeGeminiMalformed {
  malformed: true;
}

/** Destroy the socket before sending headers, or after the first chunk of a stream (of an embeddings body). */
export interface FakeGeminiDrop {
  drop: 'before-headers' | 'mid-stream';
}

/** A 200 stream that sends `text` (if any), then an error event `{"error": {...}}`. */
export interface FakeGeminiStreamError {
  streamError: { code: number; message?: string; status?: string };
  text?: string;
}

/** For `:batchEmbedContents` only: a 200 with exactly these vectors (any count and width, for tests of a client's checks). */
export interface FakeGeminiEmbeddings {
  embeddings: number[][];
}

export type FakeGeminiReply =
  | FakeGeminiCompletion
  | FakeGeminiEmbeddings
  | FakeGeminiError
  | FakeGeminiHang
  | FakeGeminiMalformed
  | FakeGeminiDrop
  | FakeGeminiStreamError
  | FakeFault;

/** The parsed JSON body of a request, loosely typed for convenient assertions. */
export interface FakeGeminiRequestBody {
  // `any` on purpose: tests index freely into the wire contents and tools.
  contents?: any[];
  systemInstruction?: any;
  tools?: any[];
  toolConfig?: any;
  generationConfig?: any;
  /** `:batchEmbedContents`: one `{model, content, outputDimensionality?}` per text. */
  requests?: any[];
  [field: string]: unknown;
}

/** Identity of one response: shared by all of its chunks. */
export interface GeminiReplyContext {
  /** 0-based number of the generation request. */
  requestIndex: number;
  model: string;
  body: FakeGeminiRequestBody;
}

type Json = Record<string, unknown>;

const DEFAULT_CHUNK = 8;

/** Every chunk of a streamed reply, in order. */
export function geminiChunks(reply: FakeGeminiCompletion, ctx: GeminiReplyContext): Json[] {
  const size = reply.chunkSize ?? DEFAULT_CHUNK;
  const usage = usageOf(reply, ctx);
  const partsPerChunk: Json[][] = [];
  for (const piece of split(reply.thought ?? '', size)) partsPerChunk.push([{ text: piece, thought: true }]);
  for (const piece of split(reply.text ?? '', size)) partsPerChunk.push([{ text: piece }]);
  const calls = callParts(reply);
  // Parallel calls arrive together, in one chunk.
  if (calls.length > 0) partsPerChunk.push(calls);
  else if (reply.thoughtSignature) partsPerChunk.push([{ text: '', thoughtSignature: reply.thoughtSignature }]);
  if (partsPerChunk.length === 0) partsPerChunk.push([{ text: '' }]);

  return partsPerChunk.map((parts, i) => {
    const last = i === partsPerChunk.length - 1;
    const candidate: Json = { content: { role: 'model', parts }, index: 0 };
    if (last) candidate['finishReason'] = reply.finishReason ?? 'STOP';
    const chunk: Json = { candidates: [candidate] };
    // Gemini sends running usage on every chunk: the prompt first, the output with the last.
    if (usage) {
      const prompt = usage['promptTokenCount'];
      chunk['usageMetadata'] = last ? usage : { promptTokenCount: prompt, totalTokenCount: prompt };
    }
    chunk['modelVersion'] = ctx.model;
    chunk['responseId'] = `fake-response-${ctx.requestIndex}`;
    return chunk;
  });
}

/** The non-streaming body for the same reply: all parts in one candidate. */
export function geminiBody(reply: FakeGeminiCompletion, ctx: GeminiReplyContext): Json {
  const parts: Json[] = [];
  if (reply.thought) parts.push({ text: reply.thought, thought: true });
  if (reply.text) parts.push({ text: reply.text });
  const calls = callParts(reply);
  parts.push(...calls);
  if (calls.length === 0 && reply.thoughtSignature) {
    const last = parts.at(-1);
    if (last && !last['thought']) last['thoughtSignature'] = reply.thoughtSignature;
    else parts.push({ text: '', thoughtSignature: reply.thoughtSignature });
  }
  const body: Json = {
    candidates: [{ content: { role: 'model', parts }, finishReason: reply.finishReason ?? 'STOP', index: 0 }],
    modelVersion: ctx.model,
    responseId: `fake-response-${ctx.requestIndex}`,
  };
  const usage = usageOf(reply, ctx);
  if (usage) body['usageMetadata'] = usage;
  return body;
}

/** Google's error body, with a default message and status name per HTTP status. */
export function geminiErrorBody(error: FakeGeminiError['error']): Json {
  const defaults = statusDefaults(ERROR_DEFAULTS, error.status, (server) => ({ status: server ? 'INTERNAL' : 'INVALID_ARGUMENT' }));
  const details: unknown[] = [];
  if (error.reason) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: error.reason,
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    });
  }
  if (error.retryDelay) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: error.retryDelay });
  details.push(...(error.details ?? []));
  const body: Json = {
    code: error.status,
    message: error.message ?? defaults.message,
    status: error.statusText ?? defaults.status,
  };
  if (details.length > 0) body['details'] = details;
  return { error: body };
}

const ERROR_DEFAULTS: Record<number, { message: string; status: string }> = {
  400: { message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' },
  401: { message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
  403: { message: 'The caller does not have permission', status: 'PERMISSION_DENIED' },
  404: { message: 'Requested entity was not found.', status: 'NOT_FOUND' },
  429: { message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' },
  500: {
    message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
    status: 'INTERNAL',
  },
  503: { message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
  504: { message: 'Deadline expired before operation could complete.', status: 'DEADLINE_EXCEEDED' },
};

function callParts(reply: FakeGeminiCompletion): Json[] {
  return (reply.toolCalls ?? []).map((call, n) => {
    const functionCall: Json = { name: call.name, args: call.arguments };
    if (call.id !== undefined) functionCall['id'] = call.id;
    const part: Json = { functionCall };
    const signature = call.thoughtSignature ?? (n === 0 ? reply.thoughtSignature : undefined);
    if (signature) part['thoughtSignature'] = signature;
    return part;
  });
}

/** Gemini's usage object; estimated when not scripted. */
function usageOf(reply: FakeGeminiCompletion, ctx: GeminiReplyContext): Json | undefined {
  if (reply.usage === false) return undefined;
  const answer = (reply.text ?? '') + (reply.toolCalls ?? []).map(argumentText).join('');
  const prompt = reply.usage?.promptTokenCount ?? estimateTokens(JSON.stringify(ctx.body.contents ?? []));
  const candidates = reply.usage?.candidatesTokenCount ?? estimateTokens(answer);
  const thoughts = reply.usage ? (reply.usage.thoughtsTokenCount ?? 0) : estimateTokens(reply.thought ?? '', 0);
  const cached = reply.usage?.cachedContentTokenCount ?? 0;
  const usage: Json = {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + thoughts,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
  };
  if (thoughts > 0) usage['thoughtsTokenCount'] = thoughts;
  if (cached > 0) {
    usage['cachedContentTokenCount'] = cached;
    usage['cacheTokensDetails'] = [{ modality: 'TEXT', tokenCount: cached }];
  }
  return usage;
}
