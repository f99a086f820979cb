/**
 * Why a composition failed. Steps throw the specific errors below; `run()`
 * always rejects with one `CompositionError` that wraps the cause and keeps
 * the steps and usage of the failed run.
 */
import { KTError } from '../errors.js';
import type { TurnResult } from '../creature/turn-result.js';
import type { Usage } from '../llm/messages.js';
import type { StepRecord } from './types.js';

export const pathText = (path: readonly string[]): string => (path.length ? path.join('/') : '(root)');

/** A creature's turn ended with a status other than `completed` (interrupted, timeout, limit, error, cancelled). */
export class StepFailedError extends KTError {
  constructor(
    readonly path: readonly string[],
    readonly result: TurnResult,
  ) {
    const why = result.error ? `: ${result.error.message}` : result.limit ? ` (${result.limit})` : '';
    super(`step ${pathText(path)} ended with status ${result.status}${why}`, { code: 'COMPOSE_STEP_FAILED' });
  }
}

/** `failsWhen(pred)` turned an output into a failure. */
export class OutputRejectedError extends KTError {
  constructor(
    readonly path: readonly string[],
    readonly output: unknown,
    reason?: string,
  ) {
    super(`output of ${pathText(path)} was rejected${reason ? `: ${reason}` : ' by failsWhen'}`, { code: 'COMPOSE_REJECTED' });
  }
}

/** `route` got a key it has no branch for (and no `otherwise`). */
export class NoRouteError extends KTError {
  constructor(
    readonly path: readonly string[],
    readonly key: string,
    known: string[],
  ) {
    super(`route at ${pathText(path)} has no branch for key ${JSON.stringify(key)}; known keys: ${known.join(', ') || '(none)'}`, {
      code: 'COMPOSE_NO_ROUTE',
      hint: 'add the key to the routes or pass {otherwise: step}',
    });
  }
}

export type CompositionStatus = 'failed' | 'cancelled' | 'timeout';

/** What a failed `run()` rejects with: the cause, where it happened, and everything the run did before. */
export class CompositionError extends KTError {
  constructor(
    readonly status: CompositionStatus,
    /** The last step that did not complete, or [] when the failure was outside any step. */
    readonly path: readonly string[],
    readonly steps: StepRecord[],
    readonly usage: Usage,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`composition ${status === 'failed' ? 'failed' : status === 'timeout' ? 'timed out' : 'was cancelled'} at ${pathText(path)}: ${detail}`, {
      code: `COMPOSE_${status.toUpperCase()}`,
      cause,
    });
  }
}
