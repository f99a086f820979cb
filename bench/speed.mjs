// Issue 18's whole-process figures, each against a baseline measured in the
// same run (see bench/targets.mjs for the targets):
//  - one turn: `kt run -p hi` vs a hand-written one-request fetch script;
//  - tool rounds: `kt run` and the library, each driving 100 rounds of the
//    real `bash` tool (`echo hi`), vs bench/raw-shell-loop.mjs; the turnaround
//    (reply end → next request) is measured by bench/turnaround-server.mjs;
//  - memory: peak RSS of those runs, and JS heap bytes allocated per round,
//    from (100-round run − 10-round run) / 90, read by bench/process-probe.mjs
//    (as are each process's own peak RSS and CPU).
// Run alone, after `npm run build`:  node bench/speed.mjs [--quick] [--json]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeArgsFor } from './kt-launch.mjs';
import { serverProcess } from './server-process.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const probe = pathToFileURL(join(here, 'process-probe.mjs')).href;

/** Start bench/turnaround-server.mjs for <rounds> rounds. */
async function turnaroundServer(rounds) {
  const server = await serverProcess('turnaround-server.mjs', [String(rounds)]);
  const origin = new URL(server.baseURL).origin;
  return {
    ...server,
    reset: () => fetch(`${origin}/__reset`, { method: 'POST' }).then((r) => r.text()),
    turnarounds: () => fetch(`${origin}/__stats`).then((r) => r.json()).then((s) => s.turnaroundsMs),
  };
}

/** Run a node process under bench/process-probe.mjs: wall ms, and the process's own peak RSS MB, CPU ms and JS bytes allocated. */
function measure(args, { env, cwd }) {
  const probeOut = join(mkdtempSync(join(tmpdir(), 'kt-bench-probe-')), 'probe.json');
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', probe, ...nodeArgsFor(args[0]), ...args.slice(1)], { env: { ...env, KT_BENCH_PROBE_OUT: probeOut }, cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const { peakRssMb, cpuMs, allocatedBytes } = JSON.parse(readFileSync(probeOut, 'utf8'));
  return { wall, rss: peakRssMb, cpu: cpuMs, allocatedBytes, stdout: run.stdout };
}

export async function speedFigures({ quick = false, ktBin = join(root, 'dist', 'kt.js') } = {}) {
  const runs = quick ? 3 : 7;
  const rounds = 100, fewRounds = 10;
  const home = mkdtempSync(join(tmpdir(), 'kt-bench-speed-home-'));
  const project = mkdtempSync(join(tmpdir(), 'kt-bench-speed-project-'));
  const baseEnv = { PATH: process.env.PATH, HOME: home, KT_CONFIG_DIR: join(home, '.kohakuterrarium'), OPENAI_API_KEY: 'sk-bench', CI: 'true' };

  // One turn: the server answers text (the turnaround server with 0 rounds).
  const text = await turnaroundServer(0);
  const oneTurn = [], rawOneTurn = [];
  try {
    const env = { ...baseEnv, OPENAI_BASE_URL: text.baseURL };
    const kt = () => measure([ktBin, 'run', '@kt-biome/creatures/swe', '--mode', 'plain', '--llm', 'openai/bench', '-p', 'hi'], { env, cwd: project });
    const raw = () => measure([join(here, 'raw-one-turn.mjs'), text.baseURL], { env, cwd: project });
    kt(); raw(); // warm the page and compile caches
    for (let i = 0; i < runs * 2; i++) {
      rawOneTurn.push(raw());
      oneTurn.push(kt());
    }
  } finally {
    await text.close();
  }

  // Tool rounds: CLI, library and the raw loop, interleaved.
  const loop = async (count, samples) => {
    const server = await turnaroundServer(count);
    const env = { ...baseEnv, OPENAI_BASE_URL: server.baseURL };
    const clients = {
      cli: () => measure([ktBin, 'run', '@kt-biome/creatures/swe', '--mode', 'plain', '--llm', 'openai/bench', '--approval-mode', 'yolo', '--max-turns', String(count + 5), '--no-session', '-p', 'go'], { env, cwd: project }),
      library: () => measure([join(here, 'lib-shell-loop.mjs'), server.baseURL, String(count)], { env, cwd: project }),
      raw: () => measure([join(here, 'raw-shell-loop.mjs'), server.baseURL], { env, cwd: project }),
    };
    try {
      for (let i = 0; i < samples; i++) {
        for (const [name, client] of Object.entries(clients)) {
          await server.reset();
          const run = client();
          const turnarounds = await server.turnarounds();
          if (turnarounds.length !== count) throw new Error(`${name}: ${turnarounds.length} turnarounds, expected ${count}`);
          (results[count][name] ??= []).push({ ...run, turnaround: median(turnarounds) });
        }
      }
    } finally {
      await server.close();
    }
  };
  const results = { [rounds]: {}, [fewRounds]: {} };
  await loop(rounds, runs);
  await loop(fewRounds, runs);

  const pick = (xs, key) => median(xs.map((x) => x[key]));
  const perClient = (name) => {
    const many = results[rounds][name], few = results[fewRounds][name];
    return {
      turnaroundMs: pick(many, 'turnaround'),
      wallMs: pick(many, 'wall'),
      cpuPerRoundMs: (pick(many, 'cpu') - pick(few, 'cpu')) / (rounds - fewRounds),
      peakRssMb: Math.max(...many.map((x) => x.rss)),
      rssMb: pick(many, 'rss'),
      allocatedPerRoundKb: (pick(many, 'allocatedBytes') - pick(few, 'allocatedBytes')) / (rounds - fewRounds) / 1024,
    };
  };
  return {
    rounds,
    oneTurn: { wallMs: pick(oneTurn, 'wall'), rssMb: pick(oneTurn, 'rss'), peakRssMb: Math.max(...oneTurn.map((x) => x.rss)), cpuMs: pick(oneTurn, 'cpu') },
    rawOneTurn: { wallMs: pick(rawOneTurn, 'wall'), rssMb: pick(rawOneTurn, 'rss'), cpuMs: pick(rawOneTurn, 'cpu') },
    cli: perClient('cli'),
    library: perClient('library'),
    raw: perClient('raw'),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { printTargets, targetRows } = await import('./targets.mjs');
  const figures = await speedFigures({ quick: process.argv.includes('--quick') });
  printTargets(targetRows({ speed: figures }));
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures, null, 2));
}
