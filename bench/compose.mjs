// Composition overhead for `npm run bench` (compose issue target: ≤ 0.05 ms
// per step). A sequence of N pure steps run through `seq(...).run()` against
// the same N functions awaited one after another by hand; overhead per step
// = (composed − direct) / N. Also a par of N pure steps against Promise.all.
// Medians over several runs, after a warm-up.
//
// Run alone: node bench/compose.mjs [--quick]   (after `npm run build`)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** ms per step for composed and direct runs of `steps` pure steps. */
export async function composeFigures({ quick = false } = {}) {
  const { seq, par } = await import(join(root, 'dist', 'compose.js'));
  const steps = 1000;
  const runs = quick ? 5 : 21;
  const fns = Array.from({ length: steps }, (_, i) => (x) => x + i);
  const chain = seq(...fns);
  const fanout = par(...fns);

  const direct = async (x) => {
    for (const fn of fns) x = await fn(x);
    return x;
  };
  const measure = async (fn) => {
    const samples = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      await fn();
      if (i >= 2) samples.push((performance.now() - t0) / steps);
    }
    return median(samples);
  };
  const expected = await direct(0);
  if ((await chain.run(0)).output !== expected) throw new Error('bench/compose: the composed sequence computed something else');
  const seqDirectMs = await measure(() => direct(0));
  const seqComposedMs = await measure(() => chain.run(0));
  const parDirectMs = await measure(() => Promise.all(fns.map(async (fn) => fn(0))));
  const parComposedMs = await measure(() => fanout.run(0));
  return { steps, seqDirectMs, seqComposedMs, seqOverheadMs: seqComposedMs - seqDirectMs, parDirectMs, parComposedMs, parOverheadMs: parComposedMs - parDirectMs };
}

export function composeRows(c, fmt) {
  return [
    [`compose: seq of ${c.steps} pure steps`, `${fmt(c.seqOverheadMs * 1000, 2)} µs/step`, `${fmt(c.seqComposedMs * 1000, 2)} vs ${fmt(c.seqDirectMs * 1000, 2)} µs direct`, 'target ≤ 50 µs (0.05 ms) per step'],
    [`compose: par of ${c.steps} pure steps`, `${fmt(c.parOverheadMs * 1000, 2)} µs/step`, `${fmt(c.parComposedMs * 1000, 2)} vs ${fmt(c.parDirectMs * 1000, 2)} µs Promise.all`, ''],
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const figures = await composeFigures({ quick: process.argv.includes('--quick') });
  for (const r of composeRows(figures, fmt)) console.log(r.join('  '));
}
