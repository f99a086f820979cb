/**
 * The controller: one turn of a creature's reasoning loop.
 *
 *   stream one LLM round → collect tool calls (dispatched as they arrive)
 *   → wait for their results → append both to the conversation → repeat
 *   until a round makes no calls, a limit is hit, or the turn is aborted.
 *
 * Invariants:
 * - The conversation is valid after every step, whatever happened: an
 *   assistant message with tool calls is always followed by one result per call.
 * - `step.end` carries exactly the assistant message that entered the
 *   conversation, so replaying the log rebuilds the conversation.
 * - Only misuse escapes as an exception; everything else is a status.
 */
import { AbortReason, serializeError, type SerializedError } from '../errors.js';
import type { EventDraft, InputSource, TurnOrigin, TurnStatus, TurnWarning } from '../events.js';
import { addUsage, emptyUsage, type Usage, type UserContent } from '../llm/messages.js';
import type { Provider } from '../llm/provider.js';
import type { RequestTimeouts } from '../llm/request-timeouts.js';
import type { RetryPolicy } from '../llm/retry.js';
import type { Conversation } from './conversation.js';
import type { Executor } from './executor.js';
import { commitRound, emptyAnswerWarning, roundMs, stepEndEvent, toRecord } from './round-commit.js';
import { streamRound } from './round.js';
import type { HookChain } from '../plugins/chain.js';
import type { LlmCallPurpose } from '../plugins/hooks.js';
import type { RoundPolicy } from './round-policies.js';
import { afterRoundConditions, beforeRoundConditions, firstStop, type StopCondition, type TurnProgress } from './stop-conditions.js';
import type { ToolCallFormat } from '../parsing/format.js';
import type { ToolCallRecord, TurnResult } from './turn-result.js';
import { monotonicMs } from '../util/clock.js';

export type Emit = (draft: EventDraft) => void;

/** Per-request knobs from the creature's `controller:` block. */
export interface ControllerSettings {
  temperature?: number;
  maxTokens?: number;
  reasoningEffort?: string;
  extraBody?: Record<string, unknown>;
  /** Bounds on each model request (`request_timeout`, `stream_idle_timeout`); not part of the request body. */
  timeouts?: Partial<RequestTimeouts>;
}

export interface TurnLimits {
  /** LLM rounds per turn (`--max-turns`, `termination.max_turns`); 0 = unlimited. */
  maxSteps?: number;
  /** Wall time per turn, checked between rounds. */
  maxDurationMs?: number;
  /** End the turn after a round whose text contains one of these (case-sensitive). */
  keywords?: readonly string[];
  /** Tool calls per turn (a sub-agent's budget); the turn ends once they are used up. */
  maxToolCalls?: number;
}

/** The `max_iterations` pool: LLM rounds left for this creature and the sub-agents that share it. */
export interface IterationBudget {
  remaining: number;
}

export interface ControllerDeps {
  provider: Provider;
  conversation: Conversation;
  executor: Executor;
  settings: ControllerSettings;
  limits: TurnLimits;
  retry: RetryPolicy;
  /** The creature's running token totals; updated in place. */
  totals: Usage;
  budget?: IterationBudget;
  /** A text tool-call format (bracket, xml, custom); absent = the provider's native function calling. */
  format?: ToolCallFormat;
  /**
   * Input that should join the running turn between rounds: results of
   * background jobs that finished meanwhile. Called after every round.
   */
  takeInjected?: () => UserContent | undefined;
  /** Injectable for tests of the backoff. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Plugins around model calls and tool calls, and their termination votes. */
  hooks?: HookChain;
  /** What hooks are told the model calls are for (default `controller`). */
  purpose?: LlmCallPurpose;
  /** Whose loop this is, for hooks (`[creature]`, `[creature, subagent]`). */
  agentPath?: readonly string[];
  /** For a sub-agent run: the tool call that started it (providers are told, see `LlmCaller`). */
  callId?: string;
  /** `prepareRound` policies; default: overflow trimming only. */
  policies?: readonly RoundPolicy[];
}

export interface TurnRequest {
  turnId: string;
  turnIndex: number;
  branch: number;
  /** Branch of the previous turn on the live path (absent for turn 1). */
  parentBranch?: number;
  sessionId: string;
  input: UserContent;
  source: InputSource;
  /** What started the turn when no person did (a trigger). */
  origin?: TurnOrigin;
  signal: AbortSignal;
  emit: Emit;
}


export class Controller {
  private readonly before: StopCondition[];
  private readonly after: StopCondition[];

  constructor(readonly deps: ControllerDeps) {
    this.before = beforeRoundConditions(deps.limits, deps.budget);
    this.after = afterRoundConditions(deps.limits, deps.hooks, () => ({ agentPath: deps.agentPath ?? [], model: deps.provider.id }));
  }

  async runTurn(turn: TurnRequest): Promise<TurnResult> {
    const { emit, signal } = turn;
    const { conversation } = this.deps;
    const started = monotonicMs();
    const usage = emptyUsage();
    const records: ToolCallRecord[] = [];
    let status: TurnStatus = 'completed';
    let limit: string | undefined;
    let error: SerializedError | undefined;
    const warnings: TurnWarning[] = [];
    let text = '';
    let steps = 0;

    emit({
      type: 'turn.start',
      turnIndex: turn.turnIndex,
      branch: turn.branch,
      ...(turn.parentBranch !== undefined ? { parentBranch: turn.parentBranch } : {}),
      input: turn.input,
      source: turn.source,
      ...(turn.origin ? { origin: turn.origin } : {}),
    });
    conversation.append({ role: 'user', content: turn.input });

    const progress: TurnProgress = { turnIndex: turn.turnIndex, turnId: turn.turnId, steps: 0, toolCalls: 0, startedAt: started, lastText: '' };
    let promptTokens = 0;
    const prepare = async (step: number, when: 'round' | 'turn-end') => {
      for (const policy of this.deps.policies ?? []) await policy.prepare?.({ step, conversation, emit, promptTokens, signal }, when);
    };

    try {
      for (let step = 1; ; step++) {
        if (signal.aborted) {
          status = abortStatus(signal.reason);
          break;
        }
        progress.steps = steps;
        progress.toolCalls = records.length;
        const stop = firstStop(this.before, progress);
        if (stop) {
          status = stop.status;
          limit = stop.reason;
          break;
        }
        if (step > 1) await prepare(step, 'round');
        if (this.deps.budget) this.deps.budget.remaining--;

        emit({ type: 'step.start', step });
        const stepStart = monotonicMs();
        const out = await streamRound(this.deps, step, turn);
        const modelEnd = monotonicMs();
        const outcomes = await Promise.all(out.pending);
        const toolsMs = out.pending.length ? monotonicMs() - modelEnd : 0;
        steps++;
        addUsage(usage, out.usage);
        addUsage(this.deps.totals, out.usage);

        const committed = commitRound(this.deps.conversation, out, outcomes);
        for (const o of outcomes) records.push(toRecord(o));
        const timings = { stepMs: monotonicMs() - stepStart, toolsMs, hooks: this.deps.hooks?.drainTimings() };
        emit(stepEndEvent(step, out, committed, this.deps.provider.id, timings));
        emit({
          type: 'usage',
          turn: { ...usage },
          total: { ...this.deps.totals },
          contextTokens: out.usage?.input ?? 0,
          ...(this.deps.provider.maxContext ? { maxContext: this.deps.provider.maxContext } : {}),
        });
        if (out.text) text = out.text;
        if (out.usage) promptTokens = out.usage.input;

        if (out.blocked) {
          // A plugin refused the model call: the turn ends there, saying which plugin and why.
          status = 'limit';
          limit = `plugin:${out.blocked.plugin ?? 'plugin'}`;
          emit({ type: 'warning', code: 'PLUGIN_BLOCKED', message: `${limit}: ${out.blocked.message}` });
          break;
        }
        if (out.aborted) {
          status = abortStatus(signal.reason);
          break;
        }
        if (out.error) {
          status = 'error';
          error = serializeError(out.error);
          emit({ type: 'error', error, fatal: false });
          break;
        }
        const empty = emptyAnswerWarning(this.deps.provider.id, out);
        if (empty) {
          warnings.push(empty);
          emit({ type: 'warning', ...empty });
        }
        progress.steps = steps;
        progress.toolCalls = records.length;
        progress.lastText = out.text;
        const after = firstStop(this.after, progress);
        if (after) {
          status = after.status;
          if (after.status === 'limit') limit = after.reason;
          if (after.detail) emit({ type: 'warning', code: 'TURN_STOPPED', message: `${after.reason}: ${after.detail}` });
          break;
        }
        // Jobs that finished during this round are told now, after the round's results (pairing stays valid).
        const injected = this.deps.takeInjected?.();
        if (injected !== undefined) {
          conversation.append({ role: 'user', content: injected });
          emit({ type: 'input.injected', input: injected, source: 'job' });
          continue;
        }
        if (out.calls.length === 0 && out.textCalls.length === 0) break;
      }
    } catch (unexpected) {
      // A bug in a provider or tool plumbing ends this turn; the creature lives on.
      status = signal.aborted ? abortStatus(signal.reason) : 'error';
      if (status === 'error') {
        error = serializeError(unexpected);
        emit({ type: 'error', error, fatal: false });
      }
    }

    // At turn end a policy may start work for the next turn (a compaction, in the background).
    if (!signal.aborted) await prepare(steps, 'turn-end');
    // The model must know the request was cut off, or it answers the next one as if the last had been done.
    // Every call of the last round has its result by now, so the note keeps the pairing valid.
    const note = status === 'interrupted' ? INTERRUPTED_NOTE : undefined;
    if (note) conversation.append({ role: 'assistant', content: note });
    const durationMs = roundMs(monotonicMs() - started);
    emit({
      type: 'turn.end',
      turnIndex: turn.turnIndex,
      status,
      text,
      usage: { ...usage },
      steps,
      toolCalls: records.length,
      durationMs,
      ...(limit ? { limit } : {}),
      ...(error ? { error } : {}),
      ...(warnings.length ? { warnings } : {}),
      ...(note ? { note } : {}),
    });
    const result: TurnResult = { status, text, usage, toolCalls: records, turnId: turn.turnId, sessionId: turn.sessionId, steps, durationMs };
    if (limit) result.limit = limit;
    if (error) result.error = error;
    if (warnings.length) result.warnings = warnings;
    return result;
  }


}



/** What the conversation keeps of a turn the user interrupted. */
export const INTERRUPTED_NOTE = '[The user interrupted this response before it was finished. Do not assume the interrupted request was done; wait for what the user says next.]';

/** The turn status an abort reason maps to. */
export function abortStatus(reason: unknown): TurnStatus {
  return reason instanceof AbortReason ? reason.kind : 'cancelled';
}



