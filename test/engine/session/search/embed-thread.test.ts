import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortReason } from '../../../../source/engine/errors.js';
import { runCheckpoints } from '../../../../source/engine/session/search/checkpoints.js';
import { followIndex, indexAndEmbed, type CheckpointThreadData, type EmbedThread, type EmbedThreadData } from '../../../../source/engine/session/search/embed-thread.js';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';
import type { EmbeddingConfig } from '../../../../source/engine/session/search/embeddings/provider.js';
import { vectorInfo } from '../../../../source/engine/session/search/vectors.js';
import type { SessionStore } from '../../../../source/engine/session/store.js';
import { SessionBuilder, tempDir } from './fixtures.js';

const builders: SessionBuilder[] = [];
afterEach(() => {
  for (const b of builders.splice(0)) b.close();
});

const CONFIG: EmbeddingConfig = { provider: 'hash', model: 'hash-v1', dimensions: 64 };

function session(turns: number): SessionBuilder {
  const b = new SessionBuilder(join(tempDir(), 's.kohakutr'));
  builders.push(b);
  for (let i = 0; i < turns; i++) b.user(`question ${i} about the cache`).tool('grep', { pattern: `token${i}` }, `found token${i} in auth.ts`).say(`answer ${i}: the socket parser`);
  b.flush();
  return b;
}

/** followIndex on the other end of a MessageChannel, in this thread: the protocol without a worker. */
function inThread(spawned: EmbedThreadData[] = []): (data: EmbedThreadData) => EmbedThread {
  return (data) => {
    spawned.push(data);
    const { port1, port2 } = new MessageChannel();
    const exited = followIndex(port2, data);
    return { port: port1, exited: exited.then(() => port1.close()) };
  };
}

/** Settles once stopCheckpoints was called on `cell` (its second word set). ES2024's Atomics.waitAsync, which the lib in use lacks. */
function stopped(cell: SharedArrayBuffer): Promise<unknown> {
  const waitAsync = (Atomics as unknown as { waitAsync(words: Int32Array, index: number, value: number): { value: Promise<unknown> | string } }).waitAsync;
  return Promise.resolve(waitAsync(new Int32Array(cell), 1, 0).value);
}

/** Every vector and int8 row, and the vector position, of a session. */
function vectorsOf(store: SessionStore): unknown {
  const db = store.database;
  const rows = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).raw().all();
  return {
    chunks: rows('search_vec_64_chunks'),
    vectors: rows('search_vec_64_vector_chunks00'),
    rowids: rows('search_vec_64_rowids'),
    q8: rows('search_q8_64'),
    q8chunks: rows('search_q8_64_chunks'),
    position: vectorInfo(store),
  };
}

describe('indexAndEmbed', () => {
  it('embeds on a second thread what it indexes, the same vectors as indexing then embedding', async () => {
    const sizes = { batchEvents: 7, batch: 5, quantisedChunk: 8 };
    const threaded = session(30);
    const spawned: EmbedThreadData[] = [];
    const progress: Array<[number, number]> = [];
    const result = await indexAndEmbed(threaded.store, new HashEmbedder(64), CONFIG, { ...sizes, spawn: inThread(spawned), onProgress: (done, total) => progress.push([done, total]) });
    expect(spawned).toHaveLength(1);
    expect(result).toEqual({ blocks: { added: 90, blocks: 90, where: 'file', behind: 0 }, vectors: { added: 90, total: 90 } });
    expect(progress.at(-1)).toEqual([90, 90]);

    const plain = session(30);
    const alone = await indexAndEmbed(plain.store, new HashEmbedder(64), CONFIG, { ...sizes, spawn: () => undefined });
    expect(alone).toEqual(result);
    expect(vectorsOf(threaded.store)).toEqual(vectorsOf(plain.store));
  });

  it('leaves the checkpoints to a thread of their own while the embedding thread runs: same vectors', async () => {
    const sizes = { batchEvents: 7, batch: 5, quantisedChunk: 8 };
    const threaded = session(30);
    const started: CheckpointThreadData[] = [];
    const spawned: EmbedThreadData[] = [];
    const settings: number[] = [];
    const result = await indexAndEmbed(threaded.store, new HashEmbedder(64), CONFIG, {
      ...sizes,
      spawn: inThread(spawned),
      // The checkpointing loop blocks its thread: here it runs once stopped (it then copies what is left and ends).
      spawnCheckpoints: (data) => {
        started.push(data);
        return { exited: stopped(data.cell).then(() => runCheckpoints(data.checkpointsOf, data.cell)) };
      },
      onProgress: () => settings.push(threaded.store.database.pragma('wal_autocheckpoint', { simple: true }) as number),
    });
    expect(started).toHaveLength(1);
    expect(spawned[0]?.checkpoints).toBe(started[0]?.cell);
    expect(started[0]?.writeTurn).toBe(spawned[0]?.writeTurn);
    // Off while the thread checkpoints; this connection's own setting again after the run.
    expect(new Set(settings)).toEqual(new Set([0]));
    expect(threaded.store.database.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);

    const plain = session(30);
    expect(await indexAndEmbed(plain.store, new HashEmbedder(64), CONFIG, { ...sizes, spawn: () => undefined })).toEqual(result);
    expect(vectorsOf(threaded.store)).toEqual(vectorsOf(plain.store));
  });

  it('embeds here when there is nothing new to index, and when no thread can be started', async () => {
    const b = session(3);
    const spawned: EmbedThreadData[] = [];
    expect((await indexAndEmbed(b.store, new HashEmbedder(64), CONFIG, { spawn: () => undefined })).vectors).toEqual({ added: 9, total: 9 });
    b.user('one more question').flush();
    expect((await indexAndEmbed(b.store, new HashEmbedder(64), CONFIG, { spawn: inThread(spawned) })).vectors).toEqual({ added: 1, total: 10 });
    expect(spawned).toHaveLength(1);
    expect((await indexAndEmbed(b.store, new HashEmbedder(64), CONFIG, { spawn: inThread(spawned) })).vectors).toEqual({ added: 0, total: 10 });
    expect(spawned).toHaveLength(1);
  });

  it('stops the thread on an abort and throws its reason; what it committed stays', async () => {
    const b = session(30);
    const controller = new AbortController();
    const reason = new AbortReason('interrupted');
    const run = indexAndEmbed(b.store, new HashEmbedder(64), CONFIG, {
      batchEvents: 7,
      batch: 5,
      signal: controller.signal,
      spawn: inThread(),
      // The first vectors committed: interrupt, as SIGINT would.
      onProgress: () => controller.abort(reason),
    });
    await expect(run).rejects.toBe(reason);
    const kept = vectorInfo(b.store)?.count ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(90);
  });

  it('reports what failed on the thread', async () => {
    const b = session(3);
    const broken: EmbeddingConfig = { provider: 'hash', model: 'hash-v1', dimensions: 3 };
    await expect(indexAndEmbed(b.store, new HashEmbedder(64), broken, { spawn: inThread() })).rejects.toThrow(/dimensions must be an integer from 8 to 8192/);
  });
});
