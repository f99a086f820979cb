/**
 * "Did you mean" suggestions for names the user mistyped (tools, presets,
 * providers, commands).
 */

/** Up to `limit` candidates close to `input`, best first. */
export function closeMatches(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = input.toLowerCase();
  const scored: Array<[string, number]> = [];
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    const distance = editDistance(needle, hay);
    const budget = Math.max(2, Math.floor(Math.max(needle.length, hay.length) / 3));
    // Containment makes a candidate eligible ("opus" → "claude-opus"), but the distance still ranks it.
    if (distance <= budget || hay.includes(needle) || needle.includes(hay)) scored.push([candidate, distance]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([name]) => name);
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** ` (did you mean: a, b?)` or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const matches = closeMatches(input, candidates);
  return matches.length ? ` (did you mean: ${matches.join(', ')}?)` : '';
}
