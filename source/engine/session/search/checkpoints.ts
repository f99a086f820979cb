/**
 * The WAL checkpoints of a kt embedding run, on a thread of their own.
 *
 * Why: a connection that commits past the WAL's limit (1000 pages) copies
 * the WAL into the file right after its commit: reads, writes and two
 * fsyncs, while it still holds the write turn (write-turn.ts). At 100k
 * blocks the indexer and the embedding thread did ~94 of them: ~0.3 s of
 * the indexer's system time, and ~0.65 s waiting on fsync between the two,
 * on the threads the run waits for. Here both connections turn that off
 * and tell this thread when they commit; it checkpoints as often as they
 * commit, PASSIVE (never waiting for, nor blocking, a reader or a writer).
 *
 * A PASSIVE checkpoint copies only what every reader's snapshot holds, and
 * the indexer is nearly always reading, so the WAL would never start over
 * and grew to ~180 MB at 100k blocks. Past RESTART_FRAMES this thread
 * therefore takes the write turn and checkpoints in RESTART mode (waits,
 * briefly, for the readers to move on), after which the next writer starts
 * the WAL over: it peaks at ~70 MB instead of ~15 MB. What ends up in the
 * file is the same; only who copies it, and when, differs.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../sqlite.js';
import { ALONE, type WriteTurn } from './write-turn.js';

/** Two shared words: commits signalled so far, and 1 once the run is over. */
export type CheckpointCell = SharedArrayBuffer;

const COMMITS = 0;
const STOP = 1;

export function createCheckpointCell(): CheckpointCell {
  return new SharedArrayBuffer(8);
}

/** A write transaction was committed: the WAL has grown. */
export function signalCommit(cell: CheckpointCell): void {
  const words = new Int32Array(cell);
  Atomics.add(words, COMMITS, 1);
  Atomics.notify(words, COMMITS);
}

/** The run is over: the checkpointing thread copies what it can once more and ends. */
export function stopCheckpoints(cell: CheckpointCell): void {
  const words = new Int32Array(cell);
  Atomics.store(words, STOP, 1);
  Atomics.notify(words, STOP);
  Atomics.add(words, COMMITS, 1);
  Atomics.notify(words, COMMITS);
}

/** A connection that leaves its checkpoints to that thread; returns the setting to restore. */
export function leaveCheckpoints(db: BetterSqlite3.Database): number {
  const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  return before;
}

export interface CheckpointOptions {
  /** Taken around a RESTART checkpoint, so that no writer meets it at SQLite's lock (the run's write turn). */
  turn?: WriteTurn;
  /** WAL frames from which a checkpoint waits for the readers (tests make it small). */
  restartFrames?: number;
}

/**
 * The thread's loop (blocking: a worker's, never the main thread's): a
 * checkpoint after each round of commits, until stopped.
 */
export function runCheckpoints(path: string, cell: CheckpointCell, options: CheckpointOptions = {}): void {
  const words = new Int32Array(cell);
  const turn = options.turn ?? ALONE;
  const restartFrames = options.restartFrames ?? RESTART_FRAMES;
  const db = openDatabase(path, { fileMustExist: true });
  try {
    // A reader that stays (another process searching the file) only delays the WAL's new start: give up soon.
    db.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
    // As the session's own connections (store.ts): the WAL is synced before a checkpoint and the file after.
    db.pragma('synchronous = NORMAL');
    let seen = 0;
    for (;;) {
      const commits = Atomics.load(words, COMMITS);
      if (commits === seen) {
        Atomics.wait(words, COMMITS, seen);
        continue;
      }
      seen = commits;
      const [wal] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      if (Atomics.load(words, STOP)) return;
      if (wal && wal.log >= restartFrames) turn(() => db.pragma('wal_checkpoint(RESTART)'));
    }
  } finally {
    db.close();
  }
}

/**
 * WAL frames (4 KiB pages: 64 MB) past which a checkpoint waits for the readers so that the WAL starts over.
 * That checkpoint holds the write turn ~100 ms (measured at 4096 frames: 7 of them per 100k blocks); the
 * indexer reads on meanwhile, the embedding thread waits.
 */
const RESTART_FRAMES = 16_384;
/** The indexer's read transactions last ~20 ms (a batch of events). */
const RESTART_WAIT_MS = 100;
