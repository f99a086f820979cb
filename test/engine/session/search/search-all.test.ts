import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NoVectorsError } from '../../../../source/engine/session/search/errors.js';
import { saveEmbeddingConfig } from '../../../../source/engine/session/search/embeddings/create.js';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';
import { indexBlocks } from '../../../../source/engine/session/search/index.js';
import { searchAll } from '../../../../source/engine/session/search/search-all.js';
import { embedBlocks } from '../../../../source/engine/session/search/vectors.js';
import { SessionBuilder, tempDir } from './fixtures.js';

/** A folder of sessions, aged so `old` is oldest and `new` newest, plus two files that are not sessions. */
function folder(): { dir: string; live: SessionBuilder } {
  const dir = tempDir();
  const hour = 3600;
  const now = Date.now() / 1000;
  const make = (name: string, age: number, fill: (b: SessionBuilder) => void) => {
    const b = new SessionBuilder(join(dir, `${name}.kohakutr`));
    fill(b);
    b.flush();
    return { b, age };
  };
  const sessions = [
    make('old', 30 * hour, (b) => b.user('the websocket reconnect loop spins').say('Websocket reconnect now backs off exponentially.')),
    make('mid', 10 * hour, (b) => b.user('why is the build slow').say('The build is slow because the websocket tests wait for timeouts.')),
    make('new', 1 * hour, (b) => b.user('plan the release notes').say('Release notes drafted.')),
  ];
  for (const { b, age } of sessions.slice(0, 2)) {
    b.close();
    utimesSync(b.path, now - age, now - age);
  }
  // The newest stays open, as if its creature were still running and writing.
  const live = (sessions[2] as { b: SessionBuilder }).b;
  writeFileSync(join(dir, 'notes.kohakutr'), 'not a database at all');
  const other = new Database(join(dir, 'other.kohakutr'));
  other.exec('CREATE TABLE t (x)');
  other.close();
  return { dir, live };
}

describe('searchAll', () => {
  it('searches every session, merges by score and names each hit’s session', async () => {
    const { dir, live } = folder();
    try {
      const result = await searchAll(dir, 'websocket reconnect', { mode: 'fts' });
      expect(result.searched).toBe(3);
      expect(result.hits.length).toBeGreaterThan(0);
      expect(new Set(result.hits.map((h) => h.sessionName))).toEqual(new Set(['old', 'mid']));
      expect(result.hits[0]?.sessionName).toBe('old'); // the strongest match, though not the newest session
      for (let i = 1; i < result.hits.length; i++) expect(result.hits[i - 1]!.score).toBeGreaterThanOrEqual(result.hits[i]!.score);
      expect(result.hits[0]?.session).toBe(join(dir, 'old.kohakutr'));
      expect(result.warnings.filter((w) => w.startsWith('notes:') || w.startsWith('other:'))).toHaveLength(2);
      expect(result.warnings.join('\n')).toMatch(/other: skipped: .*not a KohakuTerrarium session/);
    } finally {
      live.close();
    }
  });

  it('finds what a session still being written logged since the last search', async () => {
    const { dir, live } = folder();
    try {
      expect((await searchAll(dir, 'kubernetes', { mode: 'fts' })).hits).toEqual([]);
      live.user('deploy it to kubernetes').flush();
      const { hits } = await searchAll(dir, 'kubernetes', { mode: 'fts' });
      expect(hits.map((h) => h.sessionName)).toEqual(['new']);
    } finally {
      live.close();
    }
  });

  it('keeps the best k over all sessions', async () => {
    const { dir, live } = folder();
    live.close();
    const { hits } = await searchAll(dir, 'websocket build release reconnect', { mode: 'fts', k: 2 });
    expect(hits).toHaveLength(2);
  });

  it('searches without writing when asked (index: false), through temporary indexes', async () => {
    const { dir, live } = folder();
    live.close();
    const { hits, searched } = await searchAll(dir, 'release notes', { mode: 'fts', index: false });
    expect(searched).toBe(3);
    expect(hits[0]?.sessionName).toBe('new');
  });

  it('semantic: searches the sessions with vectors, skips the others with a warning', async () => {
    const { dir, live } = folder();
    live.close();
    await expect(searchAll(dir, 'websocket', { mode: 'semantic' })).rejects.toBeInstanceOf(NoVectorsError);
    const b = new SessionBuilder(join(dir, 'embedded.kohakutr'));
    b.user('websocket heartbeat interval').flush();
    indexBlocks(b.store);
    saveEmbeddingConfig(b.store, { provider: 'hash', model: 'hash-v1', dimensions: 256 });
    await embedBlocks(b.store, new HashEmbedder());
    b.close();
    const result = await searchAll(dir, 'websocket heartbeat', { mode: 'semantic' });
    expect(new Set(result.hits.map((h) => h.sessionName))).toEqual(new Set(['embedded']));
    expect(result.warnings.join('\n')).toMatch(/3 session\(s\) without embeddings/);
  });

  it('an empty or missing folder yields nothing', async () => {
    expect(await searchAll(join(tempDir(), 'absent'), 'x')).toEqual({ hits: [], searched: 0, warnings: [] });
  });
});
