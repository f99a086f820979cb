import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createWriteTurnCell, writeTurn } from '../../../../source/engine/session/search/write-turn.js';

/**
 * A thread that holds the turn (word 0 of the cell set to 1, as writeTurn does), says so, waits until told
 * to let go (word 1), marks that it is done (word 2) and only then releases the turn and wakes a waiter.
 */
const HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const word = new Int32Array(workerData);
Atomics.store(word, 0, 1);
parentPort.postMessage('held');
Atomics.wait(word, 1, 0);
Atomics.store(word, 2, 1);
Atomics.store(word, 0, 0);
Atomics.notify(word, 0, 1);
`;

describe('writeTurn', () => {
  it('runs its function only once the other thread has let go of the turn', async () => {
    const cell = new SharedArrayBuffer(12);
    const word = new Int32Array(cell);
    const holder = new Worker(HOLDER, { eval: true, workerData: cell });
    await once(holder, 'message');
    // Tell the holder to let go, then ask for the turn at once: whichever thread runs first, the function
    // sees the holder's work finished (word 2), never half of it.
    Atomics.store(word, 1, 1);
    Atomics.notify(word, 1);
    const seen = writeTurn(cell)(() => Atomics.load(word, 2));
    expect(seen).toBe(1);
    expect(Atomics.load(word, 0)).toBe(0);
    await once(holder, 'exit');
  });

  it('goes on without the turn when its holder never gives it back (a thread killed mid-write)', () => {
    const cell = createWriteTurnCell();
    Atomics.store(new Int32Array(cell), 0, 1);
    expect(writeTurn(cell, { staleAfterMs: 0 })(() => 'written')).toBe('written');
    // Still marked taken: only its holder gives it back.
    expect(writeTurn(cell).busy()).toBe(true);
  });

  it('is free again after a function that throws', () => {
    const cell = createWriteTurnCell();
    const turn = writeTurn(cell);
    expect(() =>
      turn(() => {
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(turn(() => 'next')).toBe('next');
    expect(turn.busy()).toBe(false);
  });
});
