/**
 * Turns Responses API stream events into our stream parts.
 *
 * Events are read as loose JSON rather than trusted to match the SDK's
 * types: the Codex backend and OpenAI differ in small ways, and only the
 * handful of events below matter. Everything else (`content_part.added`,
 * `*.done` of text, web-search progress, ...) is ignored.
 */
import { describeJsonType, isRecord } from '../../../util/records.js';
import type { ToolCallRequest, Usage } from '../../messages.js';
import type { LLMStreamPart } from '../../provider.js';
import { generateCallId } from '../tool-call-accumulator.js';
import { REASONING_FIELD, reasoningFromItem, type StoredReasoning } from './reasoning-items.js';

/** Thrown when an event is not a Responses API event at all; the adapter classes it as `protocol`. */
export class MalformedEventError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'MalformedEventError';
  }
}

/** The server said, inside the stream, that the response failed (`response.failed` or an `error` event). */
export class StreamFailure extends Error {
  constructor(
    readonly code: string | undefined,
    detail: string,
    /** The event that carried it, for messages. */
    readonly event: string,
  ) {
    super(detail);
    this.name = 'StreamFailure';
  }
}

interface PendingCall {
  callId: string | undefined;
  name: string;
  args: string;
  outputIndex: number;
}

type Json = Record<string, unknown>;

export class EventReader {
  /** Function calls opened but not yet done, by item id. */
  private readonly pending = new Map<string, PendingCall>();
  private readonly reasoning: StoredReasoning[] = [];
  private calls = 0;
  /** Which reasoning part the last reasoning delta belonged to, to separate parts. */
  private reasoningPart: string | undefined;
  private events = 0;
  private done = false;

  /** Whether any Responses event arrived at all. */
  get sawEvents(): boolean {
    return this.events > 0;
  }

  /** Whether the terminal event (`response.completed` / `response.incomplete`) arrived. */
  get finished(): boolean {
    return this.done;
  }

  read(event: unknown): LLMStreamPart[] {
    if (!isRecord(event)) throw new MalformedEventError(`expected a JSON object, got ${describeJsonType(event)}`);
    const type = event['type'];
    if (typeof type !== 'string') throw new MalformedEventError('an event has no "type"');
    this.events++;
    // The terminal event closes the response; anything after it is noise.
    if (this.done) return [];
    switch (type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        // A refusal replaces the answer; showing it beats an empty reply.
        return textPart('text', event['delta']);
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.reasoningDelta(event);
      case 'response.output_item.added':
        this.openItem(event);
        return [];
      case 'response.function_call_arguments.delta': {
        const call = this.callFor(event);
        if (typeof event['delta'] === 'string') call.args += event['delta'];
        return [];
      }
      case 'response.function_call_arguments.done': {
        const call = this.callFor(event);
        if (typeof event['arguments'] === 'string') call.args = event['arguments'];
        return [];
      }
      case 'response.output_item.done':
        return this.closeItem(event);
      case 'response.completed':
        return this.finish(event, undefined);
      case 'response.incomplete':
        return this.finish(event, incompleteReason(event));
      case 'response.failed':
        throw failureOf(event);
      case 'error':
        throw new StreamFailure(stringOr(event['code']), stringOr(event['message']) ?? 'error event', 'error');
      default:
        return [];
    }
  }

  private reasoningDelta(event: Json): LLMStreamPart[] {
    const parts = textPart('reasoning', event['delta']);
    if (parts.length === 0) return parts;
    // Summary parts are separate paragraphs; without a break they run together.
    const key = `${String(event['item_id'])}:${String(event['summary_index'] ?? event['content_index'] ?? 0)}`;
    if (this.reasoningPart !== undefined && this.reasoningPart !== key) parts.unshift({ type: 'reasoning', text: '\n\n' });
    this.reasoningPart = key;
    return parts;
  }

  private openItem(event: Json): void {
    const item = event['item'];
    if (!isRecord(item) || item['type'] !== 'function_call' || typeof item['id'] !== 'string') return;
    this.pending.set(item['id'], {
      callId: stringOr(item['call_id']),
      name: stringOr(item['name']) ?? '',
      args: stringOr(item['arguments']) ?? '',
      outputIndex: numberOr(event['output_index'], this.pending.size),
    });
  }

  /** The call an argument event belongs to; one never announced is opened on the spot. */
  private callFor(event: Json): PendingCall {
    const id = stringOr(event['item_id']) ?? '';
    let call = this.pending.get(id);
    if (!call) {
      call = { callId: undefined, name: stringOr(event['name']) ?? '', args: '', outputIndex: numberOr(event['output_index'], 0) };
      this.pending.set(id, call);
    }
    return call;
  }

  private closeItem(event: Json): LLMStreamPart[] {
    const item = event['item'];
    if (!isRecord(item)) return [];
    if (item['type'] === 'reasoning') {
      const stored = reasoningFromItem(item);
      if (stored) this.reasoning.push(stored);
      return [];
    }
    if (item['type'] !== 'function_call') return [];
    const id = stringOr(item['id']) ?? '';
    const opened = this.pending.get(id);
    this.pending.delete(id);
    // The done item is authoritative; the deltas are the fallback when it comes without arguments.
    const args = stringOr(item['arguments']) || opened?.args || '';
    return [
      this.toolCall({
        callId: stringOr(item['call_id']) ?? opened?.callId,
        name: stringOr(item['name']) || opened?.name || '',
        args,
        outputIndex: 0,
      }),
    ];
  }

  private toolCall(call: PendingCall): LLMStreamPart {
    this.calls++;
    const request: ToolCallRequest = {
      id: call.callId || generateCallId(),
      name: call.name,
      arguments: call.args.trim() === '' ? '{}' : call.args,
    };
    return { type: 'tool_call', call: request };
  }

  private finish(event: Json, incomplete: string | undefined): LLMStreamPart[] {
    this.done = true;
    // Calls whose `output_item.done` never came are still whole once the response is.
    const leftover = [...this.pending.values()].sort((a, b) => a.outputIndex - b.outputIndex).map((c) => this.toolCall(c));
    this.pending.clear();
    const response = isRecord(event['response']) ? event['response'] : {};
    const finish: Extract<LLMStreamPart, { type: 'finish' }> = {
      type: 'finish',
      finishReason: incomplete ?? (this.calls > 0 ? 'tool_calls' : 'stop'),
    };
    if (isRecord(response['usage'])) finish.usage = toUsage(response['usage']);
    if (this.reasoning.length > 0) finish.providerFields = { [REASONING_FIELD]: this.reasoning };
    return [...leftover, finish];
  }
}

/** `incomplete_details.reason` in our finish-reason vocabulary. */
function incompleteReason(event: Json): string {
  const response = isRecord(event['response']) ? event['response'] : {};
  const details = isRecord(response['incomplete_details']) ? response['incomplete_details'] : {};
  const reason = stringOr(details['reason']);
  // `length` is the name every other adapter uses for a capped reply; other reasons pass through.
  if (reason === 'max_output_tokens') return 'length';
  return reason ?? 'incomplete';
}

function failureOf(event: Json): StreamFailure {
  const response = isRecord(event['response']) ? event['response'] : {};
  const error = isRecord(response['error']) ? response['error'] : {};
  return new StreamFailure(stringOr(error['code']), stringOr(error['message']) ?? 'the response failed', 'response.failed');
}

function toUsage(raw: Json): Usage {
  const input = isRecord(raw['input_tokens_details']) ? raw['input_tokens_details'] : {};
  return { input: count(raw['input_tokens']), output: count(raw['output_tokens']), cached: count(input['cached_tokens']) };
}

function textPart(type: 'text' | 'reasoning', delta: unknown): LLMStreamPart[] {
  return typeof delta === 'string' && delta !== '' ? [{ type, text: delta }] : [];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
