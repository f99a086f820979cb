// Trigger figures for `npm run bench` (triggers issue target: 1,000 timers in
// one creature cost ≤ 5 % CPU while idle). Each case runs in a child process
// so its CPU time is its own: a creature with N timers (intervals spread
// over 10–20 min, so none fires in the window), started, then left idle for
// the window; CPU% = process CPU time / wall time over the window. The same
// creature with no timers is the baseline measured in the same run.
//
// Run alone: node bench/triggers.mjs [--quick]   (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

async function child(count, windowMs) {
  const { Agent } = await import(join(root, 'dist', 'index.js'));
  const { ScriptedLLM } = await import(join(root, 'dist', 'testing.js'));
  const pwd = mkdtempSync(join(tmpdir(), 'kt-bench-trig-'));
  const session = join(pwd, 'timers.kohakutr');
  const agent = await Agent.build({ name: 'timers' }, { llm: new ScriptedLLM([]), pwd, session, projectInstructions: false });
  await agent.start();
  const setupStarted = performance.now();
  for (let i = 0; i < count; i++) await agent.addTrigger({ type: 'timer', interval: 600 + (i % 600), prompt: `timer ${i}` });
  const setupMs = performance.now() - setupStarted;
  // Let setup garbage settle before the idle window.
  await new Promise((r) => setTimeout(r, 200));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  await agent.stop();
  process.stdout.write(JSON.stringify({ count, setupMs, cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100, rssMb }));
}

/** CPU while idle with `count` timers, and how long adding them took. */
export function triggerFigures({ quick = false } = {}) {
  const windowMs = quick ? 1500 : 4000;
  const run = (count) => {
    const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(count), String(windowMs)], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`bench/triggers child failed: ${out.stderr}`);
    return JSON.parse(out.stdout);
  };
  return { windowMs, none: run(0), thousand: run(1000) };
}

export function triggerRows(t, fmt) {
  return [
    ['idle creature, no triggers (baseline)', `${fmt(t.none.cpuPct, 2)} % cpu`, `${fmt(t.none.rssMb)} MB`, `over ${t.windowMs} ms`],
    ['idle creature, 1000 timers (session file)', `${fmt(t.thousand.cpuPct, 2)} % cpu`, `${fmt(t.thousand.rssMb)} MB`, `target ≤ 5 %; adding them took ${fmt(t.thousand.setupMs)} ms`],
  ];
}

if (process.argv[2] === '--child') {
  await child(Number(process.argv[3]), Number(process.argv[4]));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const figures = triggerFigures({ quick: process.argv.includes('--quick') });
  for (const r of triggerRows(figures, fmt)) console.log(r.join('  '));
}
