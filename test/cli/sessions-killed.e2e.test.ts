/**
 * A session whose process was killed mid-turn (SIGKILL: no turn.end, no
 * cleanup) still counts that turn in listings and the resume picker.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { until } from '../helpers/until.js';
import { assertBuilt, baseEnv, kt, ktBin } from './helpers.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
});

describe('turn counts', () => {
  it('a turn cut by SIGKILL is counted', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'done' }, { text: 'a slow answer that never finishes in time', chunkSize: 2, delayMs: 500 }] });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, CI: 'true' });
    const dir = mkdtempSync(join(tmpdir(), 'kt-killed-'));
    const session = join(env.KT_CONFIG_DIR!, 'killed.kohakutr');
    expect((await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--session', session, '-p', 'one'], { cwd: dir, env })).code).toBe(0);
    const child = spawn(process.execPath, [ktBin, 'resume', session, '--llm', 'openai/m', '-p', 'two'], { cwd: dir, env, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Kill once the second turn's start is committed (the recorder flushes on a timer while the slow answer streams).
    await server.waitForRequests(2);
    await until(() => {
      const db = new Database(session, { readonly: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'turn.start'").get() as { n: number }).n === 2;
      } finally {
        db.close();
      }
    }, 'the second turn.start on disk');
    child.kill('SIGKILL');
    await exited;
    const list = await kt(['sessions', '--json'], { env: { ...env, KT_SESSION_DIR: env.KT_CONFIG_DIR! } });
    const row = (JSON.parse(list.stdout) as Array<{ name: string; turns: number }>).find((s) => s.name === 'killed');
    expect(row?.turns).toBe(2);
  });
});
