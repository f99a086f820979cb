/**
 * A writer killed in the middle of a rollback-journal transaction leaves a
 * hot `-journal` beside the file. That happens to every session: it is
 * switched to WAL when it is opened for writing and back to a rollback
 * journal when closed, and both switches rewrite the header through the
 * journal. Such a file must resume, read and list like any other, with the
 * interrupted transaction rolled back.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { listSessions } from '../../../source/engine/session/listing.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import Database from 'better-sqlite3';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const JOURNAL_MAGIC = 'd9d505f920a163d7';

async function session(path: string, input: string): Promise<void> {
  const agent = await Agent.build({ name: 'keeper', system_prompt: 'Keep.' }, { llm: new ScriptedLLM([{ text: 'kept' }]), tools: [], catalog: new ToolCatalog(), pwd: tmpdir(), session: path });
  await agent.run(input);
  await agent.stop();
}

/**
 * `path` as a kill would leave it: a closed session, then a transaction
 * large enough to spill into the file (so the journal is synced, with its
 * magic, and the file holds uncommitted pages), copied while it is open.
 */
function leaveHotJournal(source: string, path: string): void {
  const db = new Database(source);
  db.pragma('cache_size = 10');
  db.exec('BEGIN IMMEDIATE');
  const insert = db.prepare('INSERT INTO state (key, value) VALUES (?, ?)');
  for (let i = 0; i < 200; i++) insert.run(`uncommitted-${i}`, JSON.stringify('x'.repeat(2000)));
  copyFileSync(source, path);
  copyFileSync(`${source}-journal`, `${path}-journal`);
  db.exec('ROLLBACK');
  db.close();
}

/** Files other than the session itself beside it (its lock aside). */
function companions(dir: string, name: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(name) && f !== name && !f.endsWith('.lock'));
}

describe('a session a writer was killed in the middle of a transaction on', () => {
  it('resumes for writing, the unfinished transaction rolled back (SQLITE_READONLY_ROLLBACK before)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-hot-'));
    const source = join(dir, 'source.kohakutr');
    await session(source, 'remember the milk');
    const path = join(dir, 'keeper.kohakutr');
    leaveHotJournal(source, path);
    expect(readFileSync(`${path}-journal`).subarray(0, 8).toString('hex')).toBe(JOURNAL_MAGIC);
    expect(readFileSync(path).length).toBeGreaterThan(readFileSync(source).length);

    await session(path, 'and the eggs');
    using reader = new SessionReader(path);
    expect(reader.turns().map((t) => t.userText)).toEqual(['remember the milk', 'and the eggs']);
    const store = SessionStore.open(path, { readonly: true });
    expect(store.statesWithPrefix('uncommitted-')).toEqual([]);
    store.close();
    expect(companions(dir, 'keeper.kohakutr')).toEqual([]);
  });

  it('reads and lists without changing it, then resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-hot-'));
    const source = join(mkdtempSync(join(tmpdir(), 'kt-hot-source-')), 'source.kohakutr');
    await session(source, 'remember the milk');
    const path = join(dir, 'keeper.kohakutr');
    leaveHotJournal(source, path);
    const before = readFileSync(path);
    const journal = readFileSync(`${path}-journal`);
    {
      using reader = new SessionReader(path);
      expect(reader.turns().map((t) => t.userText)).toEqual(['remember the milk']);
    }
    const listed = listSessions(dir);
    expect(listed.skipped).toEqual([]);
    expect(listed.sessions.map((s) => s.path)).toEqual([path]);
    // Read-only: still exactly as the kill left it.
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readFileSync(`${path}-journal`).equals(journal)).toBe(true);
    expect(companions(dir, 'keeper.kohakutr')).toEqual(['keeper.kohakutr-journal']);

    await session(path, 'and the eggs');
    using reader = new SessionReader(path);
    expect(reader.turns().map((t) => t.userText)).toEqual(['remember the milk', 'and the eggs']);
  });
});
