/**
 * One writer per session file. The process that writes a session's log
 * holds `<file>.lock`, a small file naming it (pid, host, when, a random
 * token). A second writer finds it and fails at once with a
 * `SessionBusyError`; readers never look at it.
 *
 * The lock file appears whole or not at all: its content is written to a
 * private temporary file that is then hard-linked to the lock's name, which
 * fails when the name exists (so two processes can never both create it,
 * and nobody reads a half-written one).
 *
 * A lock left by a process that died (SIGKILL, power cut) is stale: its pid
 * no longer exists on this host. It is taken over by renaming it aside
 * (atomic) and checking that what was moved is the stale lock that was
 * judged, not one a racing process created meanwhile (then it is put back).
 * A lock from another host cannot be checked and counts as held.
 */
import { randomHex } from '../util/random-id.js';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { SessionBusyError, SessionError } from '../errors.js';

export interface LockOwner {
  pid: number;
  hostname: string;
  /** When the owner took the lock (ms since the epoch). */
  since: number;
  /** Unique per acquisition: tells one holder's lock file from another's. */
  token: string;
}

export const lockPathOf = (sessionPath: string) => `${sessionPath}.lock`;

export class SessionLock {
  private released = false;

  private constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {}

  /** Take the lock of the session file at `sessionPath`, or throw `SessionBusyError` naming its owner. */
  static acquire(sessionPath: string): SessionLock {
    const path = lockPathOf(sessionPath);
    const owner: LockOwner = { pid: process.pid, hostname: hostname(), since: Date.now(), token: randomHex(8) };
    // Each round either takes the lock, finds a live owner, or removes one stale lock; a few rounds settle any race.
    for (let round = 0; round < 8; round++) {
      if (createExclusive(path, owner)) return new SessionLock(path, owner);
      const found = readOwner(path);
      if (found === 'missing') continue;
      if (found !== 'unreadable' && isAlive(found)) throw busy(sessionPath, found, path);
      takeOver(path, found, owner.token);
    }
    throw new SessionError(`cannot take the lock ${path}: other processes keep replacing it`);
  }

  /** Remove the lock file if it is still this one. Idempotent; never throws (it runs while exiting). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const found = readOwner(this.path);
      if (found !== 'missing' && found !== 'unreadable' && found.token === this.owner.token) unlinkSync(this.path);
    } catch {
      // Already gone, or the folder is no longer writable: a later writer takes it over as stale.
    }
  }
}

/** Create the lock file with `owner` in it, unless it exists. */
function createExclusive(path: string, owner: LockOwner): boolean {
  const temp = `${path}.${owner.pid}-${owner.token}`;
  writeFileSync(temp, `${JSON.stringify(owner)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SessionError(`cannot create the lock ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean
    }
  }
}

function readOwner(path: string): LockOwner | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new SessionError(`cannot read the lock ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(owner.pid) && typeof owner.hostname === 'string' && typeof owner.token === 'string') return owner as LockOwner;
  } catch {
    // fall through
  }
  return 'unreadable';
}

function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true; // cannot tell from here
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, belongs to someone else
  }
}

/** Remove a stale lock, unless it was replaced by a live one since it was judged stale. */
function takeOver(path: string, stale: LockOwner | 'unreadable', token: string): void {
  const aside = `${path}.stale-${token}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it first
    throw new SessionError(`cannot take over the stale lock ${path}: ${(error as Error).message}`, { cause: error });
  }
  const moved = readOwner(aside);
  const same = stale === 'unreadable' ? moved === 'unreadable' : moved !== 'missing' && moved !== 'unreadable' && moved.token === stale.token;
  if (!same) {
    // A racing process took the lock between our look and our rename: give it back.
    try {
      linkSync(aside, path);
    } catch {
      // a third process holds the name now; it owns the session
    }
  }
  unlinkSync(aside);
}

function busy(sessionPath: string, owner: LockOwner, lockPath: string): SessionBusyError {
  const name = basename(sessionPath).replace(/\.kohakutr$/, '');
  const where = owner.hostname === hostname() ? '' : ` on ${owner.hostname}`;
  return new SessionBusyError(name, owner, {
    hint: `it is being written by process ${owner.pid}${where} since ${new Date(owner.since).toISOString()}; wait for it to end, or kt fork it. If that process is gone, delete ${lockPath}`,
  });
}
