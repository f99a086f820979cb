import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blocksByCreature, countBlocks, INDEX_STATE_KEY, indexBlocks, type IndexPosition } from '../../../../source/engine/session/search/index.js';
import { searchSession } from '../../../../source/engine/session/search/search.js';
import { SessionStore } from '../../../../source/engine/session/store.js';
import { debuggingSession, SessionBuilder, tempDir } from './fixtures.js';

const stores: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});
const keep = <T extends { close(): void }>(s: T): T => {
  stores.push(s);
  return s;
};

interface Row {
  event_id: number;
  creature: string;
  round: number;
  block: number;
  kind: string;
  tool: string | null;
  content: string;
}

function rows(store: SessionStore): Row[] {
  return store.database.prepare('SELECT event_id, creature, round, block, kind, tool, content FROM search_blocks ORDER BY id').all() as Row[];
}

function searchTables(path: string): string[] {
  const store = SessionStore.open(path, { readonly: true });
  try {
    return (store.database.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'search_%' AND type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    store.close();
  }
}

describe('indexBlocks', () => {
  it('indexes every block once and records the last event it read', () => {
    const b = keep(debuggingSession(join(tempDir(), 's.kohakutr')));
    const first = indexBlocks(b.store);
    expect(first).toEqual({ added: 15, blocks: 15, where: 'file', behind: 0 });
    expect(b.store.getState<IndexPosition>(INDEX_STATE_KEY)?.eventId).toBe(b.store.lastEventId());
    expect(indexBlocks(b.store)).toEqual({ added: 0, blocks: 15, where: 'file', behind: 0 });
    expect(blocksByCreature(b.store)).toEqual([
      { creature: 'swe', blocks: 12 },
      { creature: 'swe/explore', blocks: 3 },
    ]);
  });

  it('adds only the blocks of new events, the same blocks a single run makes', () => {
    const dir = tempDir();
    const whole = keep(debuggingSession(join(dir, 'whole.kohakutr')));
    indexBlocks(whole.store);

    // The same events, indexed in slices of 3 events, with index runs in between.
    const parts = keep(new SessionBuilder(join(dir, 'parts.kohakutr')));
    const events = [...whole.store.events()];
    let added = 0;
    for (let i = 0; i < events.length; i += 3) {
      for (const { event, turn, branch } of events.slice(i, i + 3)) parts.store.append(event, { turn, branch });
      parts.store.flush();
      added += indexBlocks(parts.store, { batchEvents: 2 }).added;
    }
    expect(added).toBe(15);
    expect(rows(parts.store)).toEqual(rows(whole.store));
  });

  it('reads on while another thread holds the write turn, storing the same blocks and text in fewer transactions', async () => {
    const dir = tempDir();
    const alone = keep(debuggingSession(join(dir, 'alone.kohakutr')));
    indexBlocks(alone.store, { batchEvents: 2 });
    const merged = keep(debuggingSession(join(dir, 'merged.kohakutr')));
    // A turn that always looks taken: the indexer reads MAX_MERGED_BATCHES batches before each write.
    let writes = 0;
    const busy = Object.assign(<T>(fn: () => T): T => (writes++, fn()), { busy: () => true });
    const batches: number[] = [];
    expect(indexBlocks(merged.store, { batchEvents: 2, writeTurn: busy, onBatch: (n) => batches.push(n) }).added).toBe(15);
    expect(rows(merged.store)).toEqual(rows(alone.store));
    expect(writes).toBe(batches.length);
    expect(writes).toBeLessThan(Math.ceil(alone.store.lastEventId() / 2));
    expect(merged.store.getState(INDEX_STATE_KEY)).toEqual(alone.store.getState(INDEX_STATE_KEY));
    for (const query of ['token', 'cache expiry', 'grep auth']) {
      const hits = async (store: SessionStore) => (await searchSession(store, query, { mode: 'fts', k: 20, index: false, now: 0 })).map((h) => [h.round, h.block, h.score]);
      expect(await hits(merged.store)).toEqual(await hits(alone.store));
    }
  });

  it('continues the round numbering and a pending tool call across runs', () => {
    const b = keep(new SessionBuilder(join(tempDir(), 's.kohakutr')));
    b.user('first question').say('first answer').user('second question').flush();
    indexBlocks(b.store);
    b.emit({ type: 'tool.call', callId: 'c1', name: 'bash', args: { command: 'make' }, step: 1, background: false }).flush();
    expect(indexBlocks(b.store).added).toBe(0);
    b.emit({ type: 'tool.result', callId: 'c1', name: 'bash', output: 'built', isError: false, status: 'ok', durationMs: 1 }).flush();
    expect(indexBlocks(b.store).added).toBe(1);
    expect(rows(b.store).at(-1)).toMatchObject({ round: 2, block: 1, kind: 'tool', tool: 'bash', content: '[tool:bash] command=make\nbuilt' });
  });

  it('a second connection to the same file sees the position and adds nothing twice', () => {
    const path = join(tempDir(), 's.kohakutr');
    const b = keep(debuggingSession(path));
    const other = keep(SessionStore.open(path));
    expect(indexBlocks(other).added).toBe(15);
    expect(indexBlocks(b.store).added).toBe(0);
    b.user('one more thing').flush();
    expect(indexBlocks(b.store).added).toBe(1);
    expect(indexBlocks(other).added).toBe(0);
    expect(countBlocks(b.store.database)).toBe(16);
  });

  it('drops a batch another indexer wrote while it was being read, and goes on from there', () => {
    const path = join(tempDir(), 's.kohakutr');
    const whole = keep(debuggingSession(join(tempDir(), 'whole.kohakutr')));
    indexBlocks(whole.store);
    const b = keep(debuggingSession(path));
    const other = keep(SessionStore.open(path));
    // Batches are read outside the write lock: the other indexer takes its first batches right after ours is read.
    const events = b.store.events.bind(b.store);
    let overtaken = false;
    b.store.events = function* (query) {
      yield* events(query);
      if (!overtaken) {
        overtaken = true;
        indexBlocks(other, { batchEvents: 7 });
      }
    };
    expect(indexBlocks(b.store, { batchEvents: 4 }).added).toBe(0);
    expect(overtaken).toBe(true);
    expect(rows(b.store)).toEqual(rows(whole.store));
  });

  it('makes its full-text table merge segments 16 at a time; an index made before keeps its setting', () => {
    const b = keep(debuggingSession(join(tempDir(), 's.kohakutr')));
    indexBlocks(b.store);
    const automerge = () => b.store.database.prepare("SELECT v FROM search_fts_config WHERE k = 'automerge'").pluck().get();
    expect(automerge()).toBe(16);
    // An index made by an older kt merges at FTS5's default (4); indexing on leaves it so.
    b.store.database.exec("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 4)");
    b.user('one more thing').flush();
    expect(indexBlocks(b.store).added).toBe(1);
    expect(automerge()).toBe(4);
  });

  it('rebuilds an index whose position was lost instead of duplicating it', () => {
    const b = keep(debuggingSession(join(tempDir(), 's.kohakutr')));
    indexBlocks(b.store);
    b.store.setState(INDEX_STATE_KEY, null);
    expect(indexBlocks(b.store)).toMatchObject({ added: 15, blocks: 15 });
  });

  it('rebuilds an index made by another extraction version', () => {
    const b = keep(debuggingSession(join(tempDir(), 's.kohakutr')));
    indexBlocks(b.store);
    const position = b.store.getState<IndexPosition>(INDEX_STATE_KEY) as IndexPosition;
    b.store.setState(INDEX_STATE_KEY, { ...position, version: 0 });
    expect(indexBlocks(b.store)).toMatchObject({ added: 15, blocks: 15 });
  });
});

describe('read-only sessions', () => {
  it('without an index: builds one in memory, searches it, and leaves the file untouched', async () => {
    const path = join(tempDir(), 's.kohakutr');
    debuggingSession(path).close();
    const store = keep(SessionStore.open(path, { readonly: true }));
    expect(indexBlocks(store)).toEqual({ added: 15, blocks: 15, where: 'memory', behind: 0 });
    const hits = await searchSession(store, 'token expiry', { mode: 'fts', k: 3 });
    expect(hits.length).toBe(3);
    expect(hits[0]?.content).toMatch(/expir/i);
    store.close();
    expect(searchTables(path)).toEqual([]);
  });

  it('with an index: searches it as it is and says how far behind the log it is', async () => {
    const path = join(tempDir(), 's.kohakutr');
    const b = keep(debuggingSession(path));
    indexBlocks(b.store);
    b.user('a question about websockets').say('websockets answer').flush();
    const store = keep(SessionStore.open(path, { readonly: true }));
    expect(indexBlocks(store)).toEqual({ added: 0, blocks: 15, where: 'file', behind: 2 });
    expect(await searchSession(store, 'websockets', { mode: 'fts' })).toEqual([]);
    expect((await searchSession(store, 'regression test', { mode: 'fts' })).length).toBeGreaterThan(0);
  });

  it('semantic search of a read-only session without vectors says to run kt embedding', async () => {
    const path = join(tempDir(), 's.kohakutr');
    debuggingSession(path).close();
    const store = keep(SessionStore.open(path, { readonly: true }));
    await expect(searchSession(store, 'token', { mode: 'semantic' })).rejects.toThrow(/kt embedding|embeddings/);
  });
});
