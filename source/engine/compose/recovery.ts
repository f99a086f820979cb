/**
 * Recovering from failure: `fallback` (the next step when one fails),
 * `retry` (the same step again) and `timeout` (a failure after a deadline).
 * A failure is a thrown error or a turn that did not end `completed`.
 * Cancellation of the run itself is never recovered from: once the caller's
 * signal aborted, no fallback starts and no retry is made.
 */
import { AbortReason, TimeoutError, UsageError } from '../errors.js';
import { pathText } from './errors.js';
import { at, childController, withSignal, type Node } from './node.js';

interface FallbackNode extends Node {
  readonly children: readonly Node[];
}

const isFallback = (node: Node): node is FallbackNode => node.label === 'fallback' && Array.isArray((node as FallbackNode).children);

/** Try each step in turn with the same input; the first success wins, and when all fail the last failure stands. */
export function fallbackNode(children: readonly Node[]): Node {
  const flat = children.flatMap((n) => (isFallback(n) ? n.children : [n]));
  const node: FallbackNode = {
    label: 'fallback',
    children: flat,
    async exec(input, exec) {
      let lastError: unknown;
      for (let i = 0; i < flat.length; i++) {
        try {
          return await (flat[i] as Node).exec(input, at(exec, String(i)));
        } catch (error) {
          if (exec.signal.aborted) throw error;
          lastError = error;
        }
      }
      throw lastError;
    },
  };
  return node;
}

export interface RetryOptions {
  /** Milliseconds to wait before attempt N+1 (given N, from 1): a number, or a function for exponential backoff. Default 0. */
  backoff?: number | ((attempt: number) => number);
}

/** Resolve after `ms`, or reject with the signal's reason as soon as it aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `attempts` is the total number of tries: `retry(a, 3)` runs `a` at most three times. */
export function retryNode(inner: Node, attempts: number, options: RetryOptions = {}): Node {
  if (!Number.isInteger(attempts) || attempts < 1) throw new UsageError(`retry attempts must be a whole number ≥ 1 (the total number of tries), got ${attempts}`);
  const { backoff = 0 } = options;
  return {
    label: 'retry',
    async exec(input, exec) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inner.exec(input, at(exec, `attempt:${attempt}`));
        } catch (error) {
          if (exec.signal.aborted || attempt >= attempts) throw error;
          await pause(typeof backoff === 'function' ? backoff(attempt) : backoff, exec.signal);
        }
      }
    },
  };
}

/**
 * Fail with a `TimeoutError` when `inner` takes longer than `ms`. The inner
 * step is cancelled (a creature's turn ends `timeout`, a function's signal
 * aborts) and the failure comes once it has stopped.
 */
export function timeoutNode(inner: Node, ms: number): Node {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new UsageError(`timeout must be a positive number of milliseconds, got ${ms}`);
  return {
    label: inner.label,
    async exec(input, exec) {
      const { controller, release } = childController(exec.signal);
      const timer = setTimeout(() => controller.abort(new AbortReason('timeout', `step timed out after ${ms} ms`)), ms);
      try {
        return await inner.exec(input, withSignal(exec, controller.signal));
      } catch (error) {
        if (controller.signal.aborted && !exec.signal.aborted) {
          throw new TimeoutError(`step ${pathText([...exec.path, inner.label])} took longer than ${ms} ms`, ms, { cause: error });
        }
        throw error;
      } finally {
        clearTimeout(timer);
        release();
      }
    },
  };
}
