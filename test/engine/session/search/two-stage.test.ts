import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveEmbeddingConfig } from '../../../../source/engine/session/search/embeddings/create.js';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';
import { indexBlocks, VECTORS_STATE_KEY } from '../../../../source/engine/session/search/index.js';
import { quantisedTablesExist } from '../../../../source/engine/session/search/quantised.js';
import { searchSession, type SearchHit } from '../../../../source/engine/session/search/search.js';
import { embedBlocks, vectorPosition, type VectorPosition } from '../../../../source/engine/session/search/vectors.js';
import { SessionBuilder, tempDir } from './fixtures.js';

const builders: SessionBuilder[] = [];
afterEach(() => {
  for (const b of builders.splice(0)) b.close();
});

/** A fixed-seed corpus of made-up coding chatter: blocks share words unevenly, like real ones. */
function corpus(turns: number, seed = 7): { b: SessionBuilder; words: (n?: number) => string } {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const stems = ['auth', 'cache', 'token', 'index', 'query', 'build', 'deploy', 'socket'];
  const vocab = Array.from({ length: 300 }, (_, i) => `${stems[i % stems.length]}${i.toString(36)}`);
  const word = () => vocab[Math.floor(vocab.length * rand() ** 2)] as string;
  const words = (n = 3) => Array.from({ length: n }, word).join(' ');
  const b = new SessionBuilder(join(tempDir(), 's.kohakutr'));
  builders.push(b);
  for (let i = 0; i < turns; i++) b.user(words(8)).tool('grep', { pattern: word() }, words(20)).say(words(25));
  b.flush();
  indexBlocks(b.store);
  saveEmbeddingConfig(b.store, { provider: 'hash', model: 'hash-v1', dimensions: 256 });
  return { b, words };
}

const key = (h: SearchHit) => `${h.round}:${h.block}:${h.score}`;

async function bothWays(b: SessionBuilder, query: string, k: number): Promise<{ exact: string[]; twoStage: string[] }> {
  const run = (twoStageFrom: number) => searchSession(b.store, query, { mode: 'semantic', k, index: false, twoStageFrom, embedder: new HashEmbedder() });
  return { exact: (await run(Infinity)).map(key), twoStage: (await run(1)).map(key) };
}

describe('two-stage vector search', () => {
  it('returns the exact top blocks, with their exact scores, from the int8 copy', async () => {
    const { b, words } = corpus(60);
    // Small chunks and batches that do not line up with them: the copy is extended across chunk ends.
    await embedBlocks(b.store, new HashEmbedder(), { batch: 7, quantisedChunk: 16 });
    const position = vectorPosition(b.store) as VectorPosition;
    expect(position.quantised).toEqual({ count: 180, lastBlockId: position.lastBlockId, chunk: 16 });
    for (let i = 0; i < 12; i++) {
      const { exact, twoStage } = await bothWays(b, words(i % 3 === 0 ? 12 : 3), 10);
      expect(exact).toHaveLength(10);
      expect(twoStage).toEqual(exact);
    }
  });

  it('keeps sessions under the threshold exact, and dense queries on the exact scan', async () => {
    const { b, words } = corpus(10);
    await embedBlocks(b.store, new HashEmbedder());
    const query = words(200); // touches most dimensions: the column-wise stage would read them all
    const { exact, twoStage } = await bothWays(b, query, 5);
    expect(twoStage).toEqual(exact);
    const short = words(3);
    const defaults = await searchSession(b.store, short, { mode: 'semantic', k: 5, index: false, embedder: new HashEmbedder() });
    expect(defaults.map(key)).toEqual((await bothWays(b, short, 5)).exact);
  });

  it('adds the copy to vectors embedded by an older version, which meanwhile still search exactly', async () => {
    const { b, words } = corpus(40);
    await embedBlocks(b.store, new HashEmbedder(), { quantisedChunk: 32 });
    const db = b.store.database;
    // What an older kt leaves: the float vectors and a position without a copy.
    db.exec('DROP TABLE search_q8_256; DROP TABLE search_q8_256_chunks');
    const { quantised: _dropped, ...old } = vectorPosition(b.store) as VectorPosition;
    b.store.setState(VECTORS_STATE_KEY, old);
    const queries = Array.from({ length: 6 }, () => words(3));
    const before = await Promise.all(queries.map((q) => bothWays(b, q, 10)));
    for (const { exact, twoStage } of before) expect(twoStage).toEqual(exact);

    // New blocks arrive, then the next embedding run (kt embedding, or the update before kt search) upgrades.
    b.user(words(8)).say(words(25)).flush();
    indexBlocks(b.store);
    expect(await embedBlocks(b.store, new HashEmbedder(), { quantisedChunk: 32 })).toEqual({ added: 2, total: 122 });
    expect(quantisedTablesExist(db, 256)).toBe(true);
    const position = vectorPosition(b.store) as VectorPosition;
    expect(position.quantised).toEqual({ count: 122, lastBlockId: position.lastBlockId, chunk: 32 });
    for (const q of queries) {
      const { exact, twoStage } = await bothWays(b, q, 10);
      expect(twoStage).toEqual(exact);
    }
  });

  it('catches up a copy left behind by an older version that embedded more blocks', async () => {
    const { b, words } = corpus(20);
    const embedder = new HashEmbedder();
    await embedBlocks(b.store, embedder, { quantisedChunk: 8 });
    const behind = (vectorPosition(b.store) as VectorPosition).quantised;
    b.user(words(8)).tool('read', { path: 'x' }, words(20)).say(words(25)).flush();
    indexBlocks(b.store);
    // An older kt adds vectors and keeps the rest of the state as it found it.
    const db = b.store.database;
    const rows = db.prepare('SELECT id, content FROM search_blocks WHERE id > ? ORDER BY id').all((vectorPosition(b.store) as VectorPosition).lastBlockId) as Array<{ id: number; content: string }>;
    for (const row of rows) db.prepare('INSERT INTO search_vec_256 (rowid, embedding) VALUES (?, ?)').run(BigInt(row.id), embedder.embedOne(row.content));
    b.store.setState(VECTORS_STATE_KEY, { ...(vectorPosition(b.store) as VectorPosition), lastBlockId: rows.at(-1)!.id });
    // Behind: searches stay exact until the next run catches the copy up.
    const meanwhile = await bothWays(b, words(3), 10);
    expect(meanwhile.twoStage).toEqual(meanwhile.exact);
    expect(await embedBlocks(b.store, embedder, { quantisedChunk: 8 })).toEqual({ added: 0, total: 63 });
    const position = vectorPosition(b.store) as VectorPosition;
    expect(position.quantised).toEqual({ count: 63, lastBlockId: position.lastBlockId, chunk: 8 });
    expect(behind?.count).toBe(60);
    for (let i = 0; i < 6; i++) {
      const { exact, twoStage } = await bothWays(b, words(3), 10);
      expect(twoStage).toEqual(exact);
    }
  });
});
