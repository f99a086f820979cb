/**
 * Seeded randomness for tests that pick moments or inputs at random: the
 * seed is printed, and KT_TEST_SEED=<seed> repeats a run exactly.
 */

/** A small, fast PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export interface Random {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(label: string, seed = seedFromEnv()): Random {
  console.log(`${label}: seed ${seed} (KT_TEST_SEED=${seed} repeats it)`);
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  return { seed, next, below, pick: (items) => items[below(items.length)]! };
}

function seedFromEnv(): number {
  const given = process.env.KT_TEST_SEED;
  if (given !== undefined) {
    const seed = Number(given);
    if (!Number.isInteger(seed)) throw new Error(`KT_TEST_SEED must be an integer, got '${given}'`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
