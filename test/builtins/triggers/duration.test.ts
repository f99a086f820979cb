import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../source/builtins/triggers/duration.js';

describe('durations', () => {
  it('reads seconds and unit strings', () => {
    expect(parseDuration(60)).toBe(60_000);
    expect(parseDuration('600')).toBe(600_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1h 30m')).toBe(5_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1H')).toBe(3_600_000);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'm', '10x', '10m junk', '-5', 'h1', '1m-']) expect(parseDuration(bad), bad).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
  });

  it('writes durations back compactly', () => {
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_061_000)).toBe('1d1h1m1s');
    expect(formatDuration(500)).toBe('500ms');
  });
});
