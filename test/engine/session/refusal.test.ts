/**
 * Refused files stay untouched: a newer, cut-short, meta-less or damaged
 * file is reported and left byte-identical with nothing created beside it
 * (no -wal, -shm or lock), by writers, readers and search alike; and an
 * event whose data is not JSON is its own clear error.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SessionError } from '../../../source/engine/errors.js';
import { listSessions } from '../../../source/engine/session/listing.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { readCreatureState } from '../../../source/engine/session/restore.js';
import { searchAll } from '../../../source/engine/session/search/search-all.js';
import Database from 'better-sqlite3';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

async function session(path: string): Promise<void> {
  const agent = await Agent.build({ name: 'keeper', system_prompt: 'Keep.' }, { llm: new ScriptedLLM([{ text: 'kept the milk' }]), tools: [], catalog: new ToolCatalog(), pwd: tmpdir(), session: path });
  await agent.run('remember the milk');
  await agent.stop();
}

/** Change a closed session with plain SQLite, leaving it in WAL mode as older kt versions did. */
function edit(path: string, sql: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(sql);
  db.close();
}

function expectUntouched(path: string, before: Buffer): void {
  expect(readFileSync(path).equals(before)).toBe(true);
  const name = basename(path);
  expect(readdirSync(join(path, '..')).filter((f) => f.startsWith(name) && f !== name)).toEqual([]);
}

describe('refused session files', () => {
  it('newer, cut short or meta-less: every way of opening refuses and leaves no companion files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-refuse-'));
    const newer = join(dir, 'newer.kohakutr');
    await session(newer);
    edit(newer, "UPDATE meta SET value = '9' WHERE key = 'formatVersion'");
    const metaless = join(dir, 'metaless.kohakutr');
    await session(metaless);
    edit(metaless, 'DELETE FROM meta');
    const cut = join(dir, 'cut.kohakutr');
    writeFileSync(cut, readFileSync(newer).subarray(0, 4096 + 100));
    for (const [path, reason] of [
      [newer, /uses session format 9/],
      [metaless, /has no format version/],
      [cut, /damaged \(cut short/],
    ] as const) {
      const before = readFileSync(path);
      expect(() => SessionStore.open(path, { readonly: true }), path).toThrow(reason);
      expect(() => SessionStore.open(path), path).toThrow(reason);
      expect(() => SessionStore.open(path, { owner: true }), path).toThrow(reason);
      expect(() => new SessionReader(path), path).toThrow(SessionError);
      expectUntouched(path, before);
    }
    const copies = new Map([newer, metaless, cut].map((p) => [p, readFileSync(p)]));
    expect(listSessions(dir).skipped.map((s) => s.path).sort()).toEqual([cut, metaless, newer]);
    const found = await searchAll(dir, 'milk');
    expect(found.searched).toBe(0);
    for (const [path, before] of copies) expectUntouched(path, before);
  });

  it('a file failing quick_check is refused for writing, not appended to', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kt-refuse-')), 'damaged.kohakutr');
    await session(path);
    // Break the index b-tree page of the events table: the rows stay readable, quick_check does not pass.
    const db = new Database(path);
    const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'events_by_type'").get() as { rootpage: number }).rootpage;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(path);
    bytes.fill(0xff, (root - 1) * pageSize + 8, root * pageSize);
    writeFileSync(path, bytes);
    expect(() => SessionStore.open(path, { owner: true })).toThrow(/the file is damaged/);
    const agent = Agent.build({ name: 'keeper' }, { llm: new ScriptedLLM([]), tools: [], catalog: new ToolCatalog(), pwd: tmpdir(), session: path });
    await expect(agent).rejects.toThrow(/damaged\.kohakutr: the file is damaged/);
    expectUntouched(path, bytes);
  });

  it('an event with invalid JSON is its own error, and the connection stays usable', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kt-refuse-')), 'badjson.kohakutr');
    await session(path);
    const db = new Database(path);
    const id = (db.prepare("SELECT id FROM events WHERE type = 'turn.start'").get() as { id: number }).id;
    db.prepare('UPDATE events SET payload = ? WHERE id = ?').run('{"input": "remember', id);
    db.close();
    const store = SessionStore.open(path, { readonly: true });
    expect(() => readCreatureState(store, 'keeper')).toThrow(`${path}: event ${id} (turn.start) is damaged: its data is not valid JSON`);
    expect(store.meta.agents).toEqual(['keeper']);
    expect(store.lastEventId()).toBeGreaterThan(id);
    store.close();
    const resume = Agent.build({ name: 'keeper' }, { llm: new ScriptedLLM([]), tools: [], catalog: new ToolCatalog(), pwd: tmpdir(), session: path });
    await expect(resume).rejects.toThrow(/is damaged: its data is not valid JSON/);
  });
});
