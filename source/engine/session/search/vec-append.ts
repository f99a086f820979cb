/**
 * Appending a batch of vectors to a `vec0` table a chunk at a time.
 *
 * Why: sqlite-vec inserts one row per statement, and each insert looks up
 * the latest chunk, opens three blobs inside its 1 MB vector chunk (walking
 * the overflow pages to the row's offset) and updates its rowid row: about
 * 12 µs per vector, more than hashing the block's text. Writing the batch
 * straight into vec0's own tables — each touched chunk's vectors, validity
 * bits and rowids as whole blobs, one rowid row per vector — stores the same
 * rows in well under half the time (measured: 12.4 → 5.1 µs per 256-d vector).
 *
 * The file is unchanged: the rows are exactly those vec0's INSERT writes
 * (a test compares every shadow table against vec0's own inserts), so old
 * and new files read alike, by any kt. That layout is sqlite-vec's, so the
 * chunked path is taken only for the versions it was checked against
 * (`BULK_VEC_VERSIONS`), for the one table shape kt creates, and when the
 * table's last chunk is filled from the front (vec0 fills the first free
 * slot; kt never deletes vectors, so there are no holes). Anything else, and
 * batches too small to pay for rewriting a part-filled 1 MB chunk, go
 * through vec0's INSERT.
 *
 * Shadow tables are read-only to ordinary SQL on a better-sqlite3
 * connection (SQLite's defensive mode); the write lifts that for its own
 * statements only, inside the caller's transaction.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** sqlite-vec versions whose vec0 layout the chunked path writes (checked by test/engine/session/search/vec-append.test.ts). */
export const BULK_VEC_VERSIONS: readonly string[] = ['v0.1.9'];
/** Below this many vectors a batch goes through vec0's INSERT: rewriting a part-filled chunk costs about as much. */
export const BULK_FROM = 128;

interface Layout {
  chunkSize: number;
  dimensions: number;
}

/** Per connection and table: the layout when the chunked path may write it, else null. */
const layouts = new WeakMap<BetterSqlite3.Database, Map<string, Layout | null>>();

/**
 * Append `vectors` (ids ascending, after every id in the table) to the vec0
 * table `table` (in `main`). Call inside a write transaction, with
 * sqlite-vec loaded on the connection. Says which way they were written.
 */
export function appendVectors(db: BetterSqlite3.Database, table: string, ids: readonly number[], vectors: readonly Float32Array[]): 'chunks' | 'rows' {
  const layout = ids.length >= BULK_FROM ? bulkLayout(db, table) : null;
  if (layout && appendChunked(db, table, layout, ids, vectors)) return 'chunks';
  insertEach(db, table, ids, vectors);
  return 'rows';
}

/** vec0's own INSERT, one row per statement. */
function insertEach(db: BetterSqlite3.Database, table: string, ids: readonly number[], vectors: readonly Float32Array[]): void {
  const insert = db.prepare(`INSERT INTO main.${table} (rowid, embedding) VALUES (?, ?)`);
  // vec0 wants its rowids as 64-bit integers; a JS number is bound as a float and refused.
  for (let i = 0; i < ids.length; i++) insert.run(BigInt(ids[i]!), vectors[i]!);
}

/** Whether this connection's sqlite-vec and this table's shape are what the chunked path writes. */
function bulkLayout(db: BetterSqlite3.Database, table: string): Layout | null {
  let known = layouts.get(db);
  if (!known) layouts.set(db, (known = new Map()));
  const cached = known.get(table);
  if (cached !== undefined) return cached;
  let layout: Layout | null = null;
  const version = db.prepare('SELECT vec_version()').pluck().get() as string;
  const sql = db.prepare("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) as string | undefined;
  // The shape kt creates (vectors.ts): one float vector column, cosine, the default chunk size.
  const shape = sql ? /^CREATE VIRTUAL TABLE "?[\w.]*"?\s+USING vec0\(embedding float\[(\d+)\] distance_metric=cosine\)$/i.exec(sql.trim()) : null;
  if (BULK_VEC_VERSIONS.includes(version) && shape) layout = { chunkSize: VEC0_CHUNK_SIZE, dimensions: Number(shape[1]) };
  known.set(table, layout);
  return layout;
}

/** vec0's default `chunk_size`. */
const VEC0_CHUNK_SIZE = 1024;

/**
 * The chunked write. Returns false, having written nothing, when the last
 * chunk is not what this path expects (another chunk size, or holes), so
 * the caller falls back to vec0's INSERT.
 */
function appendChunked(db: BetterSqlite3.Database, table: string, layout: Layout, ids: readonly number[], vectors: readonly Float32Array[]): boolean {
  const { chunkSize, dimensions } = layout;
  const vectorBytes = dimensions * 4;
  // A vector of another width is vec0's to refuse, with its own message.
  for (const vector of vectors) if (vector.length !== dimensions) return false;
  db.unsafeMode(true);
  try {
    const last = db.prepare(`SELECT chunk_id AS id, size, validity, rowids FROM main.${table}_chunks ORDER BY chunk_id DESC LIMIT 1`).get() as
      | { id: number; size: number; validity: Buffer; rowids: Buffer }
      | undefined;
    // The chunk being filled: the last one when it has room, then new ones (id 0 until inserted, when full or at the end).
    let chunk: { id: number; fill: number; validity: Uint8Array; rowids: BigInt64Array; vectors: Float32Array } | undefined;
    if (last) {
      if (last.size !== chunkSize || last.validity.length !== chunkSize / 8 || last.rowids.length !== chunkSize * 8) return false;
      const validity = new Uint8Array(last.validity);
      const fill = filledPrefix(validity, chunkSize);
      if (fill < 0) return false;
      if (fill < chunkSize) {
        const blob = db.prepare(`SELECT vectors FROM main.${table}_vector_chunks00 WHERE _rowid_ = ?`).pluck().get(last.id) as Buffer | undefined;
        if (!blob || blob.length !== chunkSize * vectorBytes) return false;
        const vectorsOf = new Float32Array(chunkSize * dimensions);
        new Uint8Array(vectorsOf.buffer).set(blob);
        const rowids = new BigInt64Array(chunkSize);
        new Uint8Array(rowids.buffer).set(last.rowids);
        chunk = { id: last.id, fill, validity, rowids, vectors: vectorsOf };
      }
    }
    const insertChunk = db.prepare(`INSERT INTO main.${table}_chunks (size, validity, rowids) VALUES (?, ?, ?)`);
    const insertVectors = db.prepare(`INSERT INTO main.${table}_vector_chunks00 (_rowid_, rowid, vectors) VALUES (?, ?, ?)`);
    const updateChunk = db.prepare(`UPDATE main.${table}_chunks SET validity = ?, rowids = ? WHERE chunk_id = ?`);
    const updateVectors = db.prepare(`UPDATE main.${table}_vector_chunks00 SET vectors = ? WHERE _rowid_ = ?`);
    // One statement per chunk for the rowid rows: the ids as a JSON array, their slots counted from the first.
    const positions = db.prepare(`INSERT INTO main.${table}_rowids (rowid, id, chunk_id, chunk_offset) SELECT value, NULL, ?, ? + key FROM json_each(?)`);
    let done = 0;
    while (done < ids.length) {
      chunk ??= { id: 0, fill: 0, validity: new Uint8Array(chunkSize / 8), rowids: new BigInt64Array(chunkSize), vectors: new Float32Array(chunkSize * dimensions) };
      const first = chunk.fill;
      const n = Math.min(chunkSize - first, ids.length - done);
      for (let j = 0; j < n; j++) {
        const slot = first + j;
        chunk.validity[slot >> 3]! |= 1 << (slot & 7);
        chunk.rowids[slot] = BigInt(ids[done + j]!);
        chunk.vectors.set(vectors[done + j]!, slot * dimensions);
      }
      if (chunk.id) {
        updateChunk.run(chunk.validity, chunk.rowids, chunk.id);
        updateVectors.run(chunk.vectors, chunk.id);
      } else {
        // A new chunk takes the next chunk_id (AUTOINCREMENT), as vec0's does; its vector row has the same _rowid_ and rowid.
        chunk.id = Number(insertChunk.run(chunkSize, chunk.validity, chunk.rowids).lastInsertRowid);
        insertVectors.run(chunk.id, chunk.id, chunk.vectors);
      }
      positions.run(chunk.id, first, JSON.stringify(ids.slice(done, done + n)));
      chunk.fill += n;
      if (chunk.fill === chunkSize) chunk = undefined;
      done += n;
    }
    return true;
  } finally {
    db.unsafeMode(false);
  }
}

/** Slots in use at the front of a chunk, or -1 when a free slot comes before a used one (vec0 would fill the hole first). */
function filledPrefix(validity: Uint8Array, chunkSize: number): number {
  let fill = 0;
  while (fill < chunkSize && (validity[fill >> 3]! >> (fill & 7)) & 1) fill++;
  for (let slot = fill; slot < chunkSize; slot++) if ((validity[slot >> 3]! >> (slot & 7)) & 1) return -1;
  return fill;
}
