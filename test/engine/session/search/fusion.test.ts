import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, RRF_K } from '../../../../source/engine/session/search/fusion.js';

describe('reciprocal rank fusion', () => {
  it('sums 1/(60 + rank) over the lists', () => {
    // FTS ranks 1, 2, 3; vectors rank 3, 1, 4.
    const fused = reciprocalRankFusion([
      [1, 2, 3],
      [3, 1, 4],
    ]);
    expect(RRF_K).toBe(60);
    expect(fused.map((f) => f.id)).toEqual([1, 3, 2, 4]);
    expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 62, 12); // 0.0325224
    expect(fused[1]?.score).toBeCloseTo(1 / 63 + 1 / 61, 12); // 0.0322665
    expect(fused[2]?.score).toBeCloseTo(1 / 62, 12);
    expect(fused[3]?.score).toBeCloseTo(1 / 63, 12);
  });

  it('lets agreement between lists beat a single first place', () => {
    const fused = reciprocalRankFusion([
      [7, 8],
      [9, 8],
    ]);
    expect(fused[0]?.id).toBe(8);
  });

  it('breaks ties by best single rank, then by list order', () => {
    expect(reciprocalRankFusion([[5], [6]]).map((f) => f.id)).toEqual([5, 6]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });

  it('takes k as a parameter', () => {
    expect(reciprocalRankFusion([[1]], 0)[0]?.score).toBe(1);
  });
});
