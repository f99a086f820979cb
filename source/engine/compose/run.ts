/**
 * Running a composition: one controller for the whole run (the caller's
 * signal and `timeout` both abort it), one list of steps, and on failure one
 * `CompositionError` that carries what the run did.
 */
import { AbortReason, UsageError } from '../errors.js';
import { addUsage, emptyUsage, type Usage } from '../llm/messages.js';
import { MAX_TIMER_MS } from '../llm/request-timeouts.js';
import { CompositionError, type CompositionStatus } from './errors.js';
import type { Node, RunState } from './node.js';
import type { ComposeEvent, ComposeResult, ComposeRunOptions, StepRecord } from './types.js';

export function totalUsage(steps: readonly StepRecord[]): Usage {
  const total = emptyUsage();
  for (const step of steps) addUsage(total, step.usage);
  return total;
}

export async function runNode<O>(node: Node<unknown, O>, input: unknown, options: ComposeRunOptions, emit?: (event: ComposeEvent) => void): Promise<ComposeResult<O>> {
  const { signal: callerSignal, timeout } = options;
  if (timeout !== undefined && !(timeout > 0 && timeout <= MAX_TIMER_MS)) throw new UsageError(`timeout must be a positive number of milliseconds up to ${MAX_TIMER_MS}, got ${timeout}`);
  const controller = new AbortController();
  const onAbort = () => controller.abort(callerSignal?.reason instanceof AbortReason ? callerSignal.reason : new AbortReason('cancelled', 'the composed run was cancelled'));
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  const timer = timeout === undefined ? undefined : setTimeout(() => controller.abort(new AbortReason('timeout', `the composed run timed out after ${timeout} ms`)), timeout);
  const run: RunState = { steps: [], emit };
  try {
    const output = await node.exec(input, { signal: controller.signal, path: [], run });
    return { output, usage: totalUsage(run.steps), steps: run.steps };
  } catch (error) {
    throw failure(error, controller.signal, run.steps);
  } finally {
    if (timer) clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onAbort);
  }
}

function failure(cause: unknown, signal: AbortSignal, steps: StepRecord[]): CompositionError {
  const reason: unknown = signal.reason;
  const status: CompositionStatus = !signal.aborted ? 'failed' : reason instanceof AbortReason && reason.kind === 'timeout' ? 'timeout' : 'cancelled';
  const last = steps.findLast((s) => s.status !== 'completed');
  return new CompositionError(status, last?.path ?? [], steps, totalUsage(steps), signal.aborted && !(cause instanceof Error) ? reason : cause);
}
