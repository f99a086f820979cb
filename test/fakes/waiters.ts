/**
 * "Resolve once this becomes true, or fail after a timeout": what a fake
 * server's `waitForRequests` / `waitForAbort` are built on. The fake calls
 * `notify()` whenever its state changes, so no waiter polls.
 */
export class Waiters {
  private readonly waiting = new Set<{ ready: () => boolean; resolve: () => void }>();

  /** @param label names the fake in timeout messages, e.g. `fake server`. */
  constructor(private readonly label: string) {}

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
        reject(new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for ${what()}`));
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
