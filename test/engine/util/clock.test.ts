import { describe, expect, it } from 'vitest';
import { monotonicMs } from '../../../source/engine/util/clock.js';

describe('monotonicMs', () => {
  it('never goes back and counts in milliseconds with sub-millisecond precision', () => {
    const readings = Array.from({ length: 1000 }, () => monotonicMs());
    for (let i = 1; i < readings.length; i++) expect(readings[i]!).toBeGreaterThanOrEqual(readings[i - 1]!);
    // Not an integer count: fractions of a millisecond are kept (as performance.now() gives them).
    expect(readings.some((r) => !Number.isInteger(r))).toBe(true);
  });
});
