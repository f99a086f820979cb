/**
 * A scripted `Provider` for tests: each call to `stream()` plays the next
 * entry of a script instead of calling a model, and every request is kept
 * for assertions. Deterministic, in-process, no network.
 *
 * ```ts
 * const llm = new ScriptedLLM([
 *   { toolCalls: [{ name: 'read', args: { path: 'a.txt' } }] },
 *   { text: 'The file says hello.' },
 * ]);
 * // ... run a creature with it ...
 * llm.assertComplete();
 * ```
 */
import { UsageError } from '../engine/errors.js';
import { contentText, type ToolCallRequest, type Usage } from '../engine/llm/messages.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../engine/llm/provider.js';
import { sleep } from '../engine/llm/retry.js';

/** One scripted model reply. */
export interface ScriptEntry {
  text?: string;
  reasoning?: string;
  toolCalls?: Array<{
    /** Default `call_<call>_<n>`. */
    id?: string;
    name: string;
    /** An object is serialised to JSON; a string is sent as is (even if it is not valid JSON). Default `{}`. */
    args?: Record<string, unknown> | string;
  }>;
  usage?: Usage;
  /**
   * Play this entry only for a request whose last user message contains the
   * string (or matches the pattern). As in the original KohakuTerrarium, a
   * matching gated entry is taken first wherever it sits in the script, and
   * gated entries that do not match are skipped, left for a later call.
   */
  match?: string | RegExp;
  /** Characters per text/reasoning delta; default 10. */
  chunkSize?: number;
  /** Pause before each delta; the pause ends early when the signal aborts. */
  delayMs?: number;
  /** Throw this from the stream instead of answering. */
  error?: Error;
  /** Yield nothing until the signal aborts. */
  hang?: boolean;
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
}

/** A script step: a fixed entry, or one computed from the request (`call` is 0-based). */
export type ScriptStep = ScriptEntry | ((request: LLMRequest, call: number) => ScriptEntry);

export interface ScriptedLLMOptions {
  /** `provider/model`; default `scripted/test`. */
  id?: string;
  /** Played whenever the script has nothing left, instead of failing. */
  defaultEntry?: ScriptEntry;
}

const DEFAULT_CHUNK = 10;

export class ScriptedLLM implements Provider {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  /** Every request received, messages deep-copied at call time. */
  readonly calls: LLMRequest[] = [];
  private readonly steps: ScriptStep[];
  private readonly used: boolean[];
  private readonly defaultEntry: ScriptEntry | undefined;

  constructor(script: ScriptStep[], options: ScriptedLLMOptions = {}) {
    this.steps = [...script];
    this.used = this.steps.map(() => false);
    this.defaultEntry = options.defaultEntry;
    this.id = options.id ?? 'scripted/test';
    const slash = this.id.indexOf('/');
    this.provider = slash > 0 ? this.id.slice(0, slash) : this.id;
    this.model = slash > 0 ? this.id.slice(slash + 1) : this.id;
  }

  get callCount(): number {
    return this.calls.length;
  }

  get lastRequest(): LLMRequest | undefined {
    return this.calls.at(-1);
  }

  /** Script steps not played yet. */
  get remaining(): number {
    return this.used.filter((u) => !u).length;
  }

  /** Append steps to the script. */
  push(...steps: ScriptStep[]): void {
    this.steps.push(...steps);
    this.used.push(...steps.map(() => false));
  }

  /** Throw when some script steps were never played: the test expected more model calls. */
  assertComplete(): void {
    const left = this.steps.flatMap((step, i) => (this.used[i] ? [] : [describeStep(step, i)]));
    if (left.length > 0) {
      throw new Error(`ScriptedLLM: ${left.length} script entries were never used: ${left.join(', ')}`);
    }
  }

  async *stream(request: LLMRequest, { signal }: StreamOptions): AsyncIterable<LLMStreamPart> {
    const call = this.calls.length;
    this.calls.push({ ...request, messages: structuredClone(request.messages) as LLMRequest['messages'] });
    signal.throwIfAborted();
    const entry = this.next(request, call);
    if (entry.error) throw entry.error;
    if (entry.hang) await untilAborted(signal);

    const pace = async () => {
      if (entry.delayMs) await sleep(entry.delayMs, signal);
      signal.throwIfAborted();
    };
    const size = Math.max(1, entry.chunkSize ?? DEFAULT_CHUNK);
    for (const text of split(entry.reasoning ?? '', size)) {
      await pace();
      yield { type: 'reasoning', text };
    }
    for (const text of split(entry.text ?? '', size)) {
      await pace();
      yield { type: 'text', text };
    }
    const calls = toToolCalls(entry, call);
    for (const toolCall of calls) {
      await pace();
      yield { type: 'tool_call', call: toolCall };
    }
    signal.throwIfAborted();
    const finishReason = entry.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
    yield entry.usage ? { type: 'finish', finishReason, usage: { ...entry.usage } } : { type: 'finish', finishReason };
  }

  /** Pick the entry for this call: a matching gated entry first, else the next ungated one. */
  private next(request: LLMRequest, call: number): ScriptEntry {
    const userText = lastUserText(request);
    let fallback = -1;
    for (let i = 0; i < this.steps.length; i++) {
      if (this.used[i]) continue;
      const step = this.steps[i];
      if (typeof step === 'function' || step?.match === undefined) {
        if (fallback < 0) fallback = i;
        continue;
      }
      if (matches(step.match, userText)) return this.take(i, request, call);
    }
    if (fallback >= 0) return this.take(fallback, request, call);
    if (this.defaultEntry) return this.defaultEntry;
    throw new UsageError(
      `ScriptedLLM: script exhausted at call ${call + 1} (${this.steps.length} entries, ${this.remaining} gated ones not matching "${clip(userText)}")`,
      { hint: 'add script entries or pass defaultEntry' },
    );
  }

  private take(i: number, request: LLMRequest, call: number): ScriptEntry {
    this.used[i] = true;
    const step = this.steps[i] as ScriptStep;
    // A computed entry's own `match` is ignored: it was chosen by position.
    return typeof step === 'function' ? step(request, call) : step;
  }
}

function toToolCalls(entry: ScriptEntry, call: number): ToolCallRequest[] {
  return (entry.toolCalls ?? []).map((tc, n) => ({
    id: tc.id ?? `call_${call}_${n}`,
    name: tc.name,
    arguments: typeof tc.args === 'string' ? tc.args : JSON.stringify(tc.args ?? {}),
  }));
}

function lastUserText(request: LLMRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message?.role === 'user') return contentText(message.content);
  }
  return '';
}

function matches(pattern: string | RegExp, text: string): boolean {
  if (typeof pattern === 'string') return text.includes(pattern);
  // A global/sticky RegExp keeps lastIndex between tests; reset so matching is repeatable.
  pattern.lastIndex = 0;
  return pattern.test(text);
}

function split(text: string, size: number): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function describeStep(step: ScriptStep, i: number): string {
  if (typeof step === 'function') return `#${i} (function)`;
  const what = step.text ? `"${clip(step.text)}"` : step.toolCalls?.length ? `tool ${step.toolCalls[0]?.name}` : 'entry';
  return step.match !== undefined ? `#${i} ${what} (match ${String(step.match)})` : `#${i} ${what}`;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
