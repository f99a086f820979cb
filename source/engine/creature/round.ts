/**
 * One LLM round: send the conversation, stream the answer, dispatch tool
 * calls the moment they arrive, and retry failed requests by error class.
 * Never throws; every outcome (done, aborted, failed) is in the result.
 */
import { ProviderError } from '../errors.js';
import type { ToolCallRequest, Usage } from '../llm/messages.js';
import type { LLMRequest, Provider } from '../llm/provider.js';
import { retryDelayMs, shouldRetry } from '../llm/retry.js';
import { sleep as abortableSleep } from '../util/abort.js';
import type { ControllerDeps, TurnRequest } from './controller.js';
import type { CallOutcome } from './executor.js';
import { TextCalls } from './text-calls.js';

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
}

/** Stream one LLM round, retrying failed requests by class. Never throws. */
export async function streamRound(deps: ControllerDeps, step: number, turn: TurnRequest): Promise<RoundOutcome> {
  const { provider, conversation, executor, settings, retry } = deps;
  const { signal, emit } = turn;
  const { timeouts, ...knobs } = settings;
  const streamOptions = timeouts ? { signal, timeouts } : { signal };
  const wait = deps.sleep ?? abortableSleep;
  const modelStart = performance.now();
  const tools = executor.specs();
  const format = deps.format;
  let retries = 0;
  let trimmed = false;

  for (;;) {
    const out = freshOutcome();
    const attemptStart = performance.now();
    const request: LLMRequest = { messages: conversation.forProvider(), ...knobs };
    // In a text format the model calls tools by writing blocks; offering functions too would only confuse it.
    if (tools.length && !format) request.tools = tools;
    const parser = format ? new TextCalls(format, tools, step, (call) => dispatch(call, true), executor.subagentNames()) : undefined;
    const dispatch = (call: ToolCallRequest, asText: boolean) => {
      (asText ? out.textCalls : out.calls).push(call);
      out.pending.push(executor.execute(call, step, signal, emit));
    };
    try {
      for await (const part of provider.stream(request, streamOptions)) {
        out.ttftMs ??= performance.now() - attemptStart;
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
      out.modelMs = performance.now() - modelStart;
      return out;
    } catch (thrown) {
      out.modelMs = performance.now() - modelStart;
      if (signal.aborted) return markAborted(out);
      const failure = asProviderError(thrown, provider);
      // Context overflow: once per round, drop the last tool round (it is what
      // grew the context) with a note, and ask again right away.
      if (failure.errorClass === 'overflow' && !trimmed && out.calls.length === 0 && out.textCalls.length === 0) {
        const cut = conversation.dropLastToolRound(overflowNote);
        if (cut) {
          trimmed = true;
          emit({ type: 'context.trimmed', step, ...cut });
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

function overflowNote(tools: string[]): string {
  return `[The results of the last tool calls (${tools.join(', ')}) did not fit in the context window and were removed. Continue with smaller requests: narrower reads, searches with fewer results, or output piped through head.]`;
}
