/**
 * One LLM round: send the conversation, stream the answer, dispatch tool
 * calls the moment they arrive, and retry failed requests by error class.
 * Never throws; every outcome (done, aborted, failed) is in the result.
 */
import { PluginBlockError, ProviderError } from '../errors.js';
import type { Message, ToolCallRequest, Usage } from '../llm/messages.js';
import type { LLMRequest, LlmCaller, Provider, StreamOptions } from '../llm/provider.js';
import { retryDelayMs, shouldRetry } from '../llm/retry.js';
import { sleep as abortableSleep } from '../util/abort.js';
import type { ControllerDeps, TurnRequest } from './controller.js';
import type { CallOutcome } from './executor.js';
import type { LlmCallInfo } from '../plugins/hooks.js';
import { overflowTrim, type PolicyContext } from './round-policies.js';
import { TextCalls } from './text-calls.js';
import { monotonicMs } from '../util/clock.js';

export interface RoundOutcome {
  /** Everything the model wrote (in a text format, call blocks included: the model must see its own calls). */
  text: string;
  reasoning: string;
  /** Native tool calls: they enter the assistant message. */
  calls: ToolCallRequest[];
  /** Calls written as text (bracket / xml formats): run like native ones, answered in one user message. */
  textCalls: ToolCallRequest[];
  pending: Promise<CallOutcome>[];
  finishReason: string;
  usage: Usage | undefined;
  providerFields: Record<string, unknown> | undefined;
  ttftMs: number | null;
  modelMs: number;
  aborted: boolean;
  error: ProviderError | undefined;
  /** A plugin stopped the model call before it was made. */
  blocked: PluginBlockError | undefined;
  /** A plugin rewrote the answer after it streamed (the committed text differs from the deltas). */
  edited: boolean;
}

/** Stream one LLM round, retrying failed requests by class. Never throws. */
export async function streamRound(deps: ControllerDeps, step: number, turn: TurnRequest): Promise<RoundOutcome> {
  const { provider, conversation, executor, settings, retry } = deps;
  const { signal, emit } = turn;
  const { timeouts, ...knobs } = settings;
  const caller: LlmCaller = { agentPath: deps.agentPath ?? [], purpose: deps.purpose ?? 'controller', turnId: turn.turnId, step, ...(deps.callId ? { callId: deps.callId } : {}) };
  const streamOptions: StreamOptions = timeouts ? { signal, timeouts, caller } : { signal, caller };
  const wait = deps.sleep ?? abortableSleep;
  const modelStart = monotonicMs();
  const tools = executor.specs();
  const format = deps.format;
  let retries = 0;
  let trimmed = false;
  const hooks = deps.hooks;
  const info: LlmCallInfo = {
    agentPath: deps.agentPath ?? [],
    model: provider.id,
    turnId: turn.turnId,
    purpose: deps.purpose ?? 'controller',
    tools: tools.map((t) => t.name),
    step,
    signal,
  };
  const policies = deps.policies ?? [overflowTrim];

  for (;;) {
    const out = freshOutcome();
    const attemptStart = monotonicMs();
    let messages: readonly Message[] = conversation.forProvider();
    if (hooks?.has('preLlmCall')) {
      try {
        messages = await hooks.transform('preLlmCall', messages, info);
      } catch (error) {
        if (!(error instanceof PluginBlockError)) throw error;
        out.blocked = error;
        out.finishReason = 'blocked';
        out.modelMs = monotonicMs() - modelStart;
        return out;
      }
    }
    const request: LLMRequest = { messages, ...knobs };
    // In a text format the model calls tools by writing blocks; offering functions too would only confuse it.
    if (tools.length && !format) request.tools = tools;
    const parser = format ? new TextCalls(format, tools, step, (call) => dispatch(call, true), executor.subagentNames()) : undefined;
    const dispatch = (call: ToolCallRequest, asText: boolean) => {
      (asText ? out.textCalls : out.calls).push(call);
      out.pending.push(executor.execute(call, step, signal, emit));
    };
    try {
      for await (const part of provider.stream(request, streamOptions)) {
        out.ttftMs ??= monotonicMs() - attemptStart;
        switch (part.type) {
          case 'text':
            out.text += part.text;
            if (parser) {
              // Only prose is shown as it streams; a call block shows up as its tool call.
              const prose = parser.push(part.text);
              if (prose) emit({ type: 'text.delta', step, text: prose });
            } else {
              emit({ type: 'text.delta', step, text: part.text });
            }
            break;
          case 'reasoning':
            out.reasoning += part.text;
            emit({ type: 'reasoning.delta', step, text: part.text });
            break;
          case 'tool_call':
            dispatch(part.call, false);
            break;
          case 'warning':
            emit({ type: 'warning', code: 'SDK_WARNING', message: part.message });
            break;
          case 'finish':
            out.finishReason = part.finishReason;
            out.usage = part.usage;
            out.providerFields = part.providerFields;
            break;
        }
      }
      if (parser) {
        const rest = parser.end();
        if (rest) emit({ type: 'text.delta', step, text: rest });
      }
      if (signal.aborted) markAborted(out);
      else if (hooks?.has('postLlmCall')) {
        const rewritten = await hooks.transform('postLlmCall', out.text, { ...info, messages, toolCalls: out.calls, usage: out.usage });
        if (rewritten !== out.text) {
          out.text = rewritten;
          out.edited = true;
        }
      }
      out.modelMs = monotonicMs() - modelStart;
      return out;
    } catch (thrown) {
      out.modelMs = monotonicMs() - modelStart;
      if (signal.aborted) return markAborted(out);
      const failure = asProviderError(thrown, provider);
      // A policy may repair the conversation once per round (overflow: drop the
      // last tool round, the one that grew the context) and ask again at once.
      if (!trimmed && out.calls.length === 0 && out.textCalls.length === 0) {
        const context: PolicyContext = { step, conversation, emit, promptTokens: 0, signal };
        if (policies.some((policy) => policy.recover?.(failure, context))) {
          trimmed = true;
          continue;
        }
      }
      // A retry after calls were dispatched would run them twice; surface the error instead.
      if (out.calls.length === 0 && out.textCalls.length === 0 && shouldRetry(retry, failure, retries)) {
        retries++;
        const delayMs = retryDelayMs(retry, retries, failure);
        emit({
          type: 'llm.retry',
          step,
          attempt: retries,
          maxRetries: retry.maxRetries,
          delayMs,
          errorClass: failure.errorClass,
          ...(failure.status !== undefined ? { status: failure.status } : {}),
          message: failure.message,
          discardedChars: out.text.length,
        });
        try {
          await wait(delayMs, signal);
        } catch {
          return markAborted(freshOutcome());
        }
        continue;
      }
      failure.attempts = retries + 1;
      out.error = failure;
      out.finishReason = 'error';
      return out;
    }
  }
}

function freshOutcome(): RoundOutcome {
  return {
    text: '',
    reasoning: '',
    calls: [],
    textCalls: [],
    pending: [],
    finishReason: 'stop',
    usage: undefined,
    providerFields: undefined,
    ttftMs: null,
    modelMs: 0,
    aborted: false,
    error: undefined,
    blocked: undefined,
    edited: false,
  };
}

function markAborted(out: RoundOutcome): RoundOutcome {
  out.aborted = true;
  out.finishReason = 'aborted';
  return out;
}

function asProviderError(error: unknown, provider: Provider): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`${provider.id}: ${message}`, { provider: provider.provider, errorClass: 'unknown', retryable: false, cause: error });
}
