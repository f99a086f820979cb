/**
 * Quitting while a tool runs: a second Ctrl+C exits only after the tool's
 * whole process tree is dead (a grandchild that ignores SIGTERM included,
 * so SIGKILL escalation finished first) and the turn's end is saved.
 * SIGHUP saves the turn's end like SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionReader } from '../../source/engine/session/reader.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { running, waitForFile } from '../helpers/processes.js';
import { assertBuilt, baseEnv, ktBin } from './helpers.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// The shell and its `sleep` ignore SIGTERM: only the SIGKILL that follows the grace period ends them.
const STUBBORN = "trap '' TERM; sleep 60 & echo $! > sleep.pid; wait";

async function startRun() {
  server = await startFakeOpenAI({ script: [{ toolCalls: [{ id: 'b1', name: 'bash', arguments: { command: STUBBORN } }] }, { text: 'never' }] });
  const dir = mkdtempSync(join(tmpdir(), 'kt-signals-'));
  const session = join(dir, 'run.kohakutr');
  const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, CI: 'true' });
  const child = spawn(process.execPath, [ktBin, 'run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--approval-mode', 'yolo', '--session', session, '-p', 'run it'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  // Checked the moment kt is gone, before anything else can reap or kill the sleep.
  const exited = new Promise<{ code: number | null; sleepRunning: boolean }>((resolve) => {
    child.on('exit', (code) => {
      const pid = Number(readFileSync(join(dir, 'sleep.pid'), 'utf8').trim());
      void running(pid).then((sleepRunning) => resolve({ code, sleepRunning }));
    });
  });
  const pid = Number((await waitForFile(join(dir, 'sleep.pid'))).trim());
  return { child, session, pid, exited, stderr: () => stderr };
}

function turnEnds(session: string): string[] {
  using reader = new SessionReader(session);
  return [...reader.events({ types: ['turn.end'] })].map((event) => (event.type === 'turn.end' ? event.status : 'other'));
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('quitting while a tool runs', () => {
  it('a second Ctrl+C exits after the tool tree is dead and turn.end is saved', async () => {
    const run = await startRun();
    expect(await running(run.pid)).toBe(true);
    run.child.kill('SIGINT');
    await until(() => run.stderr().includes('interrupting'));
    run.child.kill('SIGINT');
    const { code, sleepRunning } = await run.exited;
    expect(code).toBe(130);
    expect(sleepRunning).toBe(false);
    expect(turnEnds(run.session)).toEqual(['interrupted']);
  });

  it('SIGHUP stops the run, kills the tree and saves turn.end', async () => {
    const run = await startRun();
    run.child.kill('SIGHUP');
    const { code, sleepRunning } = await run.exited;
    expect(code).toBe(129);
    expect(sleepRunning).toBe(false);
    expect(turnEnds(run.session)).toHaveLength(1);
  });
});
