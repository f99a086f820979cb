/**
 * The combinators as functions: `seq`, `par`, `fallback`, `retry`, `route`,
 * `timeout`, and `runnable` to lift a single step (an Agent, a creature, a
 * function) into a `Composable` so it gets the methods.
 */
import { UsageError } from '../errors.js';
import { Composable } from './composable.js';
import { lift, type Node } from './node.js';
import { parNode } from './parallel.js';
import { fallbackNode, retryNode, timeoutNode, type RetryOptions } from './recovery.js';
import { routeNode } from './route.js';
import { seqNode } from './sequence.js';
import type { AnyStep, InputOf, OutputOf, Settled, StepTaking } from './types.js';

type Outputs<S extends readonly AnyStep[]> = { -readonly [K in keyof S]: OutputOf<S[K]> };
type SettledOutputs<S extends readonly AnyStep[]> = { -readonly [K in keyof S]: Settled<OutputOf<S[K]>> };

const composable = <I, O>(node: Node): Composable<I, O> => new Composable(node as Node<I, O>);

/** One step as a `Composable` (named `name` in step paths, default its own name). */
export function runnable<S extends AnyStep>(step: S, options: { name?: string } = {}): Composable<InputOf<S>, OutputOf<S>> {
  return composable(lift(step, options.name));
}

/** Steps one after the other, each output the next input. */
export function seq<A extends AnyStep, B extends StepTaking<OutputOf<A>>>(a: A, b: B): Composable<InputOf<A>, OutputOf<B>>;
export function seq<A extends AnyStep, B extends StepTaking<OutputOf<A>>, C extends StepTaking<OutputOf<B>>>(a: A, b: B, c: C): Composable<InputOf<A>, OutputOf<C>>;
export function seq<A extends AnyStep, B extends StepTaking<OutputOf<A>>, C extends StepTaking<OutputOf<B>>, D extends StepTaking<OutputOf<C>>>(a: A, b: B, c: C, d: D): Composable<InputOf<A>, OutputOf<D>>;
export function seq<A extends AnyStep, B extends StepTaking<OutputOf<A>>, C extends StepTaking<OutputOf<B>>, D extends StepTaking<OutputOf<C>>, E extends StepTaking<OutputOf<D>>>(
  a: A,
  b: B,
  c: C,
  d: D,
  e: E,
): Composable<InputOf<A>, OutputOf<E>>;
/** Six steps or more: the chain is not type-checked between steps (pipe them, or nest seq, to keep the types). */
export function seq(a: AnyStep, b: AnyStep, c: AnyStep, d: AnyStep, e: AnyStep, f: AnyStep, ...more: AnyStep[]): Composable<unknown, unknown>;
export function seq(...steps: AnyStep[]): Composable<unknown, unknown> {
  if (!steps.length) throw new UsageError('seq needs at least one step');
  return composable(seqNode(steps.map((s) => lift(s))));
}

/**
 * Steps at once on the same input; the output is the tuple of their outputs.
 * When one fails the others are cancelled — unless `{settle: true}`, which
 * cancels nobody and gives `{ok, value}` / `{ok, error}` per step.
 */
export function par<const S extends readonly [AnyStep, ...AnyStep[]]>(steps: S, options: { settle: true }): Composable<InputOf<S[0]>, SettledOutputs<S>>;
export function par<const S extends readonly [AnyStep, ...AnyStep[]]>(steps: S, options?: { settle?: false }): Composable<InputOf<S[0]>, Outputs<S>>;
export function par<const S extends readonly [AnyStep, ...AnyStep[]]>(...steps: S): Composable<InputOf<S[0]>, Outputs<S>>;
export function par(...args: unknown[]): Composable<unknown, unknown> {
  const listed = Array.isArray(args[0]);
  const steps = (listed ? args[0] : args) as AnyStep[];
  const options = (listed ? args[1] : undefined) as { settle?: boolean } | undefined;
  if (!steps.length) throw new UsageError('par needs at least one step');
  return composable(parNode(steps.map((s) => lift(s)), options?.settle === true));
}

/** The first step that succeeds, each tried with the same input; when all fail, the last failure. */
export function fallback<const S extends readonly [AnyStep, ...AnyStep[]]>(...steps: S): Composable<InputOf<S[0]>, OutputOf<S[number]>> {
  return composable(fallbackNode(steps.map((s) => lift(s))));
}

/**
 * The step, tried again when it fails. `attempts` is the TOTAL number of
 * tries (`retry(a, 3)`: the first try and at most two more); the last
 * failure stands. `backoff` waits between tries (ms, or a function of the
 * attempt that just failed, from 1).
 */
export function retry<S extends AnyStep>(step: S, attempts: number, options: RetryOptions = {}): Composable<InputOf<S>, OutputOf<S>> {
  return composable(retryNode(lift(step), attempts, options));
}

/** The step, failing with a `TimeoutError` (and cancelled) when it takes longer than `ms`. */
export function timeout<S extends AnyStep>(step: S, ms: number): Composable<InputOf<S>, OutputOf<S>> {
  return composable(timeoutNode(lift(step), ms));
}

/**
 * `classify` names a key; the input goes to the step under that key (or to
 * `otherwise`; without it an unknown key fails with `NoRouteError`).
 */
export function route<C extends AnyStep, R extends Record<string, AnyStep>, W extends AnyStep = never>(
  classify: C,
  routes: R,
  options: { otherwise?: W } = {},
): Composable<InputOf<C>, OutputOf<R[keyof R]> | OutputOf<W>> {
  const table = new Map(Object.entries(routes).map(([key, step]) => [key, lift(step, undefined)] as const));
  return composable(routeNode(lift(classify, undefined), table, options.otherwise === undefined ? undefined : lift(options.otherwise)));
}
