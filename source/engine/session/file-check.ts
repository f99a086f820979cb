/**
 * Deciding whether a file is a session this build can use, without changing
 * it. A refused file must be left byte-identical and with nothing beside it,
 * and SQLite does not make that easy: any connection to a file whose header
 * says WAL mode — read-only too — creates `-wal` and `-shm` companions and
 * leaves them behind. So:
 *
 * - the first bytes are checked by hand (SQLite's magic string, the page
 *   size, a file cut short), before SQLite is involved at all;
 * - a WAL-mode file with no `-wal` beside it (closed cleanly, or never a
 *   session) is checked on a copy in memory, header switched to rollback mode;
 * - a file with a `-wal` (being written, or left by a killed writer: the
 *   committed tail lives there) is opened read-only in place — its
 *   companions exist already;
 * - a rollback-mode file is opened read-only in place, which creates nothing;
 * - a file with a hot `-journal` beside it (a writer killed inside a
 *   rollback-mode transaction — every open for writing and every close
 *   switches the journal mode, which rewrites the header through the
 *   journal) cannot be read by a read-only connection at all: SQLite must
 *   roll the journal back first and refuses (SQLITE_READONLY_ROLLBACK). It
 *   is rolled back on a copy in a private temporary folder and checked in
 *   memory; the file itself is rolled back by the writable connection that
 *   follows, or never, if only read.
 */
import { closeSync, copyFileSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { SessionError } from '../errors.js';
import { guard } from './guard.js';
import { FORMAT_VERSION } from './schema.js';
import { openDatabase } from './sqlite.js';

const MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;

interface Header {
  /** The header says WAL mode (bytes 18–19 are 2). */
  wal: boolean;
}

/** The file's size and first 100 bytes (fewer if it is shorter). */
function readHead(path: string): { head: Buffer; size: number } {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    const got = readSync(fd, head, 0, HEADER_BYTES, 0);
    return { head: head.subarray(0, got), size: fstatSync(fd).size };
  } finally {
    closeSync(fd);
  }
}

function checkMagic(path: string, head: Buffer, size: number): void {
  if (size === 0) throw new SessionError(`${path} is empty; it is not a session file`);
  if (head.length < MAGIC.length || head.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new SessionError(`cannot use session ${path}: not an SQLite database`);
}

/** What the first 100 bytes say; throws a SessionError when they cannot be a usable SQLite file. */
function checkHeader(path: string, head: Buffer, size: number, hasWal: boolean): Header {
  checkMagic(path, head, size);
  if (head.length < HEADER_BYTES) throw new SessionError(`cannot use session ${path}: the file is damaged (cut short at ${size} bytes)`);
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new SessionError(`cannot use session ${path}: the file is damaged (bad page size)`);
  // With a -wal beside it the main file may legitimately lag behind; without one it must hold every page it claims.
  const pages = head.readUInt32BE(28);
  const sizeValid = head.readUInt32BE(24) === head.readUInt32BE(92);
  if (!hasWal && (size % pageSize !== 0 || (sizeValid && size < pages * pageSize))) {
    throw new SessionError(`cannot use session ${path}: the file is damaged (cut short at ${size} bytes)`);
  }
  return { wal: head[18] === 2 || head[19] === 2 };
}

/** SQLite's own test for a journal it must roll back before reading: present, and its first byte set (an unsynced or finished one is zeroed). */
function hasHotJournal(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(`${path}-journal`, 'r');
  } catch {
    return false;
  }
  try {
    const first = Buffer.alloc(1);
    return readSync(fd, first, 0, 1, 0) === 1 && first[0] !== 0;
  } finally {
    closeSync(fd);
  }
}

/**
 * The file as its committed state, in memory: the file and its companions
 * copied into a private (0700) temporary folder, rolled back there by a
 * writable connection, read out whole, and the folder removed.
 */
function rolledBack(path: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'kt-check-'));
  try {
    const copy = join(dir, 'session.kohakutr');
    copyFileSync(path, copy);
    for (const suffix of ['-journal', '-wal']) if (existsSync(`${path}${suffix}`)) copyFileSync(`${path}${suffix}`, `${copy}${suffix}`);
    return guard(path, () => {
      const db = openDatabase(copy, { fileMustExist: true });
      try {
        db.prepare('SELECT count(*) FROM sqlite_master').get(); // the first read rolls the journal back
        return db.serialize();
      } finally {
        db.close();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An in-memory database of a file's image, its header switched to rollback mode (memory databases have no WAL). */
function openImage(path: string, image: Buffer): BetterSqlite3.Database {
  image[18] = 1;
  image[19] = 1;
  return guard(path, () => openDatabase(image));
}

/**
 * A connection to check the file on, made without creating anything beside
 * it or changing it. `inPlace` says whether it is the file itself (so a
 * read-only store may keep using it) or a copy in memory; `onlyCopy`, that
 * the file cannot be opened read-only until a writer rolls its journal back,
 * so a read-only store keeps the copy.
 */
export function openForCheck(path: string): { db: BetterSqlite3.Database; inPlace: boolean; onlyCopy: boolean } {
  if (hasHotJournal(path)) {
    // The file may hold half a transaction (its size or header mid-change): only the rolled-back image is checked.
    const file = readHead(path);
    checkMagic(path, file.head, file.size);
    const image = rolledBack(path);
    checkHeader(path, image.subarray(0, HEADER_BYTES), image.length, false);
    return { db: openImage(path, image), inPlace: false, onlyCopy: true };
  }
  const hasWal = existsSync(`${path}-wal`);
  const { head, size } = readHead(path);
  const header = checkHeader(path, head, size, hasWal);
  if (header.wal && !hasWal) return { db: openImage(path, readFileSync(path)), inPlace: false, onlyCopy: false };
  return { db: guard(path, () => openDatabase(path, { readonly: true, fileMustExist: true })), inPlace: true, onlyCopy: false };
}

/**
 * A session file: the tables exist, a format version this build reads, events
 * that can be read. `thorough` (before writing to it) also runs SQLite's
 * `quick_check`: appending to a damaged file would bury the damage deeper.
 */
export function validate(path: string, db: BetterSqlite3.Database, options: { thorough?: boolean } = {}): void {
  guard(path, () => {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
    if (!tables.has('meta') || !tables.has('events')) throw new SessionError(`${path} is an SQLite file but not a KohakuTerrarium session`);
    const row = db.prepare("SELECT value FROM meta WHERE key = 'formatVersion'").get() as { value: string } | undefined;
    let version = NaN;
    try {
      version = row ? Number(JSON.parse(row.value)) : NaN;
    } catch {
      // reported below
    }
    if (!Number.isInteger(version)) throw new SessionError(`${path} has no format version; it is not a complete session file`);
    if (version > FORMAT_VERSION) {
      throw new SessionError(`${path} uses session format ${version}; this kt reads formats up to ${FORMAT_VERSION}`, {
        hint: 'upgrade kohakuterrarium to open it',
      });
    }
    db.prepare('SELECT id FROM events ORDER BY id DESC LIMIT 1').get();
    if (options.thorough) {
      const problems = db.pragma('quick_check(3)', { simple: false }) as Array<{ quick_check: string }>;
      const found = problems.map((p) => p.quick_check).filter((p) => p !== 'ok');
      if (found.length) throw new SessionError(`cannot use session ${path}: the file is damaged (${found.join('; ')})`);
    }
  });
}
