import { describe, expect, it } from 'vitest';
import { columnSums, hasSimd } from '../../../../source/engine/session/search/column-sums.js';

const SEED = Number(process.env.KT_TEST_SEED ?? 11);

/** A seeded generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Columns of int8 values (as the blobs SQLite returns: bytes) with float32 weights, laid out in chunks of `size`. */
function columns(count: number, size: number, dims: number, rand: () => number): Array<{ at: number; values: Uint8Array; weight: number }> {
  const out: Array<{ at: number; values: Uint8Array; weight: number }> = [];
  for (let d = 0; d < dims; d++) {
    // Hash-embedding weights: small, of either sign, float32; some extreme ones too.
    const weight = d === 0 ? Math.fround(3.4e38) : d === 1 ? Math.fround(1e-30) : Math.fround((rand() - 0.5) * 0.8);
    for (let at = 0; at < count; at += size) {
      const values = new Uint8Array(Math.min(size, count - at));
      for (let j = 0; j < values.length; j++) values[j] = Math.floor(rand() * 256);
      out.push({ at, values, weight });
    }
  }
  return out;
}

describe('columnSums', () => {
  it('sums exactly what the JS loop sums, with and without WebAssembly, odd lengths included', () => {
    // Node ≥ 22 has WebAssembly SIMD: without it this test would compare the JS loop with itself.
    expect(hasSimd()).toBe(true);
    const rand = random(SEED);
    for (const [count, size] of [[1000, 256], [999, 64], [7, 4], [1, 8]] as const) {
      const wasm = columnSums(count, size);
      const js = columnSums(count, size, { wasm: false });
      for (const { at, values, weight } of columns(count, size, 12, rand)) {
        wasm.add(at, values, weight);
        js.add(at, values, weight);
      }
      // Bit for bit: the same candidates follow from the same scores.
      expect(Buffer.from(wasm.scores.buffer, wasm.scores.byteOffset, count * 4).equals(Buffer.from(js.scores.buffer, js.scores.byteOffset, count * 4)), `seed ${SEED}, ${count}/${size}`).toBe(true);
    }
  });

  it('starts from zero each time', () => {
    const first = columnSums(16, 16);
    first.add(0, new Uint8Array(16).fill(5), 1);
    expect(Array.from(columnSums(16, 16).scores)).toEqual(new Array(16).fill(0));
  });
});
