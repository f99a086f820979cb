/**
 * `Composable<I, O>`: a step you can run and combine. Every combinator
 * returns one; its input and output types follow what it was built from.
 *
 * Not callable on purpose: plain functions are steps too (lifted
 * automatically), so a composition that was itself a function could only be
 * told from one by a hidden brand, and `typeof` checks in user code would
 * lie. Run it with `.run(input)`. It has no `then`, so awaiting or returning
 * one from an async function never runs it by accident.
 */
import { AbortReason } from '../errors.js';
import type { UserContent } from '../llm/messages.js';
import { PipelineIterator } from './iterate.js';
import { lift, NODE, type Node } from './node.js';
import { parNode } from './parallel.js';
import { fallbackNode } from './recovery.js';
import { runNode } from './run.js';
import { failsWhenNode, seqNode } from './sequence.js';
import { ComposeStream } from './stream.js';
import type { AnyStep, ComposeResult, ComposeRunOptions, StepContext, StepFn, TurnRunnable } from './types.js';

export class Composable<in I, out O> {
  /** The node that runs (engine use); a symbol key keeps it out of the way and unforgeable by plain objects. */
  readonly [NODE]: Node<I, O>;

  constructor(node: Node<I, O>) {
    this[NODE] = node;
  }

  /** The creature's or function's name for a single step; the combinator (`seq`, `par`, …) otherwise. */
  get name(): string {
    return this[NODE].label;
  }

  /** Run to the end. Resolves with the output, summed usage and steps; rejects with a `CompositionError`. */
  run(input: I, options: ComposeRunOptions = {}): Promise<ComposeResult<O>> {
    return runNode(this[NODE] as Node<unknown, O>, input, options);
  }

  /** Run and stream every step and every event of the creatures inside, each with its step path. Breaking out cancels the run. */
  runStream(input: I, options: ComposeRunOptions = {}): ComposeStream<O> {
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    return new ComposeStream<O>(
      (emit) => runNode(this[NODE] as Node<unknown, O>, input, { ...options, signal }, emit),
      (reason) => controller.abort(new AbortReason('cancelled', reason)),
    );
  }

  /** Then `next`, with this step's output as its input. */
  pipe<O2>(next: Composable<O, O2>): Composable<I, O2>;
  pipe<R extends TurnRunnable>(next: [O] extends [UserContent] ? R : never): Composable<I, string>;
  pipe<O2>(next: StepFn<O, O2>): Composable<I, O2>;
  pipe(next: Composable<O, unknown> | TurnRunnable | StepFn<O, unknown>): Composable<I, unknown> {
    return new Composable(seqNode([this[NODE] as Node, lift(next)]) as Node<I, unknown>);
  }

  /**
   * This and `other` at once on the same input; the output is the pair. The
   * input must suit both (for a creature and a function of strings: a string).
   */
  and<I2, O2>(other: Composable<I2, O2>): Composable<I & I2, [O, O2]>;
  and<R extends TurnRunnable>(other: R): Composable<I & UserContent, [O, string]>;
  and<O2, I2 = I>(other: StepFn<I2, O2>): Composable<I & I2, [O, O2]>;
  and(other: Composable<never, unknown> | TurnRunnable | StepFn<never, unknown>): Composable<never, unknown> {
    return new Composable(parNode([this[NODE] as Node, lift(other as AnyStep)], false) as Node<never, unknown>);
  }

  /** This, or when it fails (an error, a turn not `completed`) `other` with the same input. */
  or<I2, O2>(other: Composable<I2, O2>): Composable<I & I2, O | O2>;
  or<R extends TurnRunnable>(other: R): Composable<I & UserContent, O | string>;
  or<O2, I2 = I>(other: StepFn<I2, O2>): Composable<I & I2, O | O2>;
  or(other: Composable<never, unknown> | TurnRunnable | StepFn<never, unknown>): Composable<never, unknown> {
    return new Composable(fallbackNode([this[NODE] as Node, lift(other as AnyStep)]) as Node<never, unknown>);
  }

  /** Post-process the output. The function is a step of its own (it shows in `steps`). */
  map<O2>(fn: (output: O, context: StepContext) => O2 | PromiseLike<O2>): Composable<I, O2> {
    return new Composable(seqNode([this[NODE] as Node, lift(fn, fn.name || 'map')]) as Node<I, O2>);
  }

  /** Pre-process the input: `fn` turns an `I2` into the `I` this step takes. */
  contramap<I2>(fn: (input: I2, context: StepContext) => I | PromiseLike<I>): Composable<I2, O> {
    return new Composable(seqNode([lift(fn, fn.name || 'contramap'), this[NODE] as Node]) as Node<I2, O>);
  }

  /** Treat an output for which `predicate` is true as a failure (an `OutputRejectedError`), so `or` and `retry` take over. */
  failsWhen(predicate: (output: O) => boolean | PromiseLike<boolean>, reason?: string): Composable<I, O> {
    return new Composable(failsWhenNode(this[NODE] as Node, predicate as (o: unknown) => boolean, reason) as Node<I, O>);
  }

  /**
   * Run again and again, feeding each output back as the next input, and
   * yield every output. Stops when the consumer breaks (nothing is left
   * running) or a round fails (the loop throws its `CompositionError`).
   */
  iterate(input: I, options: ComposeRunOptions = {}): PipelineIterator<I, O> {
    return new PipelineIterator<I, O>(this, input, options);
  }
}
