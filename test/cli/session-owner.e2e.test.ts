/**
 * From the command line: a session another live process is writing cannot
 * be resumed a second time (exit 2, naming the owner, nothing written), and
 * `kt search` on a refused file changes nothing and leaves nothing beside it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt } from './helpers.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('session ownership from the CLI', () => {
  it('a second writer exits 2 with "in use by process <pid>" and writes nothing', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'First answer.' }, { text: 'Second answer.' }] });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, CI: 'true' });
    const project = mkdtempSync(join(tmpdir(), 'kt-owner-'));
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'Hello'], { env, cwd: project });
    expect(run.code).toBe(0);
    const sessions = join(env.KT_CONFIG_DIR!, 'sessions');
    const [file] = readdirSync(sessions);
    expect(file).toMatch(/^general_\d{8}-\d{6}_[0-9a-f]{8}\.kohakutr$/);
    const path = join(sessions, file!);
    const name = file!.replace('.kohakutr', '');
    // A live process other than kt holds the session (this test's parent): as if another kt were writing it.
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.ppid, hostname: hostname(), since: Date.now(), token: 'other' }));
    const before = readFileSync(path);
    const second = await kt(['resume', name, '--mode', 'plain', '-p', 'Again'], { env });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`kt: session ${name} is in use by process ${process.ppid}`);
    expect(server.requests).toHaveLength(1);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('kt search on a newer-format file refuses it and leaves it byte-identical, with no companions', async () => {
    const env = baseEnv();
    const sessions = join(env.KT_CONFIG_DIR!, 'sessions');
    const path = join(sessions, 'future.kohakutr');
    mkdirSync(sessions, { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT); INSERT INTO meta VALUES ('formatVersion', '9')");
    db.close();
    const before = readFileSync(path);
    const one = await kt(['search', path, 'milk'], { env });
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/uses session format 9/);
    const all = await kt(['search', '--all', 'milk'], { env });
    expect(all.stderr).toMatch(/future: skipped: .*uses session format 9/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(sessions)).toEqual(['future.kohakutr']);
  });
});
