/**
 * Reciprocal rank fusion: combine ranked lists that score on different
 * scales (BM25 and cosine) by rank alone. An item at rank r (1-based) in a
 * list earns 1 / (k + r) from it; the sums decide. k = 60 (the value of the
 * original paper and of KohakuTerrarium) keeps one list's top hit from
 * outweighing agreement between lists.
 */

export const RRF_K = 60;

/** Fused ranking of `lists` (ids, best first): highest summed score first; ties go to the better single rank, then to the earlier list. */
export function reciprocalRankFusion(lists: ReadonlyArray<readonly number[]>, k = RRF_K): Array<{ id: number; score: number }> {
  const fused = new Map<number, { id: number; score: number; best: number; order: number }>();
  let order = 0;
  for (const list of lists) {
    list.forEach((id, index) => {
      const rank = index + 1;
      const entry = fused.get(id);
      if (entry) {
        entry.score += 1 / (k + rank);
        entry.best = Math.min(entry.best, rank);
      } else {
        fused.set(id, { id, score: 1 / (k + rank), best: rank, order: order++ });
      }
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.best - b.best || a.order - b.order)
    .map(({ id, score }) => ({ id, score }));
}
