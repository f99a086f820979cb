/**
 * "3h ago": how long before `now` something happened, in the largest unit
 * that is at least 1 (seconds, minutes, hours, days, months, years).
 */

const UNITS: Array<[limitSeconds: number, secondsPerUnit: number, suffix: string]> = [
  [60, 1, 's'],
  [3600, 60, 'm'],
  [86_400, 3600, 'h'],
  [30 * 86_400, 86_400, 'd'],
  [365 * 86_400, 30 * 86_400, 'mo'],
  [Infinity, 365 * 86_400, 'y'],
];

export function formatAge(ts: number, now = Date.now()): string {
  const seconds = Math.floor((now - ts) / 1000);
  // A few seconds read as noise in a listing; a clock slightly ahead of ours must not give a negative age.
  if (seconds < 10) return 'just now';
  for (const [limit, per, suffix] of UNITS) {
    if (seconds < limit) return `${Math.floor(seconds / per)}${suffix} ago`;
  }
  return 'long ago';
}
