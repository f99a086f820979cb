/**
 * What a finished round leaves behind: the assistant message and its results
 * in the conversation, the records a `TurnResult` lists, and the warning an
 * empty answer deserves. Kept apart from the loop so the controller reads as
 * the loop alone.
 */
import type { EventOf, TurnWarning } from '../events.js';
import { emptyUsage, type AssistantMessage } from '../llm/messages.js';
import { renderToolResults, type TextToolResult } from '../parsing/results.js';
import type { Conversation } from './conversation.js';
import { outputText, type CallOutcome } from './executor.js';
import type { RoundOutcome } from './round.js';
import type { ToolCallRecord } from './turn-result.js';

/**
 * Append the round to the conversation: the assistant message, then the
 * results (tool messages for native calls; one user message for calls
 * written as text, returned so `step.end` can carry it to the log).
 */
export function commitRound(conversation: Conversation, out: RoundOutcome, outcomes: readonly CallOutcome[]): { text: string; resultsMessage?: string } {
  // A round that failed before making any call never finished its answer: keep none of it.
  const anyCalls = out.calls.length > 0 || out.textCalls.length > 0;
  const text = out.error && !anyCalls ? '' : out.text;
  if (!text && !anyCalls) return { text: '' };
  const message: AssistantMessage = { role: 'assistant', content: text };
  if (out.calls.length) message.toolCalls = out.calls;
  if (out.reasoning) message.reasoning = out.reasoning;
  if (out.providerFields) message.providerFields = out.providerFields;
  conversation.append(message);
  const native = new Set(out.calls.map((c) => c.id));
  for (const o of outcomes.filter((o) => native.has(o.callId))) {
    conversation.append({ role: 'tool', toolCallId: o.callId, name: o.name, content: o.output, ...(o.isError ? { isError: true } : {}) });
  }
  const written = outcomes.filter((o) => !native.has(o.callId));
  if (!written.length) return { text };
  const resultsMessage = renderToolResults(written.map(textResult));
  conversation.append({ role: 'user', content: resultsMessage });
  return { text, resultsMessage };
}

/** A call's outcome as the text-mode results message shows it. */
function textResult(o: CallOutcome): TextToolResult {
  const jobId = typeof o.metadata?.['jobId'] === 'string' ? o.metadata['jobId'] : undefined;
  const exitCode = typeof o.metadata?.['exitCode'] === 'number' ? o.metadata['exitCode'] : undefined;
  return { name: o.name, status: o.status, output: o.output, ...(jobId ? { jobId } : {}), ...(exitCode !== undefined ? { exitCode } : {}) };
}

export function toRecord(o: CallOutcome): ToolCallRecord {
  return { callId: o.callId, name: o.name, args: o.args, output: outputText(o.output), isError: o.isError, status: o.status, durationMs: roundMs(o.durationMs) };
}

/** A round that finished properly yet said nothing and called nothing: worth telling, never silently "done". */
export function emptyAnswerWarning(model: string, out: RoundOutcome): TurnWarning | undefined {
  if (out.text.trim() !== '' || out.calls.length > 0 || out.textCalls.length > 0) return undefined;
  const thought = out.reasoning ? ' (only reasoning)' : '';
  return { code: 'empty_response', message: `${model} returned an empty response${thought}, finish reason '${out.finishReason}'` };
}

export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** The `step.end` event of a round: the committed message and where the round's time went. */
export function stepEndEvent(
  step: number,
  out: RoundOutcome,
  committed: { text: string; resultsMessage?: string },
  model: string,
  time: { stepMs: number; toolsMs: number; hooks: Record<string, number> | undefined },
): Omit<EventOf<'step.end'>, 'seq' | 'ts' | 'sessionId' | 'creatureId' | 'turnId' | 'agentPath'> {
  return {
    type: 'step.end',
    step,
    text: committed.text,
    toolCalls: out.calls,
    ...(committed.resultsMessage !== undefined ? { resultsMessage: committed.resultsMessage } : {}),
    ...(out.reasoning ? { reasoning: out.reasoning } : {}),
    ...(out.providerFields ? { providerFields: out.providerFields } : {}),
    finishReason: out.finishReason,
    model,
    usage: out.usage ?? emptyUsage(),
    timings: {
      ttftMs: out.ttftMs === null ? null : roundMs(out.ttftMs),
      modelMs: roundMs(out.modelMs),
      toolsMs: roundMs(time.toolsMs),
      overheadMs: roundMs(Math.max(0, time.stepMs - out.modelMs - time.toolsMs)),
      ...(time.hooks ? { hooks: time.hooks } : {}),
    },
  };
}
