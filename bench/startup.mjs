// Library start-up figures (issue 18): what an application pays before its
// first turn, each figure in a fresh child process (median over runs):
//  - importMs: `import('kohakuterrarium')` (dist/index.js), wall, and its CPU;
//  - firstBuildMs: the first `Agent.build('@kt-biome/creatures/general', { llm })`
//    with a provider object (no network is touched), wall, and its CPU.
// Targets: import ≤ 60 ms, first build ≤ 30 ms, with the compile cache README
// recommends (figures without it under `cold`). CPU time (user + sys) is the
// figure to compare on a busy machine.
//
// Run alone: node bench/startup.mjs [--quick]   (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** Child: one import and one build, timed; prints the figures as JSON. */
async function child() {
  // With NODE_COMPILE_CACHE set (the "cached" runs), an application that
  // followed README's advice: V8's compiled code comes from the cache.
  if (process.env.KT_BENCH_COMPILE_CACHE) (await import('node:module')).enableCompileCache(process.env.KT_BENCH_COMPILE_CACHE);
  let cpu = process.cpuUsage();
  let started = performance.now();
  const { Agent } = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
  const importMs = performance.now() - started;
  const importCpuMs = cpuMs(cpu);
  // The provider object comes from the providers entry, outside both timings.
  const { OpenAICompatibleProvider } = await import(pathToFileURL(join(root, 'dist', 'providers.js')).href);
  const llm = new OpenAICompatibleProvider({ model: 'bench', apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:9/v1' });
  const pwd = mkdtempSync(join(tmpdir(), 'kt-bench-startup-'));
  cpu = process.cpuUsage();
  started = performance.now();
  const agent = await Agent.build('@kt-biome/creatures/general', { llm, pwd });
  const firstBuildMs = performance.now() - started;
  const firstBuildCpuMs = cpuMs(cpu);
  await agent[Symbol.asyncDispose]();
  process.stdout.write(JSON.stringify({ importMs, firstBuildMs, importCpuMs, firstBuildCpuMs }));
}

function runChild(env) {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', env });
  if (out.status !== 0) throw new Error(`bench/startup child failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

/**
 * Medians over fresh processes, with the compile cache enabled as README
 * advises (`importMs`, `firstBuildMs` and their CPU) and without it
 * (`cold.*`): `{importMs, firstBuildMs, importCpuMs, firstBuildCpuMs, cold}`.
 */
export function startupFigures({ quick = false } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'kt-bench-startup-home-'));
  const env = { PATH: process.env.PATH, HOME: home, KT_CONFIG_DIR: join(home, '.kohakuterrarium'), CI: 'true' };
  const cachedEnv = { ...env, KT_BENCH_COMPILE_CACHE: join(home, 'compile-cache') };
  runChild(env); // warm the file cache
  runChild(cachedEnv); // fill the compile cache
  const count = quick ? 5 : 15;
  const cold = [], cached = [];
  for (let i = 0; i < count; i++) {
    cold.push(runChild(env));
    cached.push(runChild(cachedEnv));
  }
  const pick = (runs, key) => median(runs.map((run) => run[key]));
  const figures = (runs) => ({ importMs: pick(runs, 'importMs'), firstBuildMs: pick(runs, 'firstBuildMs'), importCpuMs: pick(runs, 'importCpuMs'), firstBuildCpuMs: pick(runs, 'firstBuildCpuMs') });
  return { ...figures(cached), cold: figures(cold) };
}

if (process.argv[2] === '--child') await child();
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = startupFigures({ quick: process.argv.includes('--quick') });
  const fmt = (n) => n.toFixed(1);
  console.log(`import('kohakuterrarium')  ${fmt(f.importMs)} ms (cpu ${fmt(f.importCpuMs)} ms), no compile cache ${fmt(f.cold.importMs)} ms   target ≤ 60 ms`);
  console.log(`first Agent.build(general) ${fmt(f.firstBuildMs)} ms (cpu ${fmt(f.firstBuildCpuMs)} ms), no compile cache ${fmt(f.cold.firstBuildMs)} ms   target ≤ 30 ms`);
}
