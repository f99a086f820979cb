/**
 * Turns streamed `GenerateContentResponse` chunks into our stream parts.
 * Parts are read from `candidates[0].content.parts` directly: the SDK's
 * convenience getters (`.text`, `.functionCalls`) print console warnings
 * when a reply mixes part kinds, which would scribble over the terminal UI.
 */
import { randomBase64url } from '../../util/random-id.js';
import type { GenerateContentResponse, GenerateContentResponseUsageMetadata, Part } from '@google/genai';
import type { ToolCallRequest, Usage } from '../messages.js';
import type { LLMStreamPart } from '../provider.js';
import { SignatureRecorder } from './signatures.js';

/** Reads one stream: feed every chunk to `read`, then take `end()` once the stream is done. */
export class ResponseReader {
  private readonly calls: ToolCallRequest[] = [];
  private readonly signatures = new SignatureRecorder();
  private finishReason: string | undefined;
  private usage: Usage | undefined;
  /** Chunks that carried anything of a generation; zero means the server is not speaking this API. */
  private recognised = 0;

  /** The text and reasoning in one chunk, in order; calls are held for `end()`. */
  read(chunk: GenerateContentResponse): LLMStreamPart[] {
    const out: LLMStreamPart[] = [];
    // Every chunk carries the running totals; the last one wins.
    if (chunk.usageMetadata) {
      this.usage = toUsage(chunk.usageMetadata);
      this.recognised++;
    }
    // A blocked prompt has no candidates, only the reason.
    const blocked = chunk.promptFeedback?.blockReason;
    if (blocked) {
      this.finishReason = blocked.toLowerCase();
      this.recognised++;
    }
    // We never ask for more than one candidate.
    const candidate = chunk.candidates?.[0];
    if (!candidate) return out;
    this.recognised++;
    for (const part of candidate.content?.parts ?? []) this.readPart(part, out);
    if (candidate.finishReason) this.finishReason = mapFinishReason(candidate.finishReason);
    return out;
  }

  /** Whether any generation chunk arrived at all. */
  get sawResponse(): boolean {
    return this.recognised > 0;
  }

  /** Whether a finish reason (or a block reason) arrived: a stream without one was cut off. */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  /**
   * The whole tool calls, then the single `finish`. Calls mean `tool_calls`
   * whatever Gemini reported (it says STOP).
   */
  end(): LLMStreamPart[] {
    const out: LLMStreamPart[] = this.calls.map((call) => ({ type: 'tool_call', call }));
    const finish: Extract<LLMStreamPart, { type: 'finish' }> = {
      type: 'finish',
      finishReason: this.calls.length > 0 ? 'tool_calls' : (this.finishReason ?? 'stop'),
    };
    if (this.usage) finish.usage = this.usage;
    const providerFields = this.signatures.providerFields();
    if (providerFields) finish.providerFields = providerFields;
    out.push(finish);
    return out;
  }

  private readPart(part: Part, out: LLMStreamPart[]): void {
    const signature = part.thoughtSignature || undefined;
    if (part.functionCall) {
      const index = this.calls.length;
      const name = part.functionCall.name ?? '';
      const apiId = part.functionCall.id || undefined;
      this.calls.push({ id: apiId ?? generateCallId(), name, arguments: JSON.stringify(part.functionCall.args ?? {}) });
      this.signatures.call(index, name, signature, apiId);
      return;
    }
    if (typeof part.text !== 'string') return; // images, code execution and other kinds we do not ask for
    if (part.thought) {
      if (part.text !== '') out.push({ type: 'reasoning', text: part.text });
      this.signatures.thought(part.text, signature);
      return;
    }
    if (part.text !== '') out.push({ type: 'text', text: part.text });
    this.signatures.text(part.text, signature);
  }
}

/** STOP → stop, MAX_TOKENS → length, anything else lower-cased (`safety`, `recitation`, ...). */
export function mapFinishReason(reason: string): string {
  if (reason === 'STOP') return 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  return reason.toLowerCase();
}

/**
 * `promptTokenCount` already includes the cached tokens
 * (`cachedContentTokenCount` is the cached subset), which is what our
 * `input` means. Thinking tokens are billed as output.
 */
export function toUsage(meta: GenerateContentResponseUsageMetadata): Usage {
  return {
    input: count(meta.promptTokenCount) + count(meta.toolUsePromptTokenCount),
    output: count(meta.candidatesTokenCount) + count(meta.thoughtsTokenCount),
    cached: count(meta.cachedContentTokenCount),
  };
}

/** Gemini (the public API) gives calls no id; ours follow OpenAI's shape. */
export function generateCallId(): string {
  return `call_${randomBase64url(12)}`;
}

function count(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
