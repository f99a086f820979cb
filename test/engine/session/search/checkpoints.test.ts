import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createCheckpointCell, leaveCheckpoints, runCheckpoints, signalCommit, stopCheckpoints } from '../../../../source/engine/session/search/checkpoints.js';
import { SessionBuilder, tempDir } from './fixtures.js';

const builders: SessionBuilder[] = [];
afterEach(() => {
  for (const b of builders.splice(0)) b.close();
});

/** A session whose connection leaves its checkpoints to runCheckpoints, with ~100 pages of events in its WAL. */
function walSession(): SessionBuilder {
  const b = new SessionBuilder(join(tempDir(), 's.kohakutr'));
  builders.push(b);
  b.flush();
  expect(leaveCheckpoints(b.store.database)).toBe(1000);
  for (let i = 0; i < 200; i++) b.user(`question ${i} ${'x'.repeat(2000)}`);
  b.flush();
  return b;
}

/** Frames in the WAL now (checkpointing what it can, which changes nothing the tests look at). */
function walFrames(b: SessionBuilder): number {
  return (b.store.database.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]!.log;
}

describe('runCheckpoints', () => {
  it('copies the WAL into the file after the commits it is told of, and ends once stopped', () => {
    const b = walSession();
    const before = statSync(b.path).size;
    const cell = createCheckpointCell();
    signalCommit(cell);
    stopCheckpoints(cell);
    runCheckpoints(b.path, cell);
    // The pages the WAL held are in the file now: it grew by about their size.
    expect(statSync(b.path).size - before).toBeGreaterThan(100 * 4096);
  });

  it('past its limit, waits for the readers in the write turn so that the next writer starts the WAL over', () => {
    const b = new SessionBuilder(join(tempDir(), 's.kohakutr'));
    builders.push(b);
    b.flush();
    leaveCheckpoints(b.store.database);
    // A reader whose snapshot is older than what follows: a PASSIVE checkpoint copies nothing past it.
    const reader = new Database(b.path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM events').get();
    for (let i = 0; i < 200; i++) b.user(`question ${i} ${'x'.repeat(2000)}`);
    b.flush();
    const cell = createCheckpointCell();
    let turns = 0;
    signalCommit(cell);
    runCheckpoints(b.path, cell, {
      restartFrames: 10,
      // The RESTART checkpoint, in the turn: the reader moves on meanwhile; stopping there ends the loop after it.
      turn: Object.assign(<T>(fn: () => T): T => {
        turns++;
        reader.exec('COMMIT');
        const result = fn();
        stopCheckpoints(cell);
        return result;
      }, { busy: () => false }),
    });
    reader.close();
    expect(turns).toBe(1);
    b.user('one more').flush();
    expect(walFrames(b)).toBeLessThan(10);
  });
});
