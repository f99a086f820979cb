/**
 * The executable form of a composition: a tree of nodes, each with one
 * `exec`. `Composable` is the typed face users hold; nodes are what runs.
 * Kept apart from `Composable` so combinator files never import it (no
 * import cycle between the class and the combinators its methods build).
 */
import { UsageError } from '../errors.js';
import type { AnyStep, ComposeEvent, StepRecord } from './types.js';
import { fnNode, turnNode } from './leaves.js';

/** The per-run state every node shares: the steps so far and, for `runStream`, where events go. */
export interface RunState {
  readonly steps: StepRecord[];
  readonly emit: ((event: ComposeEvent) => void) | undefined;
}

/** What a node runs with: the signal that cancels it, its path, the run's state. */
export interface Exec {
  readonly signal: AbortSignal;
  readonly path: readonly string[];
  readonly run: RunState;
}

export interface Node<I = unknown, O = unknown> {
  /** `seq`, `par`, … for combinators; the creature's or function's name for leaves. */
  readonly label: string;
  exec(input: I, exec: Exec): Promise<O>;
}

/** Where a `Composable` keeps its node; a symbol, so a plain object can never be mistaken for one. */
export const NODE: unique symbol = Symbol('kohakuterrarium.compose.node');

/** The same run one level down, under `segment`. */
export function at(exec: Exec, segment: string): Exec {
  return { signal: exec.signal, path: [...exec.path, segment], run: exec.run };
}

/** The same run with another signal (a combinator that can cancel its children on its own). */
export function withSignal(exec: Exec, signal: AbortSignal): Exec {
  return { signal, path: exec.path, run: exec.run };
}

/** Any accepted step as a node: a composition's own node, a function, or a turn runnable. */
export function lift(step: AnyStep, name?: string): Node<any, any> {
  if (step !== null && (typeof step === 'object' || typeof step === 'function') && NODE in step) return (step as { [NODE]: Node })[NODE];
  if (typeof step === 'function') return fnNode(step, name ?? (step.name || 'fn'));
  if (step && typeof step === 'object' && typeof (step as { run?: unknown }).run === 'function') return turnNode(step, name ?? (step.name || 'agent'));
  const got = step === null ? 'null' : Array.isArray(step) ? 'an array' : typeof step;
  throw new UsageError(`not a step: expected a function, an Agent or terrarium creature, or a composition; got ${got}`);
}

/** A child controller that follows `parent`, and a way to let go of the parent afterwards. */
export function childController(parent: AbortSignal): { controller: AbortController; release: () => void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, release: () => {} };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}
