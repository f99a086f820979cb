/**
 * Scale figures for the search (not a pass/fail test): index 100k blocks
 * with hash vectors, then time queries. Runs only with KT_SEARCH_BENCH=1:
 *
 *   KT_SEARCH_BENCH=1 npx vitest run test/engine/session/search/scale.bench.test.ts
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';
import { saveEmbeddingConfig } from '../../../../source/engine/session/search/embeddings/create.js';
import { indexBlocks } from '../../../../source/engine/session/search/index.js';
import { searchSession, type SearchMode } from '../../../../source/engine/session/search/search.js';
import { embedBlocks } from '../../../../source/engine/session/search/vectors.js';
import { SessionBuilder, tempDir } from './fixtures.js';

const TARGET_BLOCKS = 100_000;

/** Deterministic pseudo-random numbers (mulberry32), so every run indexes the same text. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = 'the a to of and in is it that for on with as this be are was by or from at not'.split(' ');
const rand = random(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
// A few thousand made-up words with a skewed (Zipf-like) use, like real text.
const VOCAB = Array.from({ length: 4000 }, (_, i) => `${pick(['auth', 'cache', 'token', 'index', 'query', 'build', 'test', 'deploy', 'socket', 'parser'])}${i.toString(36)}`);
const word = () => (rand() < 0.4 ? pick(COMMON) : (VOCAB[Math.floor(VOCAB.length * rand() ** 3)] as string));
const sentence = (n: number) => Array.from({ length: n }, word).join(' ');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] as number;

describe.skipIf(!process.env.KT_SEARCH_BENCH)('search at 100k blocks', () => {
  it('indexes and queries', { timeout: 600_000 }, async () => {
    const b = new SessionBuilder(join(tempDir(), 'big.kohakutr'));
    // One round ≈ user + 2 tool blocks + 1–2 text blocks, with streaming deltas and usage events between.
    let t = performance.now();
    let expected = 0;
    while (expected < TARGET_BLOCKS) {
      const twoParagraphs = rand() < 0.5;
      expected += 3 + (twoParagraphs ? 2 : 1);
      b.user(sentence(12));
      for (let i = 0; i < 2; i++) b.tool(pick(['bash', 'read', 'grep']), { path: `src/${word()}.ts`, pattern: word() }, sentence(40));
      for (let i = 0; i < 4; i++) b.emit({ type: 'text.delta', step: 1, text: sentence(3) });
      b.say(twoParagraphs ? `${sentence(45)}\n\n${sentence(45)}` : sentence(45));
      b.noise();
      if (b.store.unflushed > 20_000) b.flush();
    }
    b.flush();
    const events = b.store.lastEventId();
    const writeMs = performance.now() - t;

    t = performance.now();
    const { blocks } = indexBlocks(b.store);
    const ftsMs = performance.now() - t;
    t = performance.now();
    const embedder = new HashEmbedder(256);
    saveEmbeddingConfig(b.store, { provider: 'hash', model: 'hash-v1', dimensions: 256 });
    await embedBlocks(b.store, embedder, { batch: 1000 });
    const vecMs = performance.now() - t;
    t = performance.now();
    indexBlocks(b.store);
    const noopMs = performance.now() - t;
    expect(blocks).toBeGreaterThanOrEqual(TARGET_BLOCKS);

    const queries = Array.from({ length: 60 }, () => `${word()} ${word()} ${pick(VOCAB)}`);
    const timings: Record<string, number[]> = {};
    for (const mode of ['fts', 'semantic', 'hybrid'] as SearchMode[]) {
      await searchSession(b.store, queries[0] as string, { mode, embedder, index: false }); // warm up
      timings[mode] = [];
      for (const query of queries) {
        const q0 = performance.now();
        await searchSession(b.store, query, { mode, k: 10, embedder, index: false });
        timings[mode]!.push(performance.now() - q0);
      }
    }
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      [
        `events ${events} (written in ${fmt(writeMs)}), blocks ${blocks}`,
        `index blocks + FTS: ${fmt(ftsMs)} (${Math.round(blocks / (ftsMs / 1000))} blocks/s)`,
        `hash-256 vectors:   ${fmt(vecMs)} (${Math.round(blocks / (vecMs / 1000))} blocks/s)`,
        `index when up to date: ${fmt(noopMs)}`,
        ...Object.entries(timings).map(([mode, xs]) => `query ${mode.padEnd(8)} p50 ${fmt(median(xs))}  p95 ${fmt(p95(xs))}`),
      ].join('\n'),
    );
    b.close();
  });
});
