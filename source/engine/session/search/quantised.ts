/**
 * An int8 copy of the block vectors, stored dimension by dimension, for the
 * first stage of a two-stage nearest-neighbour search over large sessions.
 *
 * Why: sqlite-vec's npm build scans every float vector with scalar code, so
 * an exact query over 100k × 256 floats costs ~35 ms of CPU whatever the
 * query. A hash-embedded query is sparse (a few words touch ~20 of 256
 * dimensions), and its dot product with a stored vector only needs the
 * stored values of those dimensions. Stored column-wise, a query reads and
 * multiplies ~8 % of the data. int8 keeps that copy at a quarter of the
 * float size; its ranking is close enough that re-ranking twice the wanted
 * number of candidates by their exact float distance (from the vec0 table)
 * returns the exact top k in our measurements. A binary (sign bit) copy was
 * tried first and ranked hash vectors far too poorly (recall@10 < 0.3 with
 * 800 candidates).
 *
 * Layout, per vector width D and chunk size C (kept in state, so files
 * written with another C still read):
 * - `search_q8_<D>`: rowid = dimension × 2^24 + chunk; the int8 values of
 *   that dimension for the chunk's vectors, in chunk order.
 * - `search_q8_<D>_chunks`: per chunk, the block ids (float64) and each
 *   vector's scale (float32; value ≈ int8 × scale).
 *
 * The copy is written in the same transaction as the float vectors, so the
 * two never disagree; `VectorPosition.quantised` says how far it reaches.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { columnSums } from './column-sums.js';

/** How far the int8 copy reaches (kept inside the `search.vectors` state). */
export interface QuantisedPosition {
  /** Vectors in the copy. */
  count: number;
  /** The last block copied; equal to the float vectors' lastBlockId when the copy is complete. */
  lastBlockId: number;
  /** Vectors per chunk. */
  chunk: number;
}

export const DEFAULT_QUANTISED_CHUNK = 4096;
const DIM_SHIFT = 2 ** 24;
export const Q8_TABLE_PATTERN = /^search_q8_\d+(_chunks)?$/;

export function q8TableName(dimensions: number): string {
  return `search_q8_${dimensions}`;
}

/** Create the (empty) copy's tables, dropping any earlier copy. */
export function createQuantised(db: BetterSqlite3.Database, dimensions: number): void {
  dropQuantised(db);
  const table = q8TableName(dimensions);
  db.exec(`CREATE TABLE main.${table} (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
           CREATE TABLE main.${table}_chunks (chunk INTEGER PRIMARY KEY, ids BLOB NOT NULL, scales BLOB NOT NULL);`);
}

export function dropQuantised(db: BetterSqlite3.Database): void {
  const rows = db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name LIKE 'search_q8_%'").all() as Array<{ name: string }>;
  for (const { name } of rows) if (Q8_TABLE_PATTERN.test(name)) db.exec(`DROP TABLE IF EXISTS main.${name}`);
}

export function quantisedTablesExist(db: BetterSqlite3.Database, dimensions: number): boolean {
  const table = q8TableName(dimensions);
  const n = db.prepare("SELECT count(*) AS n FROM main.sqlite_master WHERE type = 'table' AND name IN (?, ?)").get(table, `${table}_chunks`) as { n: number };
  return n.n === 2;
}

/** Vectors quantised for the copy, row by row: made before the write transaction, so the write lock is held only to store them. */
export interface QuantisedRows {
  /** Block ids, ascending. */
  ids: readonly number[];
  /** ids.length × dimensions int8 values, vector after vector. */
  rows: Int8Array;
  /** Per vector: value ≈ int8 × scale. */
  scales: Float32Array;
}

/** Quantise `vectors` (of width `dimensions`) to int8 with one scale per vector. */
export function quantise(dimensions: number, ids: readonly number[], vectors: readonly Float32Array[]): QuantisedRows {
  const n = ids.length;
  const rows = new Int8Array(n * dimensions);
  const scales = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const vector = vectors[j]!;
    if (vector.length !== dimensions) throw new RangeError(`a vector of ${vector.length} values in a copy of width ${dimensions}`);
    let max = 0;
    for (let d = 0; d < dimensions; d++) max = Math.max(max, Math.abs(vector[d]!));
    const scale = max / 127;
    scales[j] = scale;
    if (scale > 0) for (let d = 0, o = j * dimensions; d < dimensions; d++) rows[o + d] = Math.round(vector[d]! / scale);
  }
  return { ids, rows, scales };
}

/**
 * Append quantised vectors (ids all after `position.lastBlockId`) to the
 * copy. Call inside the write transaction that stores the float vectors.
 */
export function appendQuantised(db: BetterSqlite3.Database, dimensions: number, position: QuantisedPosition, quantised: QuantisedRows): QuantisedPosition {
  const { ids, rows, scales: rowScales } = quantised;
  if (!ids.length) return position;
  const table = q8TableName(dimensions);
  const readColumn = db.prepare(`SELECT data FROM main.${table} WHERE id = ?`).pluck();
  const writeColumn = db.prepare(`INSERT OR REPLACE INTO main.${table} (id, data) VALUES (?, ?)`);
  const readChunk = db.prepare(`SELECT ids, scales FROM main.${table}_chunks WHERE chunk = ?`);
  const writeChunk = db.prepare(`INSERT OR REPLACE INTO main.${table}_chunks (chunk, ids, scales) VALUES (?, ?, ?)`);
  const size = position.chunk;
  let done = 0;
  let count = position.count;
  while (done < ids.length) {
    const chunk = Math.floor(count / size);
    const offset = count % size;
    const n = Math.min(size - offset, ids.length - done);
    // A partly filled last chunk is read back and extended: chunks stay whole so a query reads few rows.
    const old = offset ? (readChunk.get(chunk) as { ids: Buffer; scales: Buffer }) : undefined;
    const chunkIds = new Float64Array(offset + n);
    const scales = new Float32Array(offset + n);
    if (old) {
      chunkIds.set(new Float64Array(copyBuffer(old.ids)));
      scales.set(new Float32Array(copyBuffer(old.scales)));
    }
    for (let j = 0; j < n; j++) chunkIds[offset + j] = ids[done + j]!;
    scales.set(rowScales.subarray(done, done + n), offset);
    // The chunk's columns one after another in one buffer, each written from a view of it.
    const width = offset + n;
    const columns = new Int8Array(dimensions * width);
    if (offset) {
      for (let d = 0; d < dimensions; d++) {
        const old = readColumn.get(d * DIM_SHIFT + chunk) as Buffer;
        columns.set(new Int8Array(old.buffer, old.byteOffset, old.length), d * width);
      }
    }
    transpose(rows, done, n, dimensions, columns, width, offset);
    for (let d = 0; d < dimensions; d++) writeColumn.run(d * DIM_SHIFT + chunk, columns.subarray(d * width, (d + 1) * width));
    writeChunk.run(chunk, chunkIds, scales);
    done += n;
    count += n;
  }
  return { ...position, count, lastBlockId: ids.at(-1)! };
}

/**
 * Rows `from` … `from + n` of `rows` (vector after vector) into `columns`
 * (dimension after dimension, `width` values each) from position `at`.
 * Rows were quantised one by one; transposing them here beats writing 256
 * column arrays per vector. A function of its own so V8 optimises the loop.
 */
function transpose(rows: Int8Array, from: number, n: number, dimensions: number, columns: Int8Array, width: number, at: number): void {
  // Column by column: the reads stride through the rows, the writes run on (strided writes cost more).
  for (let d = 0; d < dimensions; d++) {
    for (let j = 0, i = from * dimensions + d, o = d * width + at; j < n; j++, i += dimensions, o++) columns[o] = rows[i]!;
  }
}

/**
 * The `candidates` blocks whose int8 copy scores highest against `query`
 * (dot product; stored vectors are unit length for every embedder we
 * make, and the exact re-rank uses cosine anyway). Undefined when the query
 * is so dense that reading every column would cost more than sqlite-vec's
 * own scan.
 */
export function quantisedCandidates(db: BetterSqlite3.Database, position: QuantisedPosition, query: Float32Array, candidates: number): number[] | undefined {
  const dimensions = query.length;
  const dims: number[] = [];
  for (let d = 0; d < dimensions; d++) if (query[d] !== 0) dims.push(d);
  if (dims.length > dimensions * DENSE_FRACTION) return undefined;
  const table = q8TableName(dimensions);
  const size = position.chunk;
  const count = position.count;
  const sums = columnSums(count, size);
  // One statement per dimension, its chunks in order: every score adds its dimensions in the same order, so the
  // float32 sums are the same bits whatever the chunk layout. all() rather than iterate(): a row costs less.
  const column = db.prepare(`SELECT id, data FROM main.${table} WHERE id >= ? AND id < ?`).raw();
  for (const d of dims) {
    const weight = query[d]!;
    for (const [id, data] of column.all(d * DIM_SHIFT, d * DIM_SHIFT + Math.ceil(count / size)) as Array<[number, Buffer]>) {
      const base = (id - d * DIM_SHIFT) * size;
      sums.add(base, data.subarray(0, Math.min(data.length, count - base)), weight);
    }
  }
  const scores = sums.scores;
  // The block ids stay in their blobs, read only for the winners.
  const idBlobs: Buffer[] = [];
  const chunks = db.prepare(`SELECT chunk, ids, scales FROM main.${table}_chunks`).raw();
  for (const [chunk, idBlob, scaleBlob] of chunks.all() as Array<[number, Buffer, Buffer]>) {
    const base = chunk * size;
    idBlobs[chunk] = idBlob;
    const n = Math.min(idBlob.length / 8, count - base);
    const scales = float32View(scaleBlob);
    const into = scores.subarray(base, base + n);
    for (let j = 0; j < n; j++) into[j]! *= scales[j]!;
  }
  return topPositions(scores, candidates).map((p) => idBlobs[Math.floor(p / size)]!.readDoubleLE((p % size) * 8));
}

/** A blob's float32 values: a view when its bytes are aligned for one, else a copy. */
function float32View(blob: Buffer): Float32Array {
  return blob.byteOffset % 4 === 0 ? new Float32Array(blob.buffer, blob.byteOffset, blob.length >> 2) : new Float32Array(copyBuffer(blob));
}

/** Above this share of non-zero query dimensions, the column-wise first stage stops paying (measured at 256-d). */
const DENSE_FRACTION = 0.6;

/**
 * Positions of the `n` highest scores, in no particular order (a bounded min-heap). The heap keeps each
 * position's score beside it and the loop keeps the smallest in a local: most of the 100k scores only meet
 * one comparison (3x faster than comparing through the positions; the same heap moves, so the same set).
 */
function topPositions(scores: Float32Array, n: number): number[] {
  const size = Math.min(n, scores.length);
  if (size <= 0) return [];
  const heap = new Int32Array(size);
  const keys = new Float32Array(size);
  let filled = 0;
  const swap = (a: number, b: number) => {
    const key = keys[a]!;
    keys[a] = keys[b]!;
    keys[b] = key;
    const position = heap[a]!;
    heap[a] = heap[b]!;
    heap[b] = position;
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < filled && keys[l]! < keys[m]!) m = l;
      if (r < filled && keys[r]! < keys[m]!) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  let p = 0;
  for (; p < scores.length && filled < size; p++) {
    heap[filled] = p;
    keys[filled] = scores[p]!;
    for (let i = filled++; i > 0 && keys[i]! < keys[(i - 1) >> 1]!; i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
  }
  let least = keys[0]!;
  for (; p < scores.length; p++) {
    const score = scores[p]!;
    if (score > least) {
      heap[0] = p;
      keys[0] = score;
      down(0);
      least = keys[0]!;
    }
  }
  return Array.from(heap);
}

/** SQLite hands back Buffers that may share a pool; typed views need their own aligned bytes. */
function copyBuffer(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length) as ArrayBuffer;
}
