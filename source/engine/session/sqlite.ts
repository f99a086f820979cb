/**
 * better-sqlite3 (a native module) is loaded on first use, so modules that
 * merely mention sessions cost nothing until a session file is touched: the
 * bundles give this import a stand-in that loads the package (vendored as
 * one file, scripts/lazy-deps.mjs) when the first database is opened.
 */
import BetterSqlite3 from 'better-sqlite3';

/**
 * A connection with SQLite's own default page cache (2 MB) instead of the
 * 16 MB better-sqlite3 builds in: a session is read front to back once (a
 * resume, a quick check) and appended to at its end, so a large cache only
 * keeps a long log's pages resident for nothing — up to 16 MB per connection.
 */
export function openDatabase(target: string | Buffer, options?: BetterSqlite3.Options): BetterSqlite3.Database {
  const db = new BetterSqlite3(target, options);
  db.pragma('cache_size = -2000');
  return db;
}
