// Loaded with `node --import bench/process-probe.mjs …` by the speed bench.
// At exit it writes to $KT_BENCH_PROBE_OUT what the process itself used:
//  - allocatedBytes: bytes allocated on the JS heap (from V8's GC records:
//    what each collection found in use, less what the one before left);
//  - peakRssMb: the kernel's high-water mark of this process's resident
//    memory (VmHWM). /usr/bin/time's %M is not used: it also counts the
//    children a tool forks, which briefly carry a copy of the parent's pages;
//  - cpuMs: user + system time of this process alone, children excluded.
import { readFileSync, writeFileSync } from 'node:fs';
import { GCProfiler, getHeapStatistics } from 'node:v8';

const out = process.env.KT_BENCH_PROBE_OUT;
if (out) {
  const profiler = new GCProfiler();
  const startUsed = getHeapStatistics().used_heap_size;
  profiler.start();
  process.once('exit', () => {
    const { statistics } = profiler.stop();
    let allocated = 0;
    let previousAfter = startUsed;
    for (const gc of statistics) {
      allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - previousAfter);
      previousAfter = gc.afterGC.heapStatistics.usedHeapSize;
    }
    allocated += Math.max(0, getHeapStatistics().used_heap_size - previousAfter);
    const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
    const cpu = process.cpuUsage();
    writeFileSync(out, JSON.stringify({ allocatedBytes: allocated, gcs: statistics.length, peakRssMb: hwmKb / 1024, cpuMs: (cpu.user + cpu.system) / 1000 }));
  });
}
