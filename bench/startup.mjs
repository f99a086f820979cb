// Library start-up figures (issue 18): what an application pays before its
// first turn, each figure in a fresh child process (median over runs):
//  - importMs: `import('kohakuterrarium')` (dist/index.js), wall, and its CPU;
//  - firstBuildMs: the first `Agent.build('@kt-biome/creatures/general', { llm })`
//    with a provider object (no network is touched), wall, and its CPU;
//  - firstTurnMs: then the first `agent.run('hi')` against a fake OpenAI server
//    in another process, wall, and its CPU: what a build leaves for later (a
//    garbage collection it did not run, code compiled on first call) shows here,
//    so a faster build that only moved work would not look like a gain. One
//    such move is V8's first Mark-Compact: the imports (the OpenAI SDK alone
//    is ~6 MB of old generation) schedule it, and it starts at the event
//    loop's next pass; a build that reads its files synchronously never
//    yields to the loop, so it lands in the agent's first turn (in an
//    application, in the wait for input or for the model). With README's semi-space advice
//    (`--max-semi-space-size=2`) it does not run during start-up at all.
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
import { fakeServer } from './server-process.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** Child: one import, one build and one turn, timed; prints the figures as JSON. */
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
  const llm = new OpenAICompatibleProvider({ model: 'bench', apiKey: 'sk-bench', baseURL: process.env.KT_BENCH_BASE_URL ?? 'http://127.0.0.1:9/v1' });
  const pwd = mkdtempSync(join(tmpdir(), 'kt-bench-startup-'));
  cpu = process.cpuUsage();
  started = performance.now();
  const agent = await Agent.build('@kt-biome/creatures/general', { llm, pwd });
  const firstBuildMs = performance.now() - started;
  const firstBuildCpuMs = cpuMs(cpu);
  const turn = {};
  if (process.env.KT_BENCH_BASE_URL) {
    cpu = process.cpuUsage();
    started = performance.now();
    const result = await agent.run('hi');
    turn.firstTurnMs = performance.now() - started;
    turn.firstTurnCpuMs = cpuMs(cpu);
    if (result.status !== 'completed') throw new Error(`bench/startup: the turn ended ${result.status}`);
  }
  await agent[Symbol.asyncDispose]();
  process.stdout.write(JSON.stringify({ importMs, firstBuildMs, importCpuMs, firstBuildCpuMs, ...turn }));
}

function runChild(env) {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', env });
  if (out.status !== 0) throw new Error(`bench/startup child failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

/**
 * Medians over fresh processes, with the compile cache enabled as README
 * advises (`importMs`, `firstBuildMs`, `firstTurnMs` and their CPU) and
 * without it (`cold.*`): `{importMs, firstBuildMs, firstTurnMs, importCpuMs,
 * firstBuildCpuMs, firstTurnCpuMs, cold}`.
 */
export async function startupFigures({ quick = false } = {}) {
  const server = await fakeServer('openai', 'text');
  try {
    return measure(quick, server.baseURL);
  } finally {
    await server.close();
  }
}

function measure(quick, baseURL) {
  const home = mkdtempSync(join(tmpdir(), 'kt-bench-startup-home-'));
  const env = { PATH: process.env.PATH, HOME: home, KT_CONFIG_DIR: join(home, '.kohakuterrarium'), CI: 'true', KT_BENCH_BASE_URL: baseURL };
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
  const keys = ['importMs', 'firstBuildMs', 'firstTurnMs', 'importCpuMs', 'firstBuildCpuMs', 'firstTurnCpuMs'];
  const figures = (runs) => Object.fromEntries(keys.map((key) => [key, pick(runs, key)]));
  return { ...figures(cached), cold: figures(cold) };
}

if (process.argv[2] === '--child') await child();
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await startupFigures({ quick: process.argv.includes('--quick') });
  const fmt = (n) => n.toFixed(1);
  console.log(`import('kohakuterrarium')  ${fmt(f.importMs)} ms (cpu ${fmt(f.importCpuMs)} ms), no compile cache ${fmt(f.cold.importMs)} ms   target ≤ 60 ms`);
  console.log(`first Agent.build(general) ${fmt(f.firstBuildMs)} ms (cpu ${fmt(f.firstBuildCpuMs)} ms), no compile cache ${fmt(f.cold.firstBuildMs)} ms   target ≤ 30 ms`);
  console.log(`then its first turn        ${fmt(f.firstTurnMs)} ms (cpu ${fmt(f.firstTurnCpuMs)} ms), no compile cache ${fmt(f.cold.firstTurnMs)} ms   (fake OpenAI server)`);
}
