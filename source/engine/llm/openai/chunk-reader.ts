/**
 * Turns chat-completion chunks into our stream parts. Chunks are read as
 * loose JSON, not trusted to match the SDK's types: OpenAI-compatible servers
 * add fields (`reasoning_content`, `reasoning`), drop fields (`index`) and
 * put usage in different chunks.
 */
import { describeJsonType, isRecord } from '../../util/records.js';
import type { Usage } from '../messages.js';
import type { LLMStreamPart } from '../provider.js';
import { ToolCallAccumulator, type ToolCallDelta } from './tool-call-accumulator.js';

/** Thrown when a chunk is not a chat-completion chunk at all; the adapter classes it as `protocol`. */
export class MalformedChunkError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'MalformedChunkError';
  }
}

export class ChunkReader {
  private readonly toolCalls = new ToolCallAccumulator();
  private finishReason: string | undefined;
  private usage: Usage | undefined;
  /** Reasoning as the server sent it, to hand back verbatim on the next request. */
  private readonly reasoning = new ReasoningEcho();
  /** Chunks that looked like chat-completion chunks; zero means the server is not speaking this API. */
  private recognised = 0;

  /** The text and reasoning deltas in one chunk, in the order a reader should see them. */
  read(chunk: unknown): LLMStreamPart[] {
    if (!isRecord(chunk)) throw new MalformedChunkError(`expected a JSON object, got ${describeJsonType(chunk)}`);
    const parts: LLMStreamPart[] = [];
    // Servers differ on which chunk carries usage (the last, the finishing one, every one): keep the latest.
    if (isRecord(chunk['usage'])) {
      this.usage = toUsage(chunk['usage']);
      this.recognised++;
    }
    const choices = chunk['choices'];
    if (!Array.isArray(choices)) return parts;
    this.recognised++;
    // We never ask for n > 1, so the first choice is the answer.
    const choice: unknown = choices.find((c) => isRecord(c) && (c['index'] ?? 0) === 0) ?? choices[0];
    if (!isRecord(choice)) return parts;
    const delta = isRecord(choice['delta']) ? choice['delta'] : {};

    const reasoning = this.reasoning.read(delta);
    if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
    if (typeof delta['content'] === 'string' && delta['content'] !== '') {
      parts.push({ type: 'text', text: delta['content'] });
    }
    // A refusal replaces the answer; showing it beats an empty reply.
    if (typeof delta['refusal'] === 'string' && delta['refusal'] !== '') {
      parts.push({ type: 'text', text: delta['refusal'] });
    }
    if (Array.isArray(delta['tool_calls'])) {
      for (const call of delta['tool_calls']) if (isRecord(call)) this.toolCalls.add(call as ToolCallDelta);
    }
    if (typeof choice['finish_reason'] === 'string' && choice['finish_reason'] !== '') {
      this.finishReason = choice['finish_reason'];
    }
    return parts;
  }

  /** Whether any chat-completion chunk arrived at all. */
  get sawCompletion(): boolean {
    return this.recognised > 0;
  }

  /**
   * Whether a chunk carried a finish reason. A stream that ends without one
   * was cut off (a proxy or the server closing early), `[DONE]` or not:
   * taking it as a finished answer would keep half a reply, or half a call.
   */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  /** The whole tool calls, then the single `finish`. */
  end(): LLMStreamPart[] {
    const calls = this.toolCalls.finish();
    const parts: LLMStreamPart[] = calls.map((call) => ({ type: 'tool_call', call }));
    const finishReason = this.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
    const echo = this.reasoning.fields();
    parts.push({
      type: 'finish',
      finishReason,
      ...(this.usage ? { usage: this.usage } : {}),
      ...(echo ? { providerFields: { [OPENAI_COMPAT_FIELDS]: echo } } : {}),
    });
    return parts;
  }
}

function toUsage(raw: Record<string, unknown>): Usage {
  const details = isRecord(raw['prompt_tokens_details']) ? raw['prompt_tokens_details'] : {};
  return {
    input: count(raw['prompt_tokens']),
    output: count(raw['completion_tokens']),
    cached: count(details['cached_tokens']),
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The key under `providerFields` whose fields this adapter sends back on the assistant message. */
export const OPENAI_COMPAT_FIELDS = 'openai_compat';

/**
 * Reasoning arrives as `reasoning_content` (DeepSeek, Kimi, vLLM) or
 * `reasoning` (OpenRouter, Ollama), sometimes both with the same text, so
 * only one is shown. Thinking models served this way (Kimi K2 thinking,
 * DeepSeek, Qwen, MiMo; OpenRouter's `reasoning_details`) want it back with
 * the assistant message when tools were called, under the name they used.
 */
class ReasoningEcho {
  private field: 'reasoning_content' | 'reasoning' | undefined;
  private text = '';
  private readonly details: Array<Record<string, unknown>> = [];

  read(delta: Record<string, unknown>): string | undefined {
    this.collectDetails(delta['reasoning_details']);
    for (const field of ['reasoning_content', 'reasoning'] as const) {
      const value = delta[field];
      if (typeof value === 'string' && value !== '') {
        this.field ??= field;
        if (field === this.field) this.text += value;
        return value;
      }
    }
    return undefined;
  }

  fields(): Record<string, unknown> | undefined {
    const out: Record<string, unknown> = {};
    if (this.field && this.text) out[this.field] = this.text;
    if (this.details.length) out['reasoning_details'] = this.details;
    return Object.keys(out).length ? out : undefined;
  }

  /** Detail entries stream in pieces: consecutive pieces of one entry (same index and type) are joined. */
  private collectDetails(value: unknown): void {
    if (!Array.isArray(value)) return;
    for (const item of value) {
      if (!isRecord(item)) continue;
      const last = this.details.at(-1);
      if (last && last['type'] === item['type'] && last['index'] === item['index']) {
        for (const [key, piece] of Object.entries(item)) {
          last[key] = typeof piece === 'string' && typeof last[key] === 'string' && key !== 'type' && key !== 'id' && key !== 'format' ? last[key] + piece : piece;
        }
      } else {
        this.details.push({ ...item });
      }
    }
  }
}
