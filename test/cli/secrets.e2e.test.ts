/**
 * A provider that echoes the API key in its 401 body: neither stderr nor any
 * byte of the session file (and its WAL) may hold the key afterwards.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt } from './helpers.js';

const KEY = 'sk-proj-Zq8vT3kLm9Xw2Rb7Yp4Nc6Hd1Gf5Js0Ua';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function sessionBytes(dir: string): string {
  return readdirSync(dir)
    .filter((name) => name.includes('.kohakutr'))
    .map((name) => readFileSync(join(dir, name)).toString('latin1'))
    .join('\n');
}

describe('credentials in provider errors', () => {
  it('a 401 that echoes the key leaves it out of stderr and the session file', async () => {
    server = await startFakeOpenAI({
      script: [{ error: { status: 401, message: `Incorrect API key provided: ${KEY}. You can find your API key at the dashboard.`, code: 'invalid_api_key' } }],
    });
    const sessions = mkdtempSync(join(tmpdir(), 'kt-sessions-'));
    const cwd = mkdtempSync(join(tmpdir(), 'kt-project-'));
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/test-model', '--output-format', 'stream-json', '-p', 'hello'], {
      cwd,
      env: baseEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL, KT_SESSION_DIR: sessions, CI: 'true' }),
    });
    expect(run.code).toBe(1);
    expect(server.requests.length).toBeGreaterThan(0);
    // The error did reach the user, masked.
    expect(run.stderr).toMatch(/Incorrect API key provided: \[redacted …/);
    expect(run.stderr).not.toContain(KEY);
    expect(run.stdout).not.toContain(KEY);
    const files = readdirSync(sessions);
    expect(files.some((name) => name.endsWith('.kohakutr'))).toBe(true);
    const bytes = sessionBytes(sessions);
    expect(bytes).toContain('Incorrect API key provided');
    expect(bytes).not.toContain(KEY);
    // The key may also not sit in the file split across a page boundary of a UTF-16 copy: check a distinctive slice too.
    expect(bytes).not.toContain(KEY.slice(8, 30));
    expect(existsSync(sessions)).toBe(true);
  });
});
