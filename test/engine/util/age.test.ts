import { describe, expect, it } from 'vitest';
import { formatAge } from '../../../source/engine/util/age.js';

describe('formatAge', () => {
  const now = Date.UTC(2026, 0, 1);
  it('uses the largest whole unit', () => {
    expect(formatAge(now, now)).toBe('just now');
    expect(formatAge(now + 5000, now)).toBe('just now');
    expect(formatAge(now - 9_000, now)).toBe('just now');
    expect(formatAge(now - 42_000, now)).toBe('42s ago');
    expect(formatAge(now - 5 * 60_000, now)).toBe('5m ago');
    expect(formatAge(now - 3 * 3600_000 - 59_000, now)).toBe('3h ago');
    expect(formatAge(now - 2 * 86_400_000, now)).toBe('2d ago');
    expect(formatAge(now - 70 * 86_400_000, now)).toBe('2mo ago');
    expect(formatAge(now - 800 * 86_400_000, now)).toBe('2y ago');
  });
});
