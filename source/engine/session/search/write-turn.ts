/**
 * Turns at a session file's write lock for two threads of one process
 * (kt embedding: the indexer here, the embedding thread beside it), each
 * with its own SQLite connection.
 *
 * Why not leave it to SQLite: a connection that finds the write lock taken
 * sleeps in its busy handler (1, 2, 5 … 100 ms, polling) rather than waking
 * when the lock is released, so each thread lost tens of milliseconds per
 * batch waiting for a lock that was already free; and on a busy machine the
 * embedding thread's `BEGIN IMMEDIATE` failed now and then with
 * SQLITE_BUSY well before its 5 s timeout (seen in 1 run of 2 under
 * --cpu-prof), which ended the whole run. Taking this turn first means the
 * two connections never meet at SQLite's lock: the waiting thread blocks
 * on an Atomics word and is woken the moment the other commits. Other
 * processes on the file still meet SQLite's lock and its busy timeout.
 *
 * Held only around a write transaction, which is synchronous, so a thread
 * never holds it across an await; on one thread (tests running both ends
 * there) it is therefore always free when asked for.
 */

/** The shared word: 0 free, 1 taken. */
export type WriteTurnCell = SharedArrayBuffer;

export function createWriteTurnCell(): WriteTurnCell {
  return new SharedArrayBuffer(4);
}

/** `fn` (a write transaction) run while holding the turn; `busy`: whether another thread holds it now. */
export interface WriteTurn {
  <T>(fn: () => T): T;
  busy(): boolean;
}

export function writeTurn(cell: WriteTurnCell, options: { staleAfterMs?: number } = {}): WriteTurn {
  const word = new Int32Array(cell);
  const staleAfter = options.staleAfterMs ?? STALE_TURN_MS;
  const take = <T>(fn: () => T): T => {
    const deadline = Date.now() + staleAfter;
    while (Atomics.compareExchange(word, 0, 0, 1) !== 0) {
      const left = deadline - Date.now();
      // A holder that died inside its transaction (its thread killed) never gives the turn back, but its
      // connection's lock is gone with it: past the deadline, SQLite's own lock (and busy timeout) decides.
      if (left <= 0) return fn();
      Atomics.wait(word, 0, 1, left);
    }
    try {
      return fn();
    } finally {
      Atomics.store(word, 0, 0);
      Atomics.notify(word, 0, 1);
    }
  };
  return Object.assign(take, { busy: () => Atomics.load(word, 0) !== 0 });
}

/** Longer than any one batch's transaction takes (tens of ms; SQLite's own busy timeout here is 5 s). */
const STALE_TURN_MS = 10_000;

/** No other thread to take turns with. */
export const ALONE: WriteTurn = Object.assign(<T>(fn: () => T): T => fn(), { busy: () => false });
