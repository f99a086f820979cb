/**
 * Wait for a condition the test cannot be told about directly (a file a
 * child process writes, a row another process commits). This is a gate, not
 * a sleep: it returns as soon as the condition holds, and the deadline is
 * long (30 s) so it only fails when nothing is happening at all, never
 * because a loaded machine was slow.
 */
import { setTimeout as delay } from 'node:timers/promises';

export const GATE_TIMEOUT_MS = 30_000;

export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = GATE_TIMEOUT_MS): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await delay(20);
  }
}
