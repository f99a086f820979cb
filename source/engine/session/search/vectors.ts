/**
 * Block vectors in a sqlite-vec `vec0` table (`search_vec_<dims>`, cosine
 * distance, rowid = block id), filled incrementally after the block index.
 *
 * The state key `search.vectors` records which embedder made the vectors
 * and the last block embedded. A session keeps one set of vectors: embedding
 * with another model (or width) drops the old table and starts over, since
 * vectors of different models cannot be compared.
 *
 * Embedding is async (it may call an API), so it cannot run inside an
 * SQLite transaction. Blocks are embedded a batch at a time outside any
 * transaction; then the batch's vectors and the new position are written
 * in one, after checking that nobody else moved the position meanwhile.
 *
 * Alongside the float vectors the same transaction writes an int8 copy
 * (quantised.ts). Large sessions search it first and re-rank its best
 * candidates exactly; small ones, read-only files whose copy is missing or
 * behind, and dense queries use sqlite-vec's exact scan alone. A session
 * embedded before the copy existed gets it on its next embedding run.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { SessionError } from '../../errors.js';
import type { SessionStore } from '../store.js';
import type { Embedder } from './embeddings/provider.js';
import { guarded } from './errors.js';
import { VECTORS_STATE_KEY } from './index.js';
import { DEFAULT_QUANTISED_CHUNK, appendQuantised, createQuantised, quantise, quantisedCandidates, quantisedTablesExist, type QuantisedPosition } from './quantised.js';
import { BLOCKS_TABLE, VEC_TABLE_PATTERN, dropVecTables, hasTables, vecTableName } from './tables.js';
import { appendVectors } from './vec-append.js';
import { loadVectorExtension } from './vec-extension.js';
import { ALONE, type WriteTurn } from './write-turn.js';

/** Where the vectors stand, as kept in state. */
export interface VectorPosition {
  table: string;
  /** `Embedder.id` of the model that made them. */
  embedder: string;
  dimensions: number;
  /** The last block embedded. */
  lastBlockId: number;
  /** The int8 copy for two-stage search; absent in files embedded by older versions until their next embedding run. */
  quantised?: QuantisedPosition;
}

export interface VectorInfo extends VectorPosition {
  /** Blocks that have a vector. */
  count: number;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /** Blocks embedded per round trip and per transaction (default: the embedder's batchSize, else 256). */
  batch?: number;
  /** Called after each committed batch with the running totals. */
  onProgress?: (done: number, total: number) => void;
  /** Vectors per chunk of a new int8 copy (default 4096; tests make it small). */
  quantisedChunk?: number;
  /**
   * Following an indexer that is still adding blocks: called when fewer blocks than a batch are left to
   * embed; resolves true once more were indexed (embedding goes on with whole batches), false when the
   * indexer is done (the rest is embedded and the run ends).
   */
  whenShort?: () => Promise<boolean>;
  /** Taken around each write transaction (another thread of this process writes the same file: write-turn.ts). */
  writeTurn?: WriteTurn;
}

export interface NearestOptions {
  /** Vectors from which the int8 copy ranks candidates first (default TWO_STAGE_FROM; Infinity: always exact). */
  twoStageFrom?: number;
}

/** Below this many vectors the exact scan is cheap enough (~8 ms CPU at 20k × 256) to keep every search exact. */
export const TWO_STAGE_FROM = 20_000;
/** Candidates re-ranked exactly per wanted neighbour: 2 gave recall@10 and @50 of 1.0 on the 100k bench corpus. */
const CANDIDATES_PER_HIT = 2;
const MIN_CANDIDATES = 32;
/** Past this k, re-ranking candidates one lookup at a time costs more than the exact scan. */
const MAX_TWO_STAGE_K = 1024;

/** vec0 answers at most this many neighbours per query. */
export const MAX_KNN = 4096;

/** The session's vectors, when it has any usable ones. */
export function vectorInfo(store: SessionStore): VectorInfo | undefined {
  return guarded(store.path, () => {
    const position = vectorPosition(store);
    if (!position) return undefined;
    return { ...position, count: blocksUpTo(store.database, position.lastBlockId) };
  });
}

/**
 * Where the session's vectors stand, when it has at least one: what a search
 * needs. Unlike vectorInfo it does not count them, which at 100k blocks
 * cost more than the full-text half of a hybrid search.
 */
export function vectorPosition(store: SessionStore): VectorPosition | undefined {
  return guarded(store.path, () => {
    const position = store.getState<VectorPosition | null>(VECTORS_STATE_KEY);
    if (!position || !VEC_TABLE_PATTERN.test(position.table) || !hasTables(store.database, 'main')) return undefined;
    if (!tableExists(store.database, position.table)) return undefined;
    const any = store.database.prepare(`SELECT 1 FROM main.${BLOCKS_TABLE} WHERE id <= ? LIMIT 1`).get(position.lastBlockId);
    return any === undefined ? undefined : position;
  });
}

/**
 * Embed every indexed block that has no vector yet. Returns how many were
 * added and how many have vectors now. The session must be open for writing
 * and its block index built (indexBlocks) first.
 */
export async function embedBlocks(store: SessionStore, embedder: Embedder, options: EmbedOptions = {}): Promise<{ added: number; total: number }> {
  if (store.readonly) throw new SessionError(`${store.path} is open read-only; embeddings are stored in the session file`);
  const db = store.database;
  const batch = Math.max(1, options.batch ?? embedder.batchSize ?? 256);
  const table = vecTableName(embedder.dimensions);
  const turn = options.writeTurn ?? ALONE;
  guarded(store.path, () => {
    if (!hasTables(db, 'main')) throw new SessionError(`${store.path} has no block index to embed yet; index it first (indexBlocks)`);
    loadVectorExtension(db);
    turn(() => prepareTable(store, embedder, table, options.quantisedChunk ?? DEFAULT_QUANTISED_CHUNK));
  });
  syncQuantised(store, table, options.quantisedChunk ?? DEFAULT_QUANTISED_CHUNK, batch, options.signal, turn);
  const next = db.prepare(`SELECT id, content FROM main.${BLOCKS_TABLE} WHERE id > ? ORDER BY id LIMIT ?`);
  const total = guarded(store.path, () => blocksUpTo(db, Number.MAX_SAFE_INTEGER));

  let added = 0;
  // Blocks up to `at` (the last one embedded), for progress: counted once, then carried on by each batch
  // (the blocks up to a batch's last one are those before it plus the batch), as long as no other run
  // moved the position in between. A count reads every block's index entry: ~4 ms each at 100k blocks.
  let counted: { at: number; n: number } | undefined;
  let following = options.whenShort !== undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const position = currentPosition(store);
    if (!position || position.embedder !== embedder.id) throw new SessionError(`the vectors of ${store.path} were replaced by another embedding run`);
    const rows = guarded(store.path, () => next.all(position.lastBlockId, batch) as Array<{ id: number; content: string }>);
    if (following && rows.length < batch) {
      following = (await options.whenShort?.()) === true;
      continue;
    }
    if (!rows.length) break;
    const vectors = await embedder.embed(rows.map((r) => r.content), options.signal);
    if (vectors.length !== rows.length) throw new SessionError(`the embedder returned ${vectors.length} vectors for ${rows.length} blocks`);
    const lastId = (rows.at(-1) as { id: number }).id;
    const ids = rows.map((r) => r.id);
    // Quantised before the transaction: the write lock is held only to store.
    const int8 = quantise(embedder.dimensions, ids, vectors);
    const committed = guarded(store.path, () =>
      turn(() => db.transaction(() => {
        const now = currentPosition(store);
        // Another process embedded these blocks meanwhile: keep its work, read on from its position.
        if (!now || now.embedder !== position.embedder || now.lastBlockId !== position.lastBlockId) return false;
        appendVectors(db, table, ids, vectors);
        // A copy that is behind (being backfilled by syncQuantised) is not appended to, or it would skip blocks.
        const q = now.quantised;
        const quantised = q && q.lastBlockId === now.lastBlockId ? appendQuantised(db, now.dimensions, q, int8) : q;
        store.setState(VECTORS_STATE_KEY, { ...now, lastBlockId: lastId, ...(quantised ? { quantised } : {}) } satisfies VectorPosition);
        return true;
      }).immediate()),
    );
    if (committed) {
      added += rows.length;
      counted = counted?.at === position.lastBlockId ? { at: lastId, n: counted.n + rows.length } : { at: lastId, n: guarded(store.path, () => blocksUpTo(db, lastId)) };
      options.onProgress?.(counted.n, total);
    }
    // A turn of the event loop between batches: a local embedder never waits, so without it an interrupt
    // (kt embedding's SIGINT handler, or a stop sent to the embedding thread) would be heard only at the end.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { added, total: vectorInfo(store)?.count ?? 0 };
}

/** The `limit` nearest blocks to `vector` by cosine distance, nearest first (see the file comment for when it is two-stage). */
export function nearestBlocks(
  store: SessionStore,
  info: VectorPosition,
  vector: Float32Array,
  limit: number,
  options: NearestOptions = {},
): Array<{ id: number; distance: number }> {
  if (!VEC_TABLE_PATTERN.test(info.table)) throw new SessionError(`bad vector table name '${info.table}'`);
  const k = Math.min(MAX_KNN, Math.max(1, limit));
  return guarded(store.path, () => {
    const db = store.database;
    loadVectorExtension(db);
    const q = info.quantised;
    if (q && q.lastBlockId === info.lastBlockId && q.count >= (options.twoStageFrom ?? TWO_STAGE_FROM) && k <= MAX_TWO_STAGE_K && vector.length === info.dimensions) {
      const near = quantisedTablesExist(db, info.dimensions) ? twoStage(db, info.table, q, vector, k) : undefined;
      if (near) return near;
    }
    const rows = db
      .prepare(`SELECT rowid AS id, distance FROM main.${info.table} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
      .all(vector, k) as Array<{ id: number | bigint; distance: number }>;
    return rows.map((r) => ({ id: Number(r.id), distance: r.distance }));
  });
}

/**
 * Blocks with an id up to `id`: all of them less those after it. A plain count(*) reads the small
 * creature index, and the blocks after `id` are few or none; counting `WHERE id <= ?` instead reads the
 * whole block table with its text (27 MB at 100k blocks, ~10-40 ms a count).
 */
function blocksUpTo(db: BetterSqlite3.Database, id: number): number {
  const all = (db.prepare(`SELECT count(*) AS n FROM main.${BLOCKS_TABLE}`).get() as { n: number }).n;
  const after = (db.prepare(`SELECT count(*) AS n FROM main.${BLOCKS_TABLE} WHERE id > ?`).get(id) as { n: number }).n;
  return all - after;
}

/** Candidates from the int8 copy, re-ranked by their exact distance as sqlite-vec computes it. */
function twoStage(db: BetterSqlite3.Database, table: string, q: QuantisedPosition, vector: Float32Array, k: number): Array<{ id: number; distance: number }> | undefined {
  const ids = quantisedCandidates(db, q, vector, Math.max(k * CANDIDATES_PER_HIT, MIN_CANDIDATES));
  if (!ids) return undefined;
  const exact = db.prepare(`SELECT vec_distance_cosine(embedding, ?) AS distance FROM main.${table} WHERE rowid = ?`).pluck();
  const scored = ids.flatMap((id) => {
    const distance = exact.get(vector, BigInt(id)) as number | undefined;
    return distance === undefined ? [] : [{ id, distance }];
  });
  return scored.sort((a, b) => a.distance - b.distance || a.id - b.id).slice(0, k);
}

/**
 * Bring the int8 copy level with the float vectors: start it over when it
 * is missing or does not match them (a file embedded by an older version,
 * or re-embedded by one), else copy the blocks it lacks, read back from
 * the float table. Each chunk commits on its own, like embedding batches.
 */
function syncQuantised(store: SessionStore, table: string, chunk: number, batch: number, signal: AbortSignal | undefined, turn: WriteTurn): void {
  const db = store.database;
  guarded(store.path, () =>
    turn(() => db.transaction(() => {
      const now = currentPosition(store);
      if (!now || now.table !== table) return;
      const q = now.quantised;
      if (q && q.lastBlockId <= now.lastBlockId && quantisedTablesExist(db, now.dimensions)) return;
      createQuantised(db, now.dimensions);
      store.setState(VECTORS_STATE_KEY, { ...now, quantised: { count: 0, lastBlockId: 0, chunk } } satisfies VectorPosition);
    }).immediate()),
  );
  const nextIds = db.prepare(`SELECT id FROM main.${BLOCKS_TABLE} WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`).pluck();
  const read = db.prepare(`SELECT embedding FROM main.${table} WHERE rowid = ?`).pluck();
  for (;;) {
    signal?.throwIfAborted();
    const position = currentPosition(store);
    const q = position?.quantised;
    if (!position || position.table !== table || !q || q.lastBlockId >= position.lastBlockId) return;
    const ids: number[] = [];
    const vectors: Float32Array[] = [];
    guarded(store.path, () => {
      for (const id of nextIds.all(q.lastBlockId, position.lastBlockId, Math.max(batch, chunk)) as number[]) {
        const blob = read.get(BigInt(id)) as Buffer | undefined;
        if (!blob) continue;
        ids.push(id);
        vectors.push(new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.length)));
      }
    });
    const int8 = quantise(position.dimensions, ids, vectors);
    guarded(store.path, () =>
      turn(() => db.transaction(() => {
        const now = currentPosition(store);
        if (!now || now.table !== table || now.quantised?.lastBlockId !== q.lastBlockId || now.quantised.count !== q.count) return;
        const next = ids.length ? appendQuantised(db, now.dimensions, q, int8) : q;
        // Blocks without a vector (none expected) are passed over rather than looked for again.
        store.setState(VECTORS_STATE_KEY, { ...now, quantised: { ...next, lastBlockId: ids.length ? next.lastBlockId : now.lastBlockId } } satisfies VectorPosition);
      }).immediate()),
    );
  }
}

/** Make sure the table for this embedder exists, dropping vectors of any other embedder. */
function prepareTable(store: SessionStore, embedder: Embedder, table: string, chunk: number): void {
  const db = store.database;
  db.transaction(() => {
    const position = currentPosition(store);
    if (position && position.embedder === embedder.id && position.table === table && tableExists(db, table)) return;
    dropVecTables(db);
    db.exec(`CREATE VIRTUAL TABLE main.${table} USING vec0(embedding float[${embedder.dimensions}] distance_metric=cosine)`);
    createQuantised(db, embedder.dimensions);
    const quantised: QuantisedPosition = { count: 0, lastBlockId: 0, chunk };
    store.setState(VECTORS_STATE_KEY, { table, embedder: embedder.id, dimensions: embedder.dimensions, lastBlockId: 0, quantised } satisfies VectorPosition);
  }).immediate();
}

function currentPosition(store: SessionStore): VectorPosition | undefined {
  return store.getState<VectorPosition | null>(VECTORS_STATE_KEY) ?? undefined;
}

function tableExists(db: BetterSqlite3.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}
