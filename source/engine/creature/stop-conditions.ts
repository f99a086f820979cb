/**
 * When a turn stops on its own: `stopWhen` conditions checked before each
 * round (budgets of rounds, tool calls, shared iterations, wall time) and
 * after each round (keywords in the answer, plugins' termination votes).
 * The controller only asks; each limit is one small function here.
 */
import type { TurnStatus } from '../events.js';
import type { HookChain } from '../plugins/chain.js';
import type { IterationBudget, TurnLimits } from './controller.js';
import { monotonicMs } from '../util/clock.js';

/** How far a turn has come. */
export interface TurnProgress {
  turnIndex: number;
  turnId: string;
  steps: number;
  toolCalls: number;
  /** monotonicMs() when the turn began. */
  startedAt: number;
  /** Text of the round that just ended ('' before the first). */
  lastText: string;
}

export interface StopVerdict {
  /** What ended the turn: `max_turns`, `keywords`, `plugin:budget`, ... */
  reason: string;
  status: Extract<TurnStatus, 'limit' | 'completed'>;
  detail?: string;
}

export type StopCondition = (progress: TurnProgress) => StopVerdict | undefined;

const limit = (reason: string): StopVerdict => ({ reason, status: 'limit' });

/** Checked before every round. */
export function beforeRoundConditions(limits: TurnLimits, budget: IterationBudget | undefined): StopCondition[] {
  const out: StopCondition[] = [];
  const { maxSteps, maxToolCalls, maxDurationMs } = limits;
  if (maxSteps) out.push((p) => (p.steps >= maxSteps ? limit('max_turns') : undefined));
  if (maxToolCalls) out.push((p) => (p.toolCalls >= maxToolCalls ? limit('max_tool_calls') : undefined));
  if (budget) out.push(() => (budget.remaining <= 0 ? limit('max_iterations') : undefined));
  if (maxDurationMs) out.push((p) => (monotonicMs() - p.startedAt >= maxDurationMs ? limit('max_duration') : undefined));
  return out;
}

/** Checked after every round that went well. */
export function afterRoundConditions(limits: TurnLimits, hooks: HookChain | undefined, scope: () => { agentPath: readonly string[]; model: string }): StopCondition[] {
  const out: StopCondition[] = [];
  const keywords = limits.keywords;
  // A keyword ends the turn as done: the model said it was finished.
  if (keywords?.length) out.push((p) => (keywords.some((k) => p.lastText.includes(k)) ? { reason: 'keywords', status: 'completed' } : undefined));
  if (hooks)
    out.push((p) => {
      if (!hooks.has('terminationCheck')) return undefined;
      const vote = hooks.termination({
        ...scope(),
        turnId: p.turnId,
        turnIndex: p.turnIndex,
        steps: p.steps,
        toolCalls: p.toolCalls,
        elapsedMs: monotonicMs() - p.startedAt,
        lastText: p.lastText,
      });
      return vote ? { reason: `plugin:${vote.plugin}`, status: 'limit', detail: vote.reason } : undefined;
    });
  return out;
}

export function firstStop(conditions: readonly StopCondition[], progress: TurnProgress): StopVerdict | undefined {
  for (const condition of conditions) {
    const verdict = condition(progress);
    if (verdict) return verdict;
  }
  return undefined;
}
