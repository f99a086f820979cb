import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../source/engine/session/sqlite.js';
import { BULK_FROM, BULK_VEC_VERSIONS, appendVectors } from '../../../../source/engine/session/search/vec-append.js';
import { loadVectorExtension } from '../../../../source/engine/session/search/vec-extension.js';
import { tempDir } from './fixtures.js';

const DIMS = 16;
const open: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A file with the vec0 table vectors.ts creates. */
function database(name: string): BetterSqlite3.Database {
  const db = openDatabase(join(tempDir(), name));
  open.push(db);
  db.pragma('journal_mode = WAL');
  loadVectorExtension(db);
  db.exec(`CREATE VIRTUAL TABLE main.search_vec_${DIMS} USING vec0(embedding float[${DIMS}] distance_metric=cosine)`);
  return db;
}

/** Seeded vectors, so a failure can be replayed (KT_TEST_SEED). */
function vectors(n: number, seed: number): Float32Array[] {
  let a = seed;
  const rand = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5);
  return Array.from({ length: n }, () => Float32Array.from({ length: DIMS }, rand));
}

/** Every row of every table vec0 keeps for the table, and their AUTOINCREMENT counters. */
function shadowRows(db: BetterSqlite3.Database): Record<string, unknown[]> {
  const table = `search_vec_${DIMS}`;
  const rows: Record<string, unknown[]> = {};
  for (const shadow of ['chunks', 'rowids', 'vector_chunks00', 'info']) rows[shadow] = db.prepare(`SELECT _rowid_ AS r, * FROM ${table}_${shadow} ORDER BY 1`).raw().all();
  rows.sequence = db.prepare('SELECT * FROM sqlite_sequence ORDER BY name').raw().all();
  return rows;
}

function nearest(db: BetterSqlite3.Database, query: Float32Array): unknown[] {
  return db.prepare(`SELECT rowid, distance FROM search_vec_${DIMS} WHERE embedding MATCH ? AND k = 25 ORDER BY distance`).all(query);
}

/** The same batches into two tables: vec0's own INSERT, and appendVectors. */
function both(batches: number[], seed: number, prepare?: (db: BetterSqlite3.Database, insert: (ids: number[], v: Float32Array[]) => void) => void) {
  const reference = database('a.kohakutr');
  const chunked = database('b.kohakutr');
  const insert = reference.prepare(`INSERT INTO search_vec_${DIMS} (rowid, embedding) VALUES (?, ?)`);
  const viaInsert = (ids: number[], v: Float32Array[]) => reference.transaction(() => ids.forEach((id, i) => insert.run(BigInt(id), v[i]!)))();
  const ways: string[] = [];
  const viaAppend = (ids: number[], v: Float32Array[]) => ways.push(chunked.transaction(() => appendVectors(chunked, `search_vec_${DIMS}`, ids, v))());
  prepare?.(reference, viaInsert);
  prepare?.(chunked, viaAppend);
  let next = 1_000;
  const all = vectors(batches.reduce((a, b) => a + b, 0), seed);
  let taken = 0;
  for (const n of batches) {
    // Ids with gaps, as block ids of an index can have.
    const ids = Array.from({ length: n }, (_, i) => next + i * 2);
    next += n * 2 + 5;
    const v = all.slice(taken, (taken += n));
    viaInsert(ids, v);
    viaAppend(ids, v);
  }
  return { reference, chunked, all, ways };
}

describe('appendVectors', () => {
  it('is checked against the installed sqlite-vec (a new version must be compared again before it is listed)', () => {
    const db = database('v.kohakutr');
    expect(BULK_VEC_VERSIONS).toContain(db.prepare('SELECT vec_version()').pluck().get());
  });

  it('writes exactly the rows vec0 writes, across chunk ends and part-filled chunks', () => {
    const seed = Number(process.env.KT_TEST_SEED ?? 11);
    const { reference, chunked, all, ways } = both([5, 300, 1500, 2048, BULK_FROM, 7, 1024, 1000, 40], seed);
    expect(ways).toEqual(['rows', 'chunks', 'chunks', 'chunks', 'chunks', 'rows', 'chunks', 'chunks', 'rows']);
    expect(shadowRows(chunked)).toEqual(shadowRows(reference));
    for (const query of [all[0]!, all[1234]!, all.at(-1)!]) expect(nearest(chunked, query), `seed ${seed}`).toEqual(nearest(reference, query));
    const exact = (db: BetterSqlite3.Database) => db.prepare(`SELECT vec_distance_cosine(embedding, ?) FROM search_vec_${DIMS} WHERE rowid = ?`).pluck().get(all[9]!, 1_000n + 2n * 400n);
    expect(exact(chunked)).toEqual(exact(reference));
  });

  it('leaves a chunk with a free slot before a used one to vec0, which fills that slot first', () => {
    const { reference, chunked, ways } = both([700, 400], 3, (db, add) => {
      add([1, 2, 3, 4, 5], vectors(5, 1));
      db.prepare(`DELETE FROM search_vec_${DIMS} WHERE rowid = 2`).run();
    });
    expect(shadowRows(chunked)).toEqual(shadowRows(reference));
    // The first five (few: vec0), then the batch that meets the hole (vec0), then one that starts where that left the chunk.
    expect(ways).toEqual(['rows', 'rows', 'chunks']);
  });

  it('keeps the shadow tables read-only to other statements afterwards', () => {
    const { chunked } = both([BULK_FROM + 1], 5);
    expect(() => chunked.prepare(`DELETE FROM search_vec_${DIMS}_rowids`).run()).toThrow(/may not be modified/);
  });
});
