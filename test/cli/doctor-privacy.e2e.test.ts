/**
 * kt doctor tells the user when their config or sessions folder is open to
 * other users, with the chmod that fixes it — a warning, not a failure.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt } from './helpers.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface CheckJson {
  name: string;
  ok: boolean;
  warn?: boolean;
  detail: string;
  fix?: string;
}

describe('kt doctor: folder privacy', () => {
  it('passes private folders, and warns about loose ones with the chmod to run', async () => {
    server = await startFakeOpenAI();
    const env = baseEnv({ OPENAI_API_KEY: 'sk-doctor-12345678', OPENAI_BASE_URL: server.baseURL });
    const home = env.KT_CONFIG_DIR!;
    const sessions = join(home, 'sessions');
    mkdirSync(sessions, { mode: 0o700 });
    chmodSync(home, 0o700);
    chmodSync(sessions, 0o700);

    const fine = await kt(['doctor', '--llm', 'gpt-5.4-mini'], { env });
    expect(fine.stdout).toMatch(/^✓ config and session folders are private to you$/m);
    expect(fine.stdout).toMatch(/Everything looks fine\./);
    expect(fine.code).toBe(0);

    chmodSync(home, 0o755);
    chmodSync(sessions, 0o750);
    const loose = await kt(['doctor', '--llm', 'gpt-5.4-mini'], { env });
    expect(loose.stdout).toContain(`! other users can open ${home} (mode 755), ${sessions} (mode 750)`);
    expect(loose.stdout).toContain(`fix: chmod 700 ${home} ${sessions}`);
    expect(loose.stdout).toMatch(/No problems; 1 warning\./);
    expect(loose.code).toBe(0); // kt works; the warning is advice

    const json = await kt(['doctor', '--json', '--llm', 'gpt-5.4-mini'], { env });
    const privacy = (JSON.parse(json.stdout) as CheckJson[]).find((c) => c.name === 'privacy');
    expect(privacy).toMatchObject({ ok: true, warn: true, fix: `chmod 700 ${home} ${sessions}` });
  });

  it('checks KT_SESSION_DIR when sessions live elsewhere', async () => {
    const outside = baseEnv().KT_CONFIG_DIR!; // any fresh folder
    chmodSync(outside, 0o777);
    const env = baseEnv({ KT_SESSION_DIR: outside });
    const run = await kt(['doctor', '--json'], { env });
    const privacy = (JSON.parse(run.stdout) as CheckJson[]).find((c) => c.name === 'privacy');
    expect(privacy).toMatchObject({ warn: true, detail: expect.stringContaining(`${outside} (mode 777)`), fix: `chmod 700 ${outside}` });
    expect(privacy?.detail).not.toContain(env.KT_CONFIG_DIR!);
  });
});
