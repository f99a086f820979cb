/**
 * How a scripted reply becomes the exact event sequence the Responses API
 * streams: `response.created`, `response.in_progress`, per output item its
 * `output_item.added` → part / delta / done events → `output_item.done`,
 * then `response.completed` (or `.incomplete` / `.failed`), each with a
 * running `sequence_number` and realistic ids.
 */
import { createHash } from 'node:crypto';
import { argumentText, estimateTokens, split } from './reply-shared.js';
import type { FakeResponsesBody, FakeResponsesCompletion, FakeResponsesToolCall } from './responses-replies.js';

type Json = Record<string, unknown>;

/** Identity of one response, shared by all of its events. */
export interface ResponseContext {
  /** 0-based number of the response request. */
  requestIndex: number;
  /** Unix seconds. */
  createdAt: number;
  body: FakeResponsesBody;
}

const DEFAULT_CHUNK = 8;
const DEFAULT_ARG_CHUNK = 7;

/** A deterministic id in OpenAI's shape (`resp_` + 48 hex digits, ...). */
export function fakeId(prefix: string, requestIndex: number, n = 0): string {
  return `${prefix}_${createHash('sha256').update(`${prefix}:${requestIndex}:${n}`).digest('hex').slice(0, 48)}`;
}

/** Numbers the events of one stream in order. */
class EventLog {
  readonly events: Json[] = [];
  add(type: string, fields: Json = {}): void {
    this.events.push({ type, ...fields, sequence_number: this.events.length });
  }
}

/** The `response` object as the API reports it, echoing the request's settings. */
export function responseObject(ctx: ResponseContext, status: string, extra: Json = {}): Json {
  const { body } = ctx;
  return {
    id: fakeId('resp', ctx.requestIndex),
    object: 'response',
    created_at: ctx.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body['max_output_tokens'] ?? null,
    model: body.model ?? 'fake-model',
    output: [],
    parallel_tool_calls: body['parallel_tool_calls'] ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: body.store ?? true,
    temperature: body['temperature'] ?? 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: body.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: {},
    ...extra,
  };
}

/** The opening events every stream starts with. */
function opening(log: EventLog, ctx: ResponseContext): void {
  log.add('response.created', { response: responseObject(ctx, 'in_progress') });
  log.add('response.in_progress', { response: responseObject(ctx, 'in_progress') });
}

/** Every event of a completed (or incomplete) response, in order. */
export function completionEvents(reply: FakeResponsesCompletion, ctx: ResponseContext): Json[] {
  const log = new EventLog();
  opening(log, ctx);
  const output: Json[] = [];
  const size = reply.chunkSize ?? DEFAULT_CHUNK;
  const reasoning = reasoningItem(reply, ctx);
  if (reasoning) output.push(streamReasoning(log, reasoning, output.length, size));
  if (reply.text !== undefined && reply.text !== '') output.push(streamMessage(log, ctx, reply.text, output.length, size));
  (reply.toolCalls ?? []).forEach((call, n) => {
    output.push(streamCall(log, ctx, call, n, output.length, reply.argChunkSize ?? DEFAULT_ARG_CHUNK));
  });
  const usage = usageOf(reply, ctx);
  if (reply.incomplete) {
    log.add('response.incomplete', {
      response: responseObject(ctx, 'incomplete', { incomplete_details: { reason: reply.incomplete }, output, usage }),
    });
  } else {
    log.add('response.completed', { response: responseObject(ctx, 'completed', { output, usage }) });
  }
  return log.events;
}

/** A stream that fails after starting, as `response.failed` does. */
export function failedEvents(failed: { code: string; message: string }, ctx: ResponseContext): Json[] {
  const log = new EventLog();
  opening(log, ctx);
  log.add('response.failed', { response: responseObject(ctx, 'failed', { error: failed }) });
  return log.events;
}

/** A stream cut short by an `error` event. */
export function errorEventEvents(error: { code: string | null; message: string }, ctx: ResponseContext): Json[] {
  const log = new EventLog();
  log.add('response.created', { response: responseObject(ctx, 'in_progress') });
  log.add('error', { code: error.code, message: error.message, param: null });
  return log.events;
}

/** The final `response` object of a completion, for non-streaming requests. */
export function finalResponse(reply: FakeResponsesCompletion, ctx: ResponseContext): Json {
  const events = completionEvents(reply, ctx);
  return (events.at(-1) as { response: Json }).response;
}

function reasoningItem(reply: FakeResponsesCompletion, ctx: ResponseContext): Json | undefined {
  const summary = typeof reply.reasoningSummary === 'string' ? [reply.reasoningSummary] : (reply.reasoningSummary ?? []);
  if (summary.length === 0 && reply.encryptedReasoning === undefined) return undefined;
  const item: Json = {
    id: fakeId('rs', ctx.requestIndex),
    type: 'reasoning',
    summary: summary.map((text) => ({ type: 'summary_text', text })),
  };
  // The real API only hands out encrypted reasoning when the request asks for it.
  if (ctx.body.include?.includes('reasoning.encrypted_content')) {
    item['encrypted_content'] =
      reply.encryptedReasoning ?? `gAAAAAB${Buffer.from(`fake reasoning ${ctx.requestIndex}`).toString('base64url')}`;
  }
  return item;
}

function streamReasoning(log: EventLog, item: Json, outputIndex: number, size: number): Json {
  const id = item['id'];
  log.add('response.output_item.added', { output_index: outputIndex, item: { id, type: 'reasoning', summary: [] } });
  (item['summary'] as Array<{ text: string }>).forEach(({ text }, summaryIndex) => {
    const at = { item_id: id, output_index: outputIndex, summary_index: summaryIndex };
    log.add('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
    for (const delta of split(text, size)) log.add('response.reasoning_summary_text.delta', { ...at, delta });
    log.add('response.reasoning_summary_text.done', { ...at, text });
    log.add('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text } });
  });
  log.add('response.output_item.done', { output_index: outputIndex, item });
  return item;
}

function streamMessage(log: EventLog, ctx: ResponseContext, text: string, outputIndex: number, size: number): Json {
  const id = fakeId('msg', ctx.requestIndex);
  const at = { item_id: id, output_index: outputIndex, content_index: 0 };
  log.add('response.output_item.added', {
    output_index: outputIndex,
    item: { id, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
  });
  log.add('response.content_part.added', { ...at, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
  for (const delta of split(text, size)) log.add('response.output_text.delta', { ...at, delta, logprobs: [] });
  log.add('response.output_text.done', { ...at, text, logprobs: [] });
  const part = { type: 'output_text', annotations: [], logprobs: [], text };
  log.add('response.content_part.done', { ...at, part });
  const item = { id, type: 'message', status: 'completed', content: [part], role: 'assistant' };
  log.add('response.output_item.done', { output_index: outputIndex, item });
  return item;
}

function streamCall(
  log: EventLog,
  ctx: ResponseContext,
  call: FakeResponsesToolCall,
  n: number,
  outputIndex: number,
  size: number,
): Json {
  const id = fakeId('fc', ctx.requestIndex, n);
  const callId = call.id ?? `call_${ctx.requestIndex}_${n}`;
  const args = argumentText(call);
  const item = { id, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name: call.name };
  log.add('response.output_item.added', { output_index: outputIndex, item });
  for (const delta of split(args, size)) {
    log.add('response.function_call_arguments.delta', { item_id: id, output_index: outputIndex, delta });
  }
  log.add('response.function_call_arguments.done', { item_id: id, output_index: outputIndex, name: call.name, arguments: args });
  const done = { ...item, status: 'completed', arguments: args };
  log.add('response.output_item.done', { output_index: outputIndex, item: done });
  return done;
}

/** The API's usage object; estimated when not scripted. */
function usageOf(reply: FakeResponsesCompletion, ctx: ResponseContext): Json | null {
  if (reply.usage === false) return null;
  const summary = [reply.reasoningSummary ?? []].flat().join('');
  const produced = (reply.text ?? '') + summary + (reply.toolCalls ?? []).map(argumentText).join('');
  const input = reply.usage?.input_tokens ?? estimateTokens(JSON.stringify(ctx.body.input ?? []) + (ctx.body.instructions ?? ''));
  const output = reply.usage?.output_tokens ?? estimateTokens(produced);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: reply.usage ? (reply.usage.cached_tokens ?? 0) : 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reply.usage?.reasoning_tokens ?? estimateTokens(summary, 0) },
    total_tokens: input + output,
  };
}
