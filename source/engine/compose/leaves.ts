/**
 * Leaf steps: a plain function, and a turn runnable (an Agent, a terrarium
 * creature). Each records one `StepRecord` when it ends; only leaves record,
 * so the steps of a run are exactly the work it did.
 */
import { serializeError } from '../errors.js';
import { emptyUsage, type UserContent } from '../llm/messages.js';
import type { TurnResult } from '../creature/turn-result.js';
import { StepFailedError } from './errors.js';
import type { Exec, Node } from './node.js';
import type { StepFn, StepRecord, StepStatus, TurnRunnable } from './types.js';

function record(exec: Exec, step: StepRecord): void {
  exec.run.steps.push(step);
  exec.run.emit?.({ type: 'step.end', path: step.path, step });
}

export function fnNode<I, O>(fn: StepFn<I, O>, label: string): Node<I, O> {
  return {
    label,
    async exec(input, exec) {
      exec.signal.throwIfAborted();
      const path = [...exec.path, label];
      exec.run.emit?.({ type: 'step.start', path, kind: 'function' });
      const started = performance.now();
      try {
        const output = await fn(input, { signal: exec.signal, path });
        record(exec, { path, kind: 'function', status: 'completed', durationMs: performance.now() - started, usage: emptyUsage() });
        return output;
      } catch (error) {
        const status: StepStatus = exec.signal.aborted ? 'cancelled' : 'failed';
        record(exec, { path, kind: 'function', status, durationMs: performance.now() - started, usage: emptyUsage(), error: serializeError(error) });
        throw error;
      }
    },
  };
}

/** Run one turn (streamed when the run is streamed and the runnable can), forwarding its events under the step's path. */
async function turnOf(runnable: TurnRunnable, input: UserContent, exec: Exec, path: readonly string[]): Promise<TurnResult> {
  const emit = exec.run.emit;
  if (!emit || !runnable.runStream) return runnable.run(input, { signal: exec.signal });
  const stream = runnable.runStream(input, { signal: exec.signal });
  for await (const event of stream) emit({ type: 'agent.event', path, event });
  return stream.result;
}

/** A step that runs a turn of `runnable`; its output is the turn's text, any status but `completed` a failure. */
export function turnNode(runnable: TurnRunnable, label: string): Node<UserContent, string> {
  return {
    label,
    exec: (input, exec) => runTurnStep(() => runnable, label, input, exec),
  };
}

/**
 * The turn step itself, shared with `factory()`, which supplies a fresh
 * creature per call (`acquire`) and disposes of it afterwards (`release`).
 */
export async function runTurnStep(
  acquire: () => TurnRunnable | Promise<TurnRunnable>,
  label: string,
  input: UserContent,
  exec: Exec,
  release?: (runnable: TurnRunnable) => Promise<void>,
): Promise<string> {
  exec.signal.throwIfAborted();
  const path = [...exec.path, label];
  exec.run.emit?.({ type: 'step.start', path, kind: 'agent' });
  const started = performance.now();
  let result: TurnResult;
  try {
    const runnable = await acquire();
    try {
      result = await turnOf(runnable, input, exec, path);
    } finally {
      await release?.(runnable);
    }
  } catch (error) {
    // Misuse (bad input, a stopped creature, a build that failed): the turn never ran.
    record(exec, { path, kind: 'agent', status: 'error', durationMs: performance.now() - started, usage: emptyUsage(), error: serializeError(error) });
    throw error;
  }
  const step: StepRecord = { path, kind: 'agent', status: result.status, durationMs: performance.now() - started, usage: result.usage, turnId: result.turnId };
  if (result.error) step.error = result.error;
  record(exec, step);
  if (result.status !== 'completed') throw new StepFailedError(path, result);
  return result.text;
}
