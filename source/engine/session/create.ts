/**
 * Creating a session file atomically. The file is built under a temporary
 * name in the same folder — schema, meta and the creature's first events —
 * closed, flushed to disk, and only then hard-linked to its real name. `link`
 * fails when the name is taken, so a racing creator can never clobber a
 * session, and a process killed at any moment leaves either no session file
 * or a complete one (at worst a stray temporary file, which no listing shows).
 *
 * Nobody can see the temporary file until it is linked, so it is written
 * without a journal and without SQLite's syncs: a crash while building leaves
 * only garbage under the temporary name. One fsync before the link makes the
 * content durable before the name appears. It is left in WAL mode (checkpointed
 * and with no `-wal`, since its only connection closed), the mode a writer
 * opens it in, so opening it costs no journal-mode switch. Together that is
 * one fsync instead of eight.
 *
 * The file is created with mode 0600: a session holds everything the user
 * and the model said.
 */
import { randomHex } from '../util/random-id.js';
import { closeSync, fsyncSync, linkSync, openSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createPrivateFile } from '../home.js';
import { SessionError } from '../errors.js';
import { guard } from './guard.js';
import { SCHEMA } from './schema.js';
import { openDatabase } from './sqlite.js';

/** The points a creation passes, in order. */
export const CREATION_STEPS = ['locked', 'temp-created', 'schema', 'meta', 'first-events', 'committed', 'temp-closed', 'linked', 'temp-removed', 'opened'] as const;
export type CreationStep = (typeof CREATION_STEPS)[number];

/**
 * Test seam: called as a creation passes each step. Fault-injection tests
 * set it to kill the process there; nothing else does.
 */
export const creationProbe: { reached?: (step: CreationStep) => void } = {};

export const reached = (step: CreationStep): void => creationProbe.reached?.(step);

/**
 * Build the file at `path`: `fill` writes meta and first events into the
 * temporary database inside the creating transaction. Throws a SessionError
 * when `path` exists (nothing is changed then).
 */
export function buildSessionFile(
  path: string,
  fill: (db: BetterSqlite3.Database, tempPath: string) => void,
  /** More content, after the creating transaction (ATTACH is refused inside one) and still before the file appears. */
  after?: (db: BetterSqlite3.Database, tempPath: string) => void,
): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomHex(4)}.creating`);
  // Created empty and exactly 0600 first (whatever the umask), so SQLite takes over the mode (its journal copies it too).
  createPrivateFile(temp);
  reached('temp-created');
  try {
    const db = guard(temp, () => openDatabase(temp));
    try {
      guard(temp, () => {
        db.pragma('journal_mode = OFF');
        db.pragma('synchronous = OFF');
        db.transaction(() => {
          db.exec(SCHEMA);
          reached('schema');
          fill(db, temp);
        })();
      });
      reached('committed');
      if (after) guard(temp, () => after(db, temp));
      guard(temp, () => db.pragma('journal_mode = WAL'));
    } finally {
      db.close();
    }
    flushToDisk(temp);
    reached('temp-closed');
    try {
      linkSync(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SessionError(`a session file already exists at ${path}`, { code: 'SESSION_EXISTS' });
      throw new SessionError(`cannot create session ${path}: ${(error as Error).message}`, { cause: error });
    }
    reached('linked');
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
  reached('temp-removed');
}

/** fsync a closed file: its content reaches the disk before a name points at it. */
function flushToDisk(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
