/**
 * Time as the engine sees it. Everything that waits for the wall clock
 * (timers, schedules, debounces, budgets, cooldowns) asks a `Clock`, so a
 * test hands in a fake one and moves time by hand instead of sleeping.
 */

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Call `fn` once, `ms` from now. Returns the function that cancels it.
   * Delays longer than a Node timer can hold (about 24.8 days) still fire on time.
   */
  setTimer(fn: () => void, ms: number): () => void;
}

/**
 * Milliseconds on a monotonic clock, for durations (step and tool timings,
 * a turn's time budget). Not `performance.now()`: the first read of the
 * global `performance` loads perf_hooks and ten of Node's internal modules
 * (~1.3 ms of every `kt run`); process.hrtime reads the same clock.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

/** Node's timers hold at most 2^31-1 ms; a longer delay fires after 1 ms. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    let timer: NodeJS.Timeout;
    const due = Date.now() + Math.max(0, ms);
    // Long delays hop in steps a timer can hold, measuring what is left against the wall clock each time.
    const arm = () => {
      const left = due - Date.now();
      timer = left > LONGEST_TIMER_MS ? setTimeout(arm, LONGEST_TIMER_MS) : setTimeout(fn, Math.max(0, left));
    };
    arm();
    return () => clearTimeout(timer);
  },
};

/** Wait `ms` on `clock`; resolves early (without throwing) when `signal` aborts. True when the full time passed. */
export function pause(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      cancel();
      resolve(false);
    };
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
