/**
 * Process checks for cancellation tests: is a child really gone after a
 * timeout or an interrupt?
 */
import { access, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';

/** Whether `pid` is running: false once it is gone (ESRCH) or a zombie waiting to be reaped. */
export async function running(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Field 3, after the parenthesised command name, is the state; Z = exited, not yet reaped.
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/**
 * The process is dead within `withinMs`, and fully gone (kill(pid, 0) throws
 * ESRCH) soon after. Orphans are reaped by PID 1, which on some machines (this
 * project's CI VMs) only reaps every ~2 s, hence the longer second wait.
 */
export async function expectKilled(pid: number, withinMs = 1000): Promise<void> {
  const dead = Date.now() + withinMs;
  while (await running(pid)) {
    if (Date.now() > dead) throw new Error(`process ${pid} still running ${withinMs} ms after the call returned`);
    await delay(20);
  }
  const reaped = Date.now() + 4000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ESRCH');
      return;
    }
    if (Date.now() > reaped) throw new Error(`process ${pid} was never reaped`);
    await delay(50);
  }
}

export async function waitForFile(file: string, withinMs = 5000): Promise<string> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await access(file);
      const text = (await readFile(file, 'utf8')).trim();
      if (text) return text;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`${file} did not appear`);
    await delay(20);
  }
}
