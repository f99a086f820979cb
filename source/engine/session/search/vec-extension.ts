/**
 * sqlite-vec is a loadable extension: each connection that touches a vector
 * table must load it once. Loading is cheap but not free, and loading twice
 * re-registers the module, so connections are remembered.
 */
import type BetterSqlite3 from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { SessionError } from '../../errors.js';

const loaded = new WeakSet<BetterSqlite3.Database>();

/** Make `vec0` tables usable on this connection. */
export function loadVectorExtension(db: BetterSqlite3.Database): void {
  if (loaded.has(db)) return;
  try {
    sqliteVec.load(db);
  } catch (error) {
    throw new SessionError(`cannot load sqlite-vec for vector search: ${(error as Error).message}`, {
      cause: error,
      hint: 'reinstall kohakuterrarium so the sqlite-vec package for this platform is present; full-text search still works',
    });
  }
  // sqlite-vec 0.1.x scans every vector on each query (no ANN index in the npm build). Reading the
  // vector chunks through a memory map instead of copying them page by page roughly halves that scan
  // (measured: 100k × 256-d, ~50 ms → ~25 ms). Reads only; writes still go through the WAL.
  db.pragma('mmap_size = 268435456');
  loaded.add(db);
}
