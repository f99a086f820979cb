/**
 * Process checks for cancellation tests: is a child really gone after a
 * timeout or an interrupt?
 */
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { until } from './until.js';

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
 * The process dies, and is then fully gone (kill(pid, 0) throws ESRCH).
 * Both are gates with a long deadline, not time bounds: a process that
 * outlived a kill would run on (the tests' processes sleep for 30 s or
 * more), so only a real leak fails this. Orphans are reaped by PID 1,
 * which on some machines (this project's CI VMs) reaps only every ~2 s.
 */
export async function expectKilled(pid: number): Promise<void> {
  // 10 s each: far past any scheduling delay, and the two together within a unit test's 20 s timeout.
  await until(async () => !(await running(pid)), `process ${pid} to die after the call returned`, 10_000);
  await until(() => {
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ESRCH');
      return true;
    }
  }, `process ${pid} to be reaped`, 10_000);
}

/** The file's trimmed text, once a child process has written some. */
export async function waitForFile(file: string): Promise<string> {
  return until(async () => (await readFile(file, 'utf8').catch(() => '')).trim() || undefined, `${file} to be written`);
}
