/**
 * The vocabulary of a composition: what a step is given, what a run returns,
 * what a streamed run yields, and the type helpers that carry input and
 * output types through every combinator.
 */
import type { AgentEvent, TurnStatus } from '../events.js';
import type { SerializedError } from '../errors.js';
import type { Usage, UserContent } from '../llm/messages.js';
import type { TurnResult } from '../creature/turn-result.js';
import type { Composable } from './composable.js';

/** What a plain function step receives besides its input. */
export interface StepContext {
  /** Aborts when the composed run is cancelled, times out, or a `par` sibling failed. */
  readonly signal: AbortSignal;
  /** Where this step sits in the composition (see `StepRecord.path`). */
  readonly path: readonly string[];
}

/** A plain function step: sync or async. */
export type StepFn<I, O> = (input: I, context: StepContext) => O | PromiseLike<O>;

/**
 * Anything that runs a turn: an `Agent`, a terrarium creature, or your own
 * object of that shape. Its output in a composition is the turn's text; a
 * turn that does not end `completed` is a failure.
 */
export interface TurnRunnable {
  run(input: UserContent, options?: { signal?: AbortSignal }): Promise<TurnResult>;
  runStream?(input: UserContent, options?: { signal?: AbortSignal }): AsyncIterable<AgentEvent> & { readonly result: Promise<TurnResult> };
  readonly name?: string;
}

/** Whatever the combinators accept: a composition, a turn runnable, or a function. */
export type AnyStep = Composable<any, any> | TurnRunnable | StepFn<any, any>;

/** A step that accepts `X` as its input (used to check a chain and type a lambda's parameter). */
export type StepTaking<X> = Composable<X, any> | StepFn<X, any> | ([X] extends [UserContent] ? TurnRunnable : never);

export type InputOf<S> = S extends Composable<infer I, any> ? I : S extends TurnRunnable ? UserContent : S extends (input: infer I, ...rest: any[]) => any ? I : never;
export type OutputOf<S> = S extends Composable<any, infer O> ? O : S extends TurnRunnable ? string : S extends (...args: any[]) => infer R ? Awaited<R> : never;

/** How one leaf step (a turn or a function) ended. */
export type StepStatus = TurnStatus | 'failed';

/** One leaf step of a run, recorded when it ends, in the order steps ended. */
export interface StepRecord {
  /**
   * Where the step sits: a position for each `seq`/`par`/`fallback` child
   * (`'0'`, `'1'`, …), `attempt:N` inside `retry`, `classify` or the chosen
   * key inside `route`, and last the step's own name (the creature's name,
   * the function's name, or `fn`). `['1', 'reviewer']` is the second step of a
   * sequence, a creature named reviewer.
   */
  path: string[];
  kind: 'agent' | 'function';
  /** `completed`, a turn's other statuses, or `failed` for a function that threw. */
  status: StepStatus;
  durationMs: number;
  /** Tokens the step used (zero for functions). */
  usage: Usage;
  /** The turn's id, for agent steps. */
  turnId?: string;
  error?: SerializedError;
}

/** What `run()` resolves to. A run that fails rejects with a `CompositionError` instead. */
export interface ComposeResult<O> {
  output: O;
  /** The sum over every step that ran, failed attempts and fallbacks included. */
  usage: Usage;
  steps: StepRecord[];
}

/** Options of `run()`, `runStream()` and `iterate()`. */
export interface ComposeRunOptions {
  /** Aborting it cancels every running creature turn and function. */
  signal?: AbortSignal;
  /** Milliseconds for the whole run; then it fails with status `timeout`. */
  timeout?: number;
}

/** What `runStream()` yields: leaf steps starting and ending, and every event of the creatures inside. */
export type ComposeEvent =
  | { type: 'step.start'; path: readonly string[]; kind: 'agent' | 'function' }
  | { type: 'step.end'; path: readonly string[]; step: StepRecord }
  | { type: 'agent.event'; path: readonly string[]; event: AgentEvent };

/** One result of `par([...], {settle: true})`. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };
