// Loaded with `node --import bench/alloc-probe.mjs …`: counts the bytes the
// process allocated on the JS heap (from V8's GC records: what each
// collection found in use, less what the one before left) and writes them,
// with the GC count and pause time, to $KT_BENCH_ALLOC_OUT at exit.
import { writeFileSync } from 'node:fs';
import { GCProfiler, getHeapStatistics } from 'node:v8';

const out = process.env.KT_BENCH_ALLOC_OUT;
if (out) {
  const profiler = new GCProfiler();
  const startUsed = getHeapStatistics().used_heap_size;
  profiler.start();
  process.once('exit', () => {
    const { statistics } = profiler.stop();
    let allocated = 0;
    let previousAfter = startUsed;
    let pauseUs = 0;
    for (const gc of statistics) {
      const before = gc.beforeGC.heapStatistics.usedHeapSize;
      allocated += Math.max(0, before - previousAfter);
      previousAfter = gc.afterGC.heapStatistics.usedHeapSize;
      pauseUs += gc.cost;
    }
    allocated += Math.max(0, getHeapStatistics().used_heap_size - previousAfter);
    writeFileSync(out, JSON.stringify({ allocatedBytes: allocated, gcs: statistics.length, gcPauseMs: pauseUs / 1000 }));
  });
}
