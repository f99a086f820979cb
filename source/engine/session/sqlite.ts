/**
 * better-sqlite3 (a native module) is loaded on first use, so modules that
 * merely mention sessions cost nothing until a session file is touched.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

type DatabaseConstructor = typeof BetterSqlite3;

let cached: DatabaseConstructor | undefined;

export function loadSqlite(): DatabaseConstructor {
  cached ??= createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
  return cached;
}
