/**
 * "Resolve once this becomes true, or fail after a timeout" for the fake
 * Responses server's `waitForRequests` / `waitForAbort`.
 */
export class Waiters {
  private readonly waiting = new Set<{ ready: () => boolean; resolve: () => void }>();

  /** Resolves when `ready()` holds at a `notify()`, or rejects naming `what()` after `timeoutMs`. */
  until(ready: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        ready,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiting.delete(waiter);
        reject(new Error(`fake server: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      this.waiting.add(waiter);
    });
  }

  /** Re-check every waiter after the state changed. */
  notify(): void {
    for (const waiter of this.waiting) {
      if (!waiter.ready()) continue;
      this.waiting.delete(waiter);
      waiter.resolve();
    }
  }
}
