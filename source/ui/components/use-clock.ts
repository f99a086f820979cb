/**
 * One clock for every elapsed-time label and spinner in the live region:
 * it ticks only while something runs, so an idle prompt costs no renders.
 */
import { useEffect, useState } from 'react';

export function useClock(active: boolean, intervalMs = 100): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
