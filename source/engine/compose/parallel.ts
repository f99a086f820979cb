/**
 * Parallel: every step gets the same input at once; the output is the tuple
 * of their outputs, in the order given. When one fails the others are
 * cancelled (their signal aborts, a creature's turn ends `cancelled`) and the
 * run fails with the first failure — after every sibling has ended, so
 * nothing is left running. With `settle` nobody is cancelled and each
 * outcome is reported as `{ok, value}` / `{ok, error}`.
 */
import { AbortReason } from '../errors.js';
import { at, childController, withSignal, type Node } from './node.js';
import type { Settled } from './types.js';

export function parNode(children: readonly Node[], settle: boolean): Node<unknown, unknown[]> {
  return {
    label: 'par',
    async exec(input, exec) {
      const { controller, release } = childController(exec.signal);
      const inner = withSignal(exec, controller.signal);
      let failed = false;
      let firstError: unknown;
      const runs = children.map((child, i) =>
        child.exec(input, at(inner, String(i))).catch((error: unknown) => {
          if (!failed) {
            failed = true;
            firstError = error;
            if (!settle) controller.abort(new AbortReason('cancelled', `a parallel step failed: ${error instanceof Error ? error.message : String(error)}`));
          }
          throw error;
        }),
      );
      const outcomes = await Promise.allSettled(runs);
      release();
      exec.signal.throwIfAborted();
      if (settle) return outcomes.map((o): Settled<unknown> => (o.status === 'fulfilled' ? { ok: true, value: o.value } : { ok: false, error: o.reason }));
      if (failed) throw firstError;
      return outcomes.map((o) => (o as PromiseFulfilledResult<unknown>).value);
    },
  };
}
