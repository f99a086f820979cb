/**
 * Resumable triggers survive kill -9: a child process adds a timer and a
 * channel watch to a session, is SIGKILLed, and a new Agent on the same
 * session file (with a FakeClock hours later) has both back, reports the
 * timer's missed runs once and fires no burst.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { bundleChild, REPO_NODE_MODULES } from '../../helpers/bundle-child.js';
import { build, tempDir, until } from './harness.js';

let child = '';

beforeAll(async () => {
  child = await bundleChild(join(import.meta.dirname, 'fixtures', 'timer-kill-child.ts'));
}, 60_000);

interface Ready {
  timer: string;
  watch: string;
  next: number;
}

/** Run the child until it says it is ready, then kill it with SIGKILL. */
function runAndKill(session: string, pwd: string, start: number): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, session, pwd, String(start)], { env: { ...process.env, NODE_PATH: REPO_NODE_MODULES }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ready: Ready | undefined;
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = /^ready (.*)$/m.exec(stdout);
      if (line && !ready) {
        ready = JSON.parse(line[1] as string) as Ready;
        proc.kill('SIGKILL');
      }
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' || !ready) return reject(new Error(`the child ended with ${code ?? signal} before it was killed: ${stderr}`));
      resolve(ready);
    });
  });
}

describe('resumable triggers after kill -9', () => {
  it('come back with their saved state; missed timer runs are reported once, not replayed', async () => {
    const folder = tempDir();
    const session = join(folder, 'sleeper.kohakutr');
    const start = Date.UTC(2026, 0, 5, 9, 0, 0);
    const ready = await runAndKill(session, folder, start);
    expect(ready.next).toBe(start + 3_600_000);

    // Resumed 4.5 hours after the first due time: due at +1h, +2h, ..., +5h passed (5 runs).
    const clock = new FakeClock(ready.next + 4.5 * 3_600_000);
    const b = await build({ config: { name: 'sleeper' }, clock, session, pwd: folder });
    await until(() => b.events.some((e) => e.type === 'trigger.missed'));
    expect(b.agent.triggers).toMatchObject([
      { id: ready.timer, kind: 'timer', name: 'hourly', origin: 'code', nextFireAt: clock.now() + 3_600_000 },
      { id: ready.watch, kind: 'channel', origin: 'code', description: "messages on 'alerts'" },
    ]);
    expect(b.events.filter((e) => e.type === 'trigger.missed')).toMatchObject([{ triggerId: ready.timer, count: 5, since: ready.next }]);
    await clock.advance(3_599_999);
    expect(b.fired()).toEqual([]);
    await clock.advance(1);
    await until(() => b.ends().length === 1);
    b.agent.channels.send('alerts', 'disk full', { sender: 'monitor' });
    await until(() => b.ends().length === 2);
    expect(b.fired()).toEqual(['hourly check', "[Channel 'alerts' from monitor]: disk full"]);
    await b.agent.stop();
  }, 60_000);
});
