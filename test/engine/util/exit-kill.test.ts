import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const module = join(import.meta.dirname, '../../../source/engine/util/exit-kill.ts');

/** Whether a process with this pid still runs (a zombie awaiting its reaper does not). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

// Process states come from /proc (Linux, where CI runs).
describe.skipIf(!existsSync('/proc/self/stat'))('exitKillList', () => {
  it('kills what is still listed when the process exits, and leaves what was taken off', async () => {
    // A Node process lists two sleepers, takes one off, and exits; it prints their pids first.
    const script = `
      import { spawn } from 'node:child_process';
      import { exitKillList } from ${JSON.stringify(module)};
      const list = exitKillList((pid) => process.kill(pid, 'SIGKILL'));
      const kept = spawn('sleep', ['60'], { stdio: 'ignore', detached: true });
      const left = spawn('sleep', ['60'], { stdio: 'ignore', detached: true });
      kept.unref(); left.unref();
      list.add(kept.pid); list.add(left.pid); list.delete(left.pid);
      console.log(JSON.stringify({ kept: kept.pid, left: left.pid }));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const { kept, left } = JSON.parse(out) as { kept: number; left: number };
    try {
      // SIGKILL was sent before the process ended; the orphan's reaper may take a moment.
      await expect.poll(() => alive(kept)).toBe(false);
      expect(alive(left)).toBe(true);
    } finally {
      for (const pid of [kept, left]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
