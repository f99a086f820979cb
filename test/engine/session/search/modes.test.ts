import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionError } from '../../../../source/engine/errors.js';
import { readEmbeddingConfig, saveEmbeddingConfig } from '../../../../source/engine/session/search/embeddings/create.js';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';
import { NoVectorsError } from '../../../../source/engine/session/search/errors.js';
import { reciprocalRankFusion } from '../../../../source/engine/session/search/fusion.js';
import { indexBlocks } from '../../../../source/engine/session/search/index.js';
import { searchSession, type SearchHit } from '../../../../source/engine/session/search/search.js';
import { vecTables } from '../../../../source/engine/session/search/tables.js';
import { updateIndex } from '../../../../source/engine/session/search/update.js';
import { embedBlocks, vectorInfo } from '../../../../source/engine/session/search/vectors.js';
import { SessionStore } from '../../../../source/engine/session/store.js';
import { debuggingSession, type SessionBuilder, tempDir } from './fixtures.js';

const builders: SessionBuilder[] = [];
afterEach(() => {
  for (const b of builders.splice(0)) b.close();
});

/** The debugging session, indexed, with hash vectors when asked. */
async function session(options: { vectors?: boolean } = {}): Promise<SessionBuilder> {
  const b = debuggingSession(join(tempDir(), 's.kohakutr'));
  builders.push(b);
  indexBlocks(b.store);
  if (options.vectors) {
    const embedder = new HashEmbedder();
    saveEmbeddingConfig(b.store, { provider: 'hash', model: 'hash-v1', dimensions: 256 });
    await embedBlocks(b.store, embedder);
  }
  return b;
}

const key = (h: SearchHit) => `${h.creature}:${h.round}:${h.block}`;

describe('vectors', () => {
  it('embeds every block once, and only new blocks later', async () => {
    const b = await session();
    const embedder = new HashEmbedder();
    expect(await embedBlocks(b.store, embedder, { batch: 4 })).toEqual({ added: 15, total: 15 });
    expect(vectorInfo(b.store)).toMatchObject({ table: 'search_vec_256', embedder: 'hash-v1:256', dimensions: 256, count: 15 });
    expect(await embedBlocks(b.store, embedder)).toEqual({ added: 0, total: 15 });
    b.user('what about websockets?').say('Websockets reconnect with backoff.').flush();
    indexBlocks(b.store);
    expect(await embedBlocks(b.store, embedder)).toEqual({ added: 2, total: 17 });
  });

  it('reports progress per committed batch', async () => {
    const b = await session();
    const seen: Array<[number, number]> = [];
    await embedBlocks(b.store, new HashEmbedder(), { batch: 6, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([
      [6, 15],
      [12, 15],
      [15, 15],
    ]);
  });

  it('counts progress again when another run embedded blocks in between', async () => {
    const b = await session();
    const embedder = new HashEmbedder();
    const other = SessionStore.open(b.path, { checked: true });
    let calls = 0;
    // While this run embeds its second batch, another one (on its own connection) commits blocks 7-9 and stops.
    const interrupted = { id: embedder.id, dimensions: embedder.dimensions, embed: async (texts: string[]) => {
      if (++calls === 2) {
        const stop = new AbortController();
        await embedBlocks(other, embedder, { batch: 3, signal: stop.signal, onProgress: () => stop.abort() }).catch(() => undefined);
      }
      return embedder.embed(texts);
    } };
    const seen: Array<[number, number]> = [];
    await embedBlocks(b.store, interrupted, { batch: 6, onProgress: (done, total) => seen.push([done, total]) });
    other.close();
    expect(seen).toEqual([
      [6, 15],
      [15, 15],
    ]);
    expect(vectorInfo(b.store)?.count).toBe(15);
  });

  it('replaces the vectors of another embedder instead of mixing them', async () => {
    const b = await session({ vectors: true });
    expect(await embedBlocks(b.store, new HashEmbedder(64))).toEqual({ added: 15, total: 15 });
    expect(vectorInfo(b.store)?.table).toBe('search_vec_64');
    expect(vecTables(b.store.database)).toEqual(['search_vec_64']);
  });

  it('stops at an abort, keeping the batches already committed', async () => {
    const b = await session();
    const controller = new AbortController();
    const embedder = new HashEmbedder();
    const stopping = { id: embedder.id, dimensions: embedder.dimensions, embed: async (texts: string[]) => {
      const out = await embedder.embed(texts);
      controller.abort(new Error('stop'));
      return out;
    } };
    await expect(embedBlocks(b.store, stopping, { batch: 5, signal: controller.signal })).rejects.toThrow('stop');
    expect(vectorInfo(b.store)?.count).toBe(5);
  });

  it('refuses to embed into a read-only session', async () => {
    const b = await session();
    const { SessionStore } = await import('../../../../source/engine/session/store.js');
    const store = SessionStore.open(b.path, { readonly: true });
    try {
      await expect(embedBlocks(store, new HashEmbedder())).rejects.toThrow(/read-only/);
    } finally {
      store.close();
    }
  });
});

describe('search modes', () => {
  it('semantic: nearest blocks by cosine, score = 1 - distance, best first', async () => {
    const b = await session({ vectors: true });
    const hits = await searchSession(b.store, 'token expiry compared in seconds against milliseconds', { mode: 'semantic', k: 5 });
    expect(hits).toHaveLength(5);
    expect(hits[0]?.content).toMatch(/seconds/);
    for (const hit of hits) expect(hit.score).toBeLessThanOrEqual(1);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it('semantic with a creature filter still returns k hits of that creature', async () => {
    const b = await session({ vectors: true });
    const hits = await searchSession(b.store, 'token', { mode: 'semantic', k: 3, creature: 'explore' });
    expect(hits).toHaveLength(3);
    expect(hits.every((h) => h.creature === 'swe/explore')).toBe(true);
  });

  it('hybrid: the RRF (k = 60) of the FTS and vector rankings', async () => {
    const b = await session({ vectors: true });
    const query = 'expiry unit bug';
    const k = 4;
    // The lists hybrid fuses: each 50 deep (max(4k, 50)).
    const fts = await searchSession(b.store, query, { mode: 'fts', k: 50 });
    const semantic = await searchSession(b.store, query, { mode: 'semantic', k: 50 });
    const ids = new Map<string, number>();
    const id = (h: SearchHit) => ids.get(key(h)) ?? (ids.set(key(h), ids.size), ids.size - 1);
    const expected = reciprocalRankFusion([fts.map(id), semantic.map(id)]).slice(0, k);
    const hybrid = await searchSession(b.store, query, { mode: 'hybrid', k });
    expect(hybrid.map((h) => ids.get(key(h)))).toEqual(expected.map((e) => e.id));
    hybrid.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 12));
  });

  it('auto: hybrid when vectors exist, fts otherwise', async () => {
    const plain = await session();
    expect(await searchSession(plain.store, 'token expiry', { mode: 'auto' })).toEqual(await searchSession(plain.store, 'token expiry', { mode: 'fts' }));
    const embedded = await session({ vectors: true });
    expect(await searchSession(embedded.store, 'token expiry', { mode: 'auto' })).toEqual(await searchSession(embedded.store, 'token expiry', { mode: 'hybrid' }));
    expect(await searchSession(embedded.store, 'token expiry')).toEqual(await searchSession(embedded.store, 'token expiry', { mode: 'hybrid' }));
  });

  it('semantic without vectors: a typed error telling to run kt embedding', async () => {
    const b = await session();
    const failure = await searchSession(b.store, 'token', { mode: 'semantic' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NoVectorsError);
    expect((failure as NoVectorsError).code).toBe('NO_VECTORS');
    expect((failure as NoVectorsError).hint).toMatch(/kt embedding/);
  });

  it('hybrid without vectors: falls back to fts and says so', async () => {
    const b = await session();
    const notes: string[] = [];
    const hits = await searchSession(b.store, 'token expiry', { mode: 'hybrid', onNote: (n) => notes.push(n) });
    expect(hits).toEqual(await searchSession(b.store, 'token expiry', { mode: 'fts' }));
    expect(notes.join()).toMatch(/fell back to full text/);
  });

  it('refuses a query embedder that does not match the stored vectors', async () => {
    const b = await session({ vectors: true });
    await expect(searchSession(b.store, 'token', { mode: 'semantic', embedder: new HashEmbedder(128) })).rejects.toThrow(SessionError);
    await expect(searchSession(b.store, 'token', { mode: 'semantic', embedder: new HashEmbedder(128) })).rejects.toThrow(/made by hash-v1:256/);
  });

  it('rejects an unknown mode', async () => {
    const b = await session();
    await expect(searchSession(b.store, 'x', { mode: 'fuzzy' as never })).rejects.toThrow(/unknown search mode/);
  });
});

describe('updateIndex', () => {
  it('indexes new events and embeds them with the saved embedding config', async () => {
    const b = await session({ vectors: true });
    b.user('the deploy pipeline is flaky on Fridays').flush();
    const result = await updateIndex(b.store);
    expect(result.blocks.added).toBe(1);
    expect(result.vectors).toEqual({ added: 1, total: 16 });
    expect(result.embedder?.id).toBe('hash-v1:256');
    expect(readEmbeddingConfig(b.store)).toEqual({ provider: 'hash', model: 'hash-v1', dimensions: 256 });
    const [hit] = await searchSession(b.store, 'flaky deploys', { mode: 'semantic', k: 1, index: false });
    expect(hit?.content).toContain('flaky on Fridays');
  });

  it('makes no vectors when the session has no embedding config', async () => {
    const b = await session();
    const result = await updateIndex(b.store);
    expect(result.vectors).toBeUndefined();
    expect(vectorInfo(b.store)).toBeUndefined();
  });

  it('turns an embedding failure into a note when asked to', async () => {
    const b = await session({ vectors: true });
    saveEmbeddingConfig(b.store, { provider: 'api', model: 'text-embedding-3-small', dimensions: 1536, backend: 'no-such-backend' });
    const notes: string[] = [];
    const result = await updateIndex(b.store, { env: { KT_CONFIG_DIR: tempDir() }, onNote: (n) => notes.push(n) });
    expect(result.vectors).toBeUndefined();
    expect(notes.join()).toMatch(/not embedded/);
    await expect(updateIndex(b.store, { env: { KT_CONFIG_DIR: tempDir() } })).rejects.toThrow(/no-such-backend/);
  });
});
