/**
 * A turn waiting in, or running from, an agent's queue: its input, its own
 * AbortController, and the wiring that turns a timeout or a caller's signal
 * into an abort with the right reason.
 */
import { AbortReason, UsageError } from '../errors.js';
import { turnIdFor, type InputSource, type TurnOrigin } from '../events.js';
import { emptyUsage, type UserContent } from '../llm/messages.js';
import { MAX_TIMER_MS } from '../llm/request-timeouts.js';
import type { TurnResult } from './turn-result.js';
import type { TurnSlot } from './turn-tree.js';

export interface TurnJob {
  turnId: string;
  turnIndex: number;
  branch: number;
  input: UserContent;
  source: InputSource;
  origin?: TurnOrigin;
  abort: AbortController;
  result: Promise<TurnResult>;
  resolve(result: TurnResult): void;
}

export interface TurnJobOptions {
  /** Milliseconds from now until the turn is aborted with status `timeout`. */
  timeout?: number;
  /** Aborting it cancels the turn. */
  signal?: AbortSignal;
  source?: InputSource;
  /** What started the turn when no person did (a trigger, an input module). */
  origin?: TurnOrigin;
}

export function createTurnJob(slot: TurnSlot, input: UserContent, options: TurnJobOptions): TurnJob {
  const { turnIndex, branch } = slot;
  if (typeof input !== 'string' && !Array.isArray(input)) throw new UsageError('input must be a string or an array of content parts');
  if (options.timeout !== undefined && !(options.timeout > 0)) throw new UsageError('timeout must be a positive number of milliseconds');
  // Node fires a longer timer after 1 ms: a turn would time out at once.
  if (options.timeout !== undefined && options.timeout > MAX_TIMER_MS) {
    throw new UsageError(`timeout must be at most ${MAX_TIMER_MS} milliseconds (about 24 days, the longest timer Node supports)`);
  }
  const abort = new AbortController();
  let resolve!: (result: TurnResult) => void;
  const result = new Promise<TurnResult>((r) => (resolve = r));
  const job: TurnJob = { turnId: turnIdFor(turnIndex, branch), turnIndex, branch, input, source: options.source ?? 'api', abort, result, resolve };
  if (options.origin) job.origin = options.origin;

  // Listeners and timers live exactly as long as the job: released when it resolves.
  const cleanups: Array<() => void> = [];
  if (options.timeout !== undefined) {
    const ms = options.timeout;
    const timer = setTimeout(() => abort.abort(new AbortReason('timeout', `timed out after ${ms} ms`)), ms);
    cleanups.push(() => clearTimeout(timer));
  }
  const signal = options.signal;
  if (signal) {
    const onAbort = () => abort.abort(signal.reason instanceof AbortReason ? signal.reason : new AbortReason('cancelled'));
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
  }
  void result.then(() => cleanups.forEach((cleanup) => cleanup()));
  return job;
}

/** The result of a job aborted before it started (while queued). */
export function notStartedResult(job: TurnJob, sessionId: string): TurnResult {
  const reason: unknown = job.abort.signal.reason;
  return {
    status: reason instanceof AbortReason ? reason.kind : 'cancelled',
    text: '',
    usage: emptyUsage(),
    toolCalls: [],
    turnId: job.turnId,
    sessionId,
    steps: 0,
    durationMs: 0,
  };
}
