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
 */
import type BetterSqlite3 from 'better-sqlite3';
import { SessionError } from '../../errors.js';
import type { SessionStore } from '../store.js';
import type { Embedder } from './embeddings/provider.js';
import { guarded } from './errors.js';
import { VECTORS_STATE_KEY } from './index.js';
import { BLOCKS_TABLE, VEC_TABLE_PATTERN, dropVecTables, hasTables, vecTableName } from './tables.js';
import { loadVectorExtension } from './vec-extension.js';

/** Where the vectors stand, as kept in state. */
export interface VectorPosition {
  table: string;
  /** `Embedder.id` of the model that made them. */
  embedder: string;
  dimensions: number;
  /** The last block embedded. */
  lastBlockId: number;
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
}

/** vec0 answers at most this many neighbours per query. */
export const MAX_KNN = 4096;

/** The session's vectors, when it has any usable ones. */
export function vectorInfo(store: SessionStore): VectorInfo | undefined {
  return guarded(store.path, () => {
    const position = vectorPosition(store);
    if (!position) return undefined;
    const count = (store.database.prepare(`SELECT count(*) AS n FROM main.${BLOCKS_TABLE} WHERE id <= ?`).get(position.lastBlockId) as { n: number }).n;
    return { ...position, count };
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
  guarded(store.path, () => {
    if (!hasTables(db, 'main')) throw new SessionError(`${store.path} has no block index to embed yet; index it first (indexBlocks)`);
    loadVectorExtension(db);
    prepareTable(store, embedder, table);
  });
  const next = db.prepare(`SELECT id, content FROM main.${BLOCKS_TABLE} WHERE id > ? ORDER BY id LIMIT ?`);
  const insert = db.prepare(`INSERT INTO main.${table} (rowid, embedding) VALUES (?, ?)`);
  const upTo = db.prepare(`SELECT count(*) AS n FROM main.${BLOCKS_TABLE} WHERE id <= ?`);
  const total = guarded(store.path, () => upTo.get(Number.MAX_SAFE_INTEGER) as { n: number }).n;

  let added = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const position = currentPosition(store);
    if (!position || position.embedder !== embedder.id) throw new SessionError(`the vectors of ${store.path} were replaced by another embedding run`);
    const rows = guarded(store.path, () => next.all(position.lastBlockId, batch) as Array<{ id: number; content: string }>);
    if (!rows.length) break;
    const vectors = await embedder.embed(rows.map((r) => r.content), options.signal);
    if (vectors.length !== rows.length) throw new SessionError(`the embedder returned ${vectors.length} vectors for ${rows.length} blocks`);
    const lastId = (rows.at(-1) as { id: number }).id;
    const committed = guarded(store.path, () =>
      db.transaction(() => {
        const now = currentPosition(store);
        // Another process embedded these blocks meanwhile: keep its work, read on from its position.
        if (!now || now.embedder !== position.embedder || now.lastBlockId !== position.lastBlockId) return false;
        // vec0 wants its rowids as 64-bit integers; a JS number is bound as a float and refused.
        rows.forEach((row, i) => insert.run(BigInt(row.id), vectors[i] as Float32Array));
        store.setState(VECTORS_STATE_KEY, { ...now, lastBlockId: lastId } satisfies VectorPosition);
        return true;
      }).immediate(),
    );
    if (committed) {
      added += rows.length;
      options.onProgress?.(guarded(store.path, () => upTo.get(lastId) as { n: number }).n, total);
    }
  }
  return { added, total: vectorInfo(store)?.count ?? 0 };
}

/** The `limit` nearest blocks to `vector` by cosine distance, nearest first. */
export function nearestBlocks(store: SessionStore, info: VectorPosition, vector: Float32Array, limit: number): Array<{ id: number; distance: number }> {
  if (!VEC_TABLE_PATTERN.test(info.table)) throw new SessionError(`bad vector table name '${info.table}'`);
  return guarded(store.path, () => {
    loadVectorExtension(store.database);
    const rows = store.database
      .prepare(`SELECT rowid AS id, distance FROM main.${info.table} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
      .all(vector, Math.min(MAX_KNN, Math.max(1, limit))) as Array<{ id: number | bigint; distance: number }>;
    return rows.map((r) => ({ id: Number(r.id), distance: r.distance }));
  });
}

/** Make sure the table for this embedder exists, dropping vectors of any other embedder. */
function prepareTable(store: SessionStore, embedder: Embedder, table: string): void {
  const db = store.database;
  db.transaction(() => {
    const position = currentPosition(store);
    if (position && position.embedder === embedder.id && position.table === table && tableExists(db, table)) return;
    dropVecTables(db);
    db.exec(`CREATE VIRTUAL TABLE main.${table} USING vec0(embedding float[${embedder.dimensions}] distance_metric=cosine)`);
    store.setState(VECTORS_STATE_KEY, { table, embedder: embedder.id, dimensions: embedder.dimensions, lastBlockId: 0 } satisfies VectorPosition);
  }).immediate();
}

function currentPosition(store: SessionStore): VectorPosition | undefined {
  return store.getState<VectorPosition | null>(VECTORS_STATE_KEY) ?? undefined;
}

function tableExists(db: BetterSqlite3.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}
