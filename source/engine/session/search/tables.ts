/**
 * The search tables inside a session file. They are a cache of the event
 * log: dropping them loses nothing, the next index run rebuilds them.
 *
 * - `search_blocks`: one row per block (see blocks.ts), id = block id.
 * - `search_fts`: FTS5 over the block content, external content (the text
 *   is stored once, in `search_blocks`), porter stemming over unicode61 so
 *   "running" finds "run".
 * - `search_vec_<dims>`: sqlite-vec vectors, rowid = block id (vectors.ts).
 * - `search_q8_<dims>` and `search_q8_<dims>_chunks`: their int8 copy (quantised.ts).
 *
 * `schema` is `main` for the file itself, or `temp` for an index built in
 * memory over a session opened read-only (see index.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { dropQuantised } from './quantised.js';
import { loadVectorExtension } from './vec-extension.js';

export type IndexSchema = 'main' | 'temp';

/** Block table name; unqualified names resolve to `temp` first, so queries need no schema prefix. */
export const BLOCKS_TABLE = 'search_blocks';
export const FTS_TABLE = 'search_fts';
/** `search_vec_<dims>`: the name says the width, so a model with other dimensions never meets an incompatible table. */
export const VEC_TABLE_PATTERN = /^search_vec_\d+$/;

export function vecTableName(dimensions: number): string {
  return `search_vec_${dimensions}`;
}

/**
 * FTS5 merges a level's segments once this many have piled up (its default is 4). Each index batch
 * adds a segment, and merging rewrites the postings once per level; at 16 a 100k-block index is built
 * with 18 % fewer instructions (callgrind, 20k blocks) while queries, which read every segment, took
 * 0.8 % more (181 bench-style queries over 100k blocks). Merging does not change what is found or its
 * rank. Set when the table is made; indexes made before keep FTS5's default.
 */
const FTS_AUTOMERGE = 16;

export function createTables(db: BetterSqlite3.Database, schema: IndexSchema): void {
  const newFts = !hasTable(db, schema, FTS_TABLE);
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${schema}.${BLOCKS_TABLE} (
      id INTEGER PRIMARY KEY,
      event_id INTEGER NOT NULL,
      creature TEXT NOT NULL,
      round INTEGER NOT NULL,
      block INTEGER NOT NULL,
      kind TEXT NOT NULL,
      tool TEXT,
      content TEXT NOT NULL,
      ts INTEGER NOT NULL,
      turn INTEGER,
      branch INTEGER
    );
    CREATE INDEX IF NOT EXISTS ${schema}.search_blocks_by_creature ON ${BLOCKS_TABLE} (creature);
    CREATE VIRTUAL TABLE IF NOT EXISTS ${schema}.${FTS_TABLE} USING fts5(
      content, content='${BLOCKS_TABLE}', content_rowid='id', tokenize='porter unicode61'
    );
  `);
  // A literal: FTS5 refuses the value bound as a JS number (a double).
  if (newFts) db.exec(`INSERT INTO ${schema}.${FTS_TABLE} (${FTS_TABLE}, rank) VALUES ('automerge', ${FTS_AUTOMERGE})`);
}

/** Whether `schema` holds a block table. */
export function hasTables(db: BetterSqlite3.Database, schema: IndexSchema): boolean {
  return hasTable(db, schema, BLOCKS_TABLE);
}

function hasTable(db: BetterSqlite3.Database, schema: IndexSchema, name: string): boolean {
  const master = schema === 'temp' ? 'sqlite_temp_master' : 'main.sqlite_master';
  return db.prepare(`SELECT 1 FROM ${master} WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** The vector tables in the file (normally none or one). */
export function vecTables(db: BetterSqlite3.Database): string[] {
  const rows = db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name LIKE 'search_vec_%'").all() as Array<{ name: string }>;
  return rows.map((r) => r.name).filter((name) => VEC_TABLE_PATTERN.test(name));
}

/** Drop every vector table and the int8 copy (the module must be loaded to drop a vec0 table). */
export function dropVecTables(db: BetterSqlite3.Database): void {
  dropQuantised(db);
  const tables = vecTables(db);
  if (!tables.length) return;
  loadVectorExtension(db);
  for (const table of tables) db.exec(`DROP TABLE IF EXISTS main.${table}`);
}

/** Drop the whole index in `schema`: blocks, full text and (in `main`) vectors. */
export function dropTables(db: BetterSqlite3.Database, schema: IndexSchema): void {
  db.exec(`DROP TABLE IF EXISTS ${schema}.${FTS_TABLE}; DROP TABLE IF EXISTS ${schema}.${BLOCKS_TABLE};`);
  if (schema === 'main') dropVecTables(db);
}
