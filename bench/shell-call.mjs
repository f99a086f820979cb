// One process's share of the shell-call figures (bench/tools.mjs runs it in a
// fresh node): the bash tool's per-call cost on `echo hi`, and a bare
// `child_process.spawn` of the same shell doing the same, measured the same
// way. `--big-heap` first allocates ~100 MB of live objects, because spawning
// (fork of a large address space) slows as the heap grows.
//
//   node bench/shell-call.mjs <dist/index.js> [--big-heap] [--calls N]
// prints one JSON line: { tool: {wallMs, cpuMs}, spawn: {wallMs, cpuMs}, heapMb }.
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { median } from './stats.mjs';

const [entry] = process.argv.slice(2).filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const bigHeap = process.argv.includes('--big-heap');
const callsAt = process.argv.indexOf('--calls');
const CALLS = callsAt > 0 ? Number(process.argv[callsAt + 1]) : 200;

const lib = await import(pathToFileURL(entry).href);

// Kept reachable until the end: about 100 MB of small objects and strings, like a long session's heap.
const ballast = [];
if (bigHeap) {
  for (let i = 0; i < 250_000; i++) ballast.push({ i, text: `line ${i} of the ballast`.padEnd(60, '.'), list: [i, i + 1] });
}

function context() {
  return {
    signal: new AbortController().signal,
    cwd: tmpdir(),
    callId: 'c',
    creature: 'bench',
    session: { id: 's', state: new Map() },
    env: creatureEnv,
    allowedPaths: [],
    runtime: {},
    emit() {},
  };
}
// One object for every call, as the executor hands a creature's tools the same environment.
const creatureEnv = { ...process.env };

/** Median wall and CPU ms per call of each function; calls alternate, so both see the same machine load. */
async function sample(fns) {
  const wall = fns.map(() => []);
  const cpu = fns.map(() => []);
  for (let i = 0; i < 10; i++) for (const fn of fns) await fn(); // warm up
  for (let i = 0; i < CALLS; i++) {
    for (const [k, fn] of fns.entries()) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await fn();
      wall[k].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  return fns.map((_, k) => ({ wallMs: median(wall[k]), cpuMs: median(cpu[k]) }));
}

const shell = '/bin/bash';
const bash = lib.builtinToolFactories.find((f) => f.name === 'bash').create({ shell });
const args = bash.parse({ command: 'echo hi' });
if (!args.ok) throw new Error(args.error);
const viaTool = async () => {
  const out = await bash.execute(args.value, context());
  if (out !== 'hi') throw new Error(`bash said ${JSON.stringify(out)}`);
};
// The floor: the same shell and script, spawned bare in its own group, output read from one pipe.
const bare = () =>
  new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', 'exec 2>&1; echo hi'], { cwd: tmpdir(), env: creatureEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => (Buffer.concat(chunks).toString() === 'hi\n' ? resolve() : reject(new Error('bad output'))));
  });
const [tool, baseline] = await sample([viaTool, bare]);

console.log(JSON.stringify({ tool, spawn: baseline, heapMb: Math.round(process.memoryUsage().heapUsed / 1048576), ballast: ballast.length }));
