// Plugin hook figures for `npm run bench` (plugin issue targets):
//  - the hook chain: `transform('preToolExecute')` through 10 plugins that do
//    nothing, against a chain with none; µs per hook call (target ≤ 20 µs);
//  - the 100-round tool loop through Agent with those 10 plugins loaded,
//    against the same loop without them and the raw-fetch baseline: the
//    framework's per-round overhead should stay the same (±10 %); and the
//    loop against a scripted model, where the framework's own cost per round
//    is measured without HTTP noise.
//
// Run alone: node bench/hooks.mjs [--quick]   (after `npm run build`)

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeServer } from './server-process.mjs';
import { rawToolLoop } from './raw-loop.mjs';
import { median, percentile, timed } from './stats.mjs';

const PLUGINS = 10;

/** `count` plugins whose tool hooks do nothing: what the chain itself costs. */
export function noopPlugins(plugin, count = PLUGINS) {
  return Array.from({ length: count }, (_, i) =>
    plugin({
      name: `noop-${i}`,
      setup: () => ({
        preToolExecute() {},
        postToolExecute() {},
      }),
    }),
  );
}

const info = { agentPath: ['bench'], model: 'openai/bench', turnId: 'turn_1', callId: 'call_1', toolName: 'add', background: false };
const args = { a: 1, b: 2 };

/** µs per `transform` call, over `calls` calls after a warm-up. */
async function perCall(chain, calls) {
  for (let i = 0; i < calls / 10; i++) await chain.transform('preToolExecute', args, info);
  const started = performance.now();
  for (let i = 0; i < calls; i++) await chain.transform('preToolExecute', args, info);
  return ((performance.now() - started) * 1000) / calls;
}

async function chainWith(lib, definitions) {
  const { HookChain, loadPlugins } = lib;
  const chain = new HookChain({ emit: () => undefined, scope: () => ({ agent: 'bench', model: 'openai/bench' }) });
  const state = new Map();
  await loadPlugins(
    chain,
    definitions.map((definition) => ({ definition })),
    { agentName: 'bench', cwd: tmpdir(), emit: () => undefined, state: { get: (k) => state.get(k), set: (k, v) => void state.set(k, v) }, now: () => Date.now() },
  );
  return chain;
}

/** The chain alone: no plugins against 10 no-op plugins, interleaved runs, medians. */
export async function hookChainFigures(lib, { quick }) {
  const calls = quick ? 50_000 : 200_000;
  const runs = quick ? 5 : 9;
  const empty = await chainWith(lib, []);
  const ten = await chainWith(lib, noopPlugins(lib.plugin));
  const none = [];
  const loaded = [];
  for (let i = 0; i < runs; i++) {
    none.push(await perCall(empty, calls));
    loaded.push(await perCall(ten, calls));
  }
  const noneUs = median(none);
  const tenUs = median(loaded);
  return { plugins: PLUGINS, calls, runs, noneUs, tenUs, perPluginUs: (tenUs - noneUs) / PLUGINS, ratio: tenUs / noneUs };
}

/**
 * The tool loop three ways, interleaved so machine noise hits all of them:
 * raw fetch (baseline), Agent, Agent with 10 no-op plugins. Per-round medians.
 */
export async function pluginLoopFigures(lib, { quick, fakeServer, rounds = 100, count = PLUGINS }) {
  const { Agent, providers, add, plugin } = lib;
  // An even count: each variant runs first (right after the baseline) as often as second,
  // so a cost of going first cannot tilt the medians one way.
  const loops = quick ? 4 : 16;
  const server = await fakeServer('openai', 'loop', String(rounds));
  const pwd = mkdtempSync(join(tmpdir(), 'kt-bench-hooks-'));
  const plugins = noopPlugins(plugin, count);
  const rawTool = { name: 'add', description: add.description, parameters: add.parameters, run: ({ a, b }) => String(a + b) };
  const samples = { raw: [], agent: [], plugins: [] };
  const agentRun = async (withPlugins) => {
    const llm = new providers.OpenAICompatibleProvider({ model: 'bench', apiKey: 'sk-bench', baseURL: server.baseURL });
    const agent = await Agent.build({ name: 'bench', system_prompt: 'You add numbers.' }, { llm, pwd, tools: [add], maxTurns: rounds + 5, plugins: withPlugins ? plugins : [] });
    const run = await timed(() => agent.run('go'));
    await agent.stop();
    if (run.value.status !== 'completed' || run.value.steps !== rounds + 1) throw new Error(`agent ended ${run.value.status} after ${run.value.steps} steps`);
    return run;
  };
  try {
    for (let i = 0; i < loops + 2; i++) {
      const raw = await timed(() => rawToolLoop({ baseURL: server.baseURL, apiKey: 'sk-bench', model: 'bench', tool: rawTool }));
      // Alternate which agent goes first, so neither always runs on a warmer process.
      const order = i % 2 ? [true, false] : [false, true];
      const runs = {};
      for (const withPlugins of order) runs[withPlugins] = await agentRun(withPlugins);
      if (i < 2) continue; // warm-up, once in each order
      samples.raw.push(raw);
      samples.agent.push(runs[false]);
      samples.plugins.push(runs[true]);
    }
  } finally {
    await server.close();
  }
  const perRound = (runs, key) => median(runs.map((r) => r[key])) / (rounds + 1);
  // The plugins' cost is the median of the two agents' difference within each
  // iteration: the load of a shared machine drifts between iterations, far
  // more than ten empty hooks cost, but hits both runs of one iteration alike.
  const paired = (key) => median(samples.plugins.map((r, i) => r[key] - samples.agent[i][key])) / (rounds + 1);
  const raw = perRound(samples.raw, 'wall');
  const agent = perRound(samples.agent, 'wall');
  const rawCpu = perRound(samples.raw, 'cpu');
  const agentCpu = perRound(samples.agent, 'cpu');
  const added = paired('wall');
  const addedCpu = paired('cpu');
  // How far single pairs scatter: when this dwarfs the overhead, the machine is too busy for a ±10 % verdict.
  const diffs = samples.plugins.map((r, i) => (r.wall - samples.agent[i].wall) / (rounds + 1));
  const spread = (percentile(diffs, 75) - percentile(diffs, 25)) / 2;
  return {
    rounds: rounds + 1,
    loops,
    perRoundRawMs: raw,
    perRoundAgentMs: agent,
    perRoundPluginsMs: perRound(samples.plugins, 'wall'),
    overheadMs: agent - raw,
    /** What the plugins add per round (paired median). */
    addedMs: added,
    /** Half the interquartile range of the per-iteration differences. */
    addedSpreadMs: spread,
    overheadPluginsMs: agent - raw + added,
    /** Change of the framework's per-round overhead with the plugins loaded (0.05 = 5 % more). */
    overheadChange: added / (agent - raw),
    cpuOverheadMs: agentCpu - rawCpu,
    addedCpuMs: addedCpu,
    cpuOverheadPluginsMs: agentCpu - rawCpu + addedCpu,
    cpuOverheadChange: addedCpu / (agentCpu - rawCpu),
  };
}

/**
 * The same loop against a scripted model in this process: no HTTP, no
 * server, so what is left is the framework's own work per round, and a
 * difference of a few µs shows instead of drowning in socket noise.
 */
export async function scriptedLoopFigures(lib, { quick, rounds = 100 }) {
  const { Agent, ScriptedLLM, add, plugin } = lib;
  const loops = quick ? 10 : 30; // even, as above
  const plugins = noopPlugins(plugin);
  const script = () => [...Array.from({ length: rounds }, (_, i) => ({ toolCalls: [{ name: 'add', args: { a: i, b: 1 } }] })), { text: 'done' }];
  const samples = { agent: [], plugins: [] };
  for (let i = 0; i < loops + 4; i++) {
    for (const withPlugins of i % 2 ? [true, false] : [false, true]) {
      const agent = await Agent.build({ name: 'bench', system_prompt: 'You add numbers.' }, { llm: new ScriptedLLM(script()), pwd: tmpdir(), tools: [add], maxTurns: rounds + 5, plugins: withPlugins ? plugins : [] });
      const run = await timed(() => agent.run('go'));
      await agent.stop();
      if (run.value.status !== 'completed' || run.value.steps !== rounds + 1) throw new Error(`scripted agent ended ${run.value.status} after ${run.value.steps} steps`);
      if (i >= 4) samples[withPlugins ? 'plugins' : 'agent'].push(run); // the first loops warm the JIT up
    }
  }
  const perRound = (runs, key) => median(runs.map((r) => r[key])) / (rounds + 1);
  const paired = (key) => median(samples.plugins.map((r, i) => r[key] - samples.agent[i][key])) / (rounds + 1);
  return {
    rounds: rounds + 1,
    loops,
    perRoundMs: perRound(samples.agent, 'wall'),
    perRoundPluginsMs: perRound(samples.plugins, 'wall'),
    perRoundCpuMs: perRound(samples.agent, 'cpu'),
    /** What the plugins add per round, cpu (paired median). */
    addedCpuMs: paired('cpu'),
  };
}

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const signed = (n, digits = 1) => `${n >= 0 ? '+' : ''}${fmt(n, digits)}`;
const pct = (x) => `${signed(x * 100)} %`;

/** Rows for the bench table. */
export function hookRows(chain, loop, scripted) {
  return [
    [`hook chain, ${chain.plugins} no-op plugins (preToolExecute)`, `${fmt(chain.tenUs, 2)} µs/call`, `${fmt(chain.noneUs, 2)} µs with none`, `${fmt(chain.ratio, 1)}×; ${fmt(chain.perPluginUs, 3)} µs per plugin (target ≤ 20 µs/call)`],
    [`Agent loop + ${chain.plugins} no-op plugins (${loop.rounds} rounds)`, `${signed(loop.addedMs * 1000)} µs/round`, `±${fmt(loop.addedSpreadMs * 1000, 0)} µs between pairs, on ${fmt(loop.overheadMs, 3)} ms overhead`, `${pct(loop.overheadChange)} framework overhead per round (target ±10 %)`],
    ['  same, cpu', `${signed(loop.addedCpuMs * 1000)} µs/round`, `on ${fmt(loop.cpuOverheadMs, 3)} ms`, pct(loop.cpuOverheadChange)],
    [
      `  scripted model, no HTTP (${scripted.rounds} rounds)`,
      `${fmt(scripted.perRoundPluginsMs * 1000, 1)} µs/round`,
      `${fmt(scripted.perRoundMs * 1000, 1)} without`,
      `cpu ${signed(scripted.addedCpuMs * 1000, 2)} µs/round on ${fmt(scripted.perRoundCpuMs * 1000, 1)} (${pct(scripted.addedCpuMs / scripted.perRoundCpuMs)})`,
    ],
  ];
}


if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const quick = process.argv.includes('--quick');
  const lib = await import(join(root, 'dist', 'index.js'));
  const providers = await import(join(root, 'dist', 'providers.js'));
  const { z } = await import('zod');
  const add = lib.tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
  const chain = await hookChainFigures(lib, { quick });
  const { ScriptedLLM } = await import(join(root, 'dist', 'testing.js'));
  const loop = await pluginLoopFigures({ ...lib, providers, add }, { quick, fakeServer });
  const scripted = await scriptedLoopFigures({ ...lib, ScriptedLLM, add }, { quick });
  for (const r of hookRows(chain, loop, scripted)) console.log(`${r[0]}  ${r[1]}  ${r[2]}  ${r[3]}`);
  console.log(JSON.stringify({ chain, loop, scripted }, null, 2));
}
