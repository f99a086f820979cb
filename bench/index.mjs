// npm run bench — figures for the targets in the issues, measured in one run
// against the zero-latency fake OpenAI server on loopback.
//
//  (a) process: `kt --version` and a one-turn `kt run --mode plain` (wall, peak RSS)
//  (b) in-process: a 100-round tool loop through Agent, against a raw-fetch
//      loop doing the same HTTP, SSE parsing and tool work (the baseline);
//      overhead per round = (agent - baseline) / rounds.
//  (c) plugins: the hook chain with 10 no-op plugins, and the same tool loop
//      with them loaded (bench/hooks.mjs).
//  (d) terrariums: 60 idle creatures' memory, one message to 60 listeners,
//      routing cost per message, the 60-grader batch example (bench/terrarium.mjs).
//
// Prints medians and ratios; writes bench/results/latest.json.
// `--targets`: only what issue 18's targets need (process, sessions, terminal,
// search, speed, library start-up), in the same order, then the targets
// table; a copy of this folder run in another build's tree gives that
// build's figures to compare.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hookChainFigures, hookRows, pluginLoopFigures, scriptedLoopFigures } from './hooks.mjs';
import { nodeArgsFor } from './kt-launch.mjs';
import { rawToolLoop } from './raw-loop.mjs';
import { installedRunFigures, packageFigures, packageRows } from './packages.mjs';
import { searchFigures } from './search.mjs';
import { fakeServer } from './server-process.mjs';
import { sessionFigures } from './sessions.mjs';
import { toolFigures } from './tools.mjs';
import { terminalFigures, terminalRows } from './terminal.mjs';
import { triggerFigures, triggerRows } from './triggers.mjs';
import { terrariumFigures, terrariumRows } from './terrarium.mjs';
import { composeFigures, composeRows } from './compose.mjs';
import { mcpRows } from './mcp.mjs';
import { serverFigures, serverRows } from './server.mjs';
import { median, timed } from './stats.mjs';
import { speedFigures } from './speed.mjs';
import { startupFigures } from './startup.mjs';
import { replayFigures } from './replay.mjs';
import { printTargets, targetRows } from './targets.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ktBin = join(root, 'dist', 'kt.js');
if (!existsSync(ktBin)) {
  console.error('bench: dist/kt.js is missing; run `npm run build` first');
  process.exit(1);
}
const { Agent, tool, plugin, HookChain, loadPlugins } = await import(join(root, 'dist', 'index.js'));
const providers = await import(join(root, 'dist', 'providers.js'));
const { ScriptedLLM } = await import(join(root, 'dist', 'testing.js'));
const { SessionStore, forkSession, searchSession } = await import(join(root, 'dist', 'index.js'));
const { z } = await import('zod');

const quick = process.argv.includes('--quick');
const targetsOnly = process.argv.includes('--targets');
/** A section the targets do not need: skipped under --targets. */
const extra = (run) => (targetsOnly ? undefined : run());
const RUNS = quick ? 5 : 15;
const ROUNDS = 100;
const LOOPS = quick ? 3 : 15;

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const hasTime = existsSync('/usr/bin/time');

/** Wall ms (measured here) and peak RSS MB (from /usr/bin/time) of one process run. */
function measureProcess(args, env, cwd) {
  const node = [...nodeArgsFor(args[0]), ...args.slice(1)];
  const command = hasTime ? ['/usr/bin/time', ['-f', '%M', process.execPath, ...node]] : [process.execPath, node];
  const started = performance.now();
  const run = spawnSync(command[0], command[1], { env, cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = performance.now() - started;
  if (run.status !== 0) throw new Error(`kt ${args.slice(1).join(' ')} exited ${run.status}: ${run.stderr}`);
  const rssKb = hasTime ? Number(run.stderr.trim().split('\n').at(-1)) : NaN;
  return { wall, rss: rssKb / 1024, stdout: run.stdout };
}

async function withServer(fn) {
  const server = await fakeServer('openai', 'text');
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** The same process with bare node, for scale. */
function nodeBaseline(env) {
  return measureProcess(['-e', ''], env, root);
}

async function processFigures(server) {
  const home = mkdtempSync(join(tmpdir(), 'kt-bench-home-'));
  const project = mkdtempSync(join(tmpdir(), 'kt-bench-project-'));
  const env = { PATH: process.env.PATH, HOME: home, KT_CONFIG_DIR: join(home, '.kohakuterrarium'), OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: server.baseURL, CI: 'true' };
  // Warm the page cache and the compile cache once.
  measureProcess([ktBin, '--version'], env, project);
  measureProcess([ktBin, 'run', '@kt-biome/creatures/swe', '--mode', 'plain', '--llm', 'openai/bench', '-p', 'hi'], env, project);
  const node = [], version = [], oneTurn = [], doctor = [];
  for (let i = 0; i < RUNS; i++) {
    node.push(nodeBaseline(env));
    version.push(measureProcess([ktBin, '--version'], env, project));
    oneTurn.push(measureProcess([ktBin, 'run', '@kt-biome/creatures/swe', '--mode', 'plain', '--llm', 'openai/bench', '-p', 'hi'], env, project));
    if (i < 5) doctor.push(measureProcess([ktBin, 'doctor', '--llm', 'openai/bench'], env, project));
  }
  const pick = (xs, key) => median(xs.map((x) => x[key]));
  return {
    node: { wallMs: pick(node, 'wall'), rssMb: pick(node, 'rss') },
    version: { wallMs: pick(version, 'wall'), rssMb: pick(version, 'rss') },
    oneTurn: { wallMs: pick(oneTurn, 'wall'), rssMb: pick(oneTurn, 'rss'), peakRssMb: Math.max(...oneTurn.map((x) => x.rss)) },
    doctor: { wallMs: pick(doctor, 'wall') },
  };
}

const add = tool({
  name: 'add',
  description: 'Add two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => String(a + b),
});
const addSchema = add.parameters;

async function loopFigures() {
  const server = await fakeServer('openai', 'loop', String(ROUNDS));
  const pwd = mkdtempSync(join(tmpdir(), 'kt-bench-loop-'));
  const agentRuns = [], rawRuns = [], stepOverhead = [];
  const rawTool = { name: 'add', description: add.description, parameters: addSchema, run: ({ a, b }) => String(a + b) };
  try {
    for (let i = 0; i < LOOPS + 1; i++) {
      // Interleave baseline and agent so machine noise hits both.
      const raw = await timed(() => rawToolLoop({ baseURL: server.baseURL, apiKey: 'sk-bench', model: 'bench', tool: rawTool }));
      if (raw.value.rounds !== ROUNDS + 1) throw new Error(`baseline made ${raw.value.rounds} requests`);

      const llm = new providers.OpenAICompatibleProvider({ model: 'bench', apiKey: 'sk-bench', baseURL: server.baseURL });
      const agent = await Agent.build({ name: 'bench', system_prompt: 'You add numbers.' }, { llm, pwd, tools: [add], maxTurns: ROUNDS + 5 });
      let overhead = 0;
      agent.on('step.end', (e) => (overhead += e.timings.overheadMs));
      const run = await timed(() => agent.run('go'));
      await agent.stop();
      if (run.value.status !== 'completed' || run.value.steps !== ROUNDS + 1) throw new Error(`agent ended ${run.value.status} after ${run.value.steps} steps`);
      if (i === 0) continue; // warm-up
      rawRuns.push(raw);
      agentRuns.push(run);
      stepOverhead.push(overhead / (ROUNDS + 1));
    }
  } finally {
    await server.close();
  }
  const perRound = (runs, key) => median(runs.map((r) => r[key])) / (ROUNDS + 1);
  return {
    rounds: ROUNDS + 1,
    perRoundRawMs: perRound(rawRuns, 'wall'),
    perRoundAgentMs: perRound(agentRuns, 'wall'),
    overheadPerRoundMs: perRound(agentRuns, 'wall') - perRound(rawRuns, 'wall'),
    perRoundRawCpuMs: perRound(rawRuns, 'cpu'),
    perRoundAgentCpuMs: perRound(agentRuns, 'cpu'),
    cpuOverheadPerRoundMs: perRound(agentRuns, 'cpu') - perRound(rawRuns, 'cpu'),
    loopOverheadMs: median(stepOverhead),
  };
}

const ADAPTERS = [
  ['openai (chat completions)', 'openai', (url) => new providers.OpenAICompatibleProvider({ model: 'bench', apiKey: 'k', baseURL: url })],
  ['anthropic (messages)', 'anthropic', (url) => new providers.AnthropicProvider({ model: 'claude-bench', apiKey: 'k', baseURL: url })],
  ['gemini', 'gemini', (url) => new providers.GeminiProvider({ model: 'gemini-bench', apiKey: 'k', baseURL: url })],
  ['openai (responses)', 'responses', (url) => new providers.ResponsesProvider({ model: 'bench', apiKey: 'k', baseURL: url })],
];

/** The same 100-round tool loop through each adapter and its fake; ms per round (median). */
async function adapterFigures() {
  const rounds = quick ? 30 : ROUNDS;
  const servers = await Promise.all(ADAPTERS.map(([, protocol]) => fakeServer(protocol, 'loop', String(rounds))));
  const pwd = mkdtempSync(join(tmpdir(), 'kt-bench-adapters-'));
  const samples = ADAPTERS.map(() => []);
  try {
    for (let i = 0; i < LOOPS + 1; i++) {
      for (const [index, [, , make]] of ADAPTERS.entries()) {
        const agent = await Agent.build({ name: 'bench', system_prompt: 'You add numbers.' }, { llm: make(servers[index].baseURL), pwd, tools: [add], maxTurns: rounds + 5 });
        const run = await timed(() => agent.run('go'));
        await agent.stop();
        if (run.value.status !== 'completed' || run.value.steps !== rounds + 1) throw new Error(`${ADAPTERS[index][0]} ended ${run.value.status} after ${run.value.steps} steps`);
        if (i > 0) samples[index].push(run.wall / (rounds + 1));
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
  return ADAPTERS.map(([name], index) => ({ name, perRoundMs: median(samples[index]) }));
}

console.log(`kohakuterrarium bench — node ${process.version}, ${RUNS} process runs, ${LOOPS} loops of ${ROUNDS} tool rounds${quick ? ' (quick)' : ''}\n`);
const server = await fakeServer('openai', 'text');
let proc;
try {
  proc = await processFigures(server);
} finally {
  await server.close();
}
const loop = await extra(loopFigures);
const adapters = await extra(adapterFigures);
const sessions = await withServer(async (server) => {
  const home = mkdtempSync(join(tmpdir(), 'kt-bench-home-'));
  const env = { PATH: process.env.PATH, HOME: home, KT_CONFIG_DIR: join(home, '.kohakuterrarium'), OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: server.baseURL, CI: 'true' };
  return sessionFigures({ Agent, ScriptedLLM, SessionStore, forkSession, add, tool, z }, { quick, ktBin, env });
});
const ui = await terminalFigures({ Agent, ScriptedLLM, SessionStore, add }, { ktBin, quick });
const tools = await extra(() => toolFigures({ Agent, ScriptedLLM, tool, z }, { quick }));
const hooks = await extra(async () => ({
  chain: await hookChainFigures({ HookChain, loadPlugins, plugin }, { quick }),
  loop: await pluginLoopFigures({ Agent, providers, add, plugin }, { quick, fakeServer, rounds: ROUNDS }),
  scripted: await scriptedLoopFigures({ Agent, ScriptedLLM, add, plugin }, { quick, rounds: ROUNDS }),
}));
const terrarium = await extra(() => terrariumFigures({ quick }));
const search = await searchFigures({ SessionStore, searchSession }, { quick, ktBin, env: { PATH: process.env.PATH, HOME: tmpdir(), KT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kt-bench-cfg-')) } });

const triggers = extra(() => triggerFigures({ quick }));
const speed = await speedFigures({ quick, ktBin });
const startup = await startupFigures({ quick });
const replay = await extra(() => replayFigures({ quick }));
if (targetsOnly) {
  console.log('issue 18 targets (each against a baseline measured in this run)\n');
  printTargets(targetRows({ speed, startup, search, sessions, proc, ui }));
  process.exit(0);
}

const rows = [
  ['node -e "" (scale)', `${fmt(proc.node.wallMs)} ms`, `${fmt(proc.node.rssMb)} MB`, ''],
  ['kt --version', `${fmt(proc.version.wallMs)} ms`, `${fmt(proc.version.rssMb)} MB`, `target ≤ 40 ms; ${fmt(proc.version.wallMs / proc.node.wallMs, 2)}× bare node`],
  ['kt run --mode plain (1 turn)', `${fmt(proc.oneTurn.wallMs)} ms`, `${fmt(proc.oneTurn.rssMb)} MB (peak ${fmt(proc.oneTurn.peakRssMb)})`, 'target ≤ 150 ms, ≤ 90 MB'],
  ['kt doctor (all fine, no MCP servers)', `${fmt(proc.doctor.wallMs)} ms`, '', 'target ≤ 2000 ms'],
  [`raw fetch loop (${loop.rounds} rounds)`, `${fmt(loop.perRoundRawMs, 3)} ms/round`, `cpu ${fmt(loop.perRoundRawCpuMs, 3)} ms`, 'baseline'],
  [`Agent loop (${loop.rounds} rounds)`, `${fmt(loop.perRoundAgentMs, 3)} ms/round`, `cpu ${fmt(loop.perRoundAgentCpuMs, 3)} ms`, `${fmt(loop.perRoundAgentMs / loop.perRoundRawMs, 2)}× baseline`],
  ['framework overhead per round', `${fmt(loop.overheadPerRoundMs, 3)} ms`, `cpu ${fmt(loop.cpuOverheadPerRoundMs, 3)} ms`, 'target ≤ 0.5 ms above baseline'],
  ['  of which loop bookkeeping (step.end overheadMs)', `${fmt(loop.loopOverheadMs, 3)} ms`, '', ''],
  ...hookRows(hooks.chain, hooks.loop, hooks.scripted),
  ...adapters.map((a) => [`adapter: ${a.name}`, `${fmt(a.perRoundMs, 3)} ms/round`, '', `${fmt(a.perRoundMs / adapters[0].perRoundMs, 2)}× chat completions`]),
  [`session append (${sessions.appendEvents} events, batched)`, `${fmt(sessions.appendPerSecond / 1000, 0)}k events/s`, '', 'target ≥ 100k/s'],
  ['session durable after turn end', `${fmt(sessions.durableP50Ms, 2)} ms`, `max ${fmt(sessions.durableMaxMs, 2)} ms`, 'target ≤ 250 ms'],
  [`resume ${sessions.resumeEvents} events (Agent.build)`, `${fmt(sessions.resumeMs)} ms`, `${fmt(sessions.replayResumeMs)} ms with no snapshot`, 'target ≤ 300 ms to first prompt'],
  ['kt resume process (restore + 1 turn)', `${fmt(sessions.processResumeMs)} ms`, '', `${fmt(sessions.processResumeMs / proc.oneTurn.wallMs, 2)}× a fresh kt run`],
  [`kt resume ${sessions.resume5kMessages ?? 5000} messages (process, peak RSS)`, `${fmt(sessions.resume5kWallMs)} ms`, `${fmt(sessions.resume5kPeakRssMb)} MB`, 'target ≤ 150 MB'],
  [`resume ${sessions.resume5kMessages ?? 5000} messages (Agent.build in a child)`, `${fmt(sessions.resume5kLibraryWallMs)} ms`, `${fmt(sessions.resume5kLibraryPeakRssMb)} MB`, ''],
  [`search ${search.blocks} blocks: fts (in process)`, `${fmt(search.ftsP50Ms, 2)} ms`, `p50 of queries (CPU ${fmt(search.inProcessCpu.fts, 2)} ms)`, 'target ≤ 20 ms'],
  [`search ${search.blocks} blocks: hybrid, hash 256-d`, `${fmt(search.hybridP50Ms, 2)} ms`, `CPU ${fmt(search.inProcessCpu.hybrid, 2)} ms; semantic alone ${fmt(search.semanticP50Ms, 2)} ms`, 'target ≤ 20 ms'],
  ['kt search process (fts | hybrid)', `${fmt(search.processRuns.fts)} ms`, `${fmt(search.processRuns.hybrid)} ms hybrid`, 'whole command, Node start included'],
  [`kt embedding (index + hash vectors, ${search.events} events)`, `${fmt(search.indexMs / 1000, 2)} s`, `${fmt(search.embedBlocksPerSecond / 1000, 1)}k blocks/s`, 'target ≥ 30k blocks/s'],
  ['kt embedding, index already up to date', `${fmt(search.upToDateMs)} ms`, '', 'whole command, Node start included'],
  ['ten 100 ms parallel tool calls, one round', `${fmt(tools.parallel.wallMs)} ms`, `${tools.parallel.mostAtOnce} at once`, 'target well under 1000 ms'],
  ['ten 100 ms exclusive tool calls, one round', `${fmt(tools.exclusive.wallMs)} ms`, `${tools.exclusive.mostAtOnce} at once`, 'must never overlap (1 at once)'],
  [`grep tool, ${tools.grep.files / 1000}k files (${tools.grep.found} hits)`, `${fmt(tools.grep.ms)} ms`, `${tools.grep.baseline} ${fmt(tools.grep.baselineMs)} ms`, `${fmt(tools.grep.ms / tools.grep.baselineMs, 2)}× ${tools.grep.baseline} (target ≤ 2× ripgrep)`],
  [`bash tool, echo hi (median of ${tools.calls})`, `${fmt(tools.shellCallMs.wall, 2)} ms`, `cpu ${fmt(tools.shellCallMs.cpu, 2)} ms`, `bare spawn ${fmt(tools.spawnBaselineMs.wall, 2)} ms, cpu ${fmt(tools.spawnBaselineMs.cpu, 2)} ms`],
  ['bash tool, echo hi, ~100 MB live heap', `${fmt(tools.shellCallBigHeapMs.wall, 2)} ms`, `cpu ${fmt(tools.shellCallBigHeapMs.cpu, 2)} ms`, `bare spawn ${fmt(tools.spawnBaselineBigHeapMs.wall, 2)} ms, cpu ${fmt(tools.spawnBaselineBigHeapMs.cpu, 2)} ms`],
  ...terminalRows(ui),
  ...triggerRows(triggers, fmt),
  ...terrariumRows(terrarium, fmt),
  ...packageRows(packageFigures({ ktBin, quick }), fmt, await withServer((server) => installedRunFigures({ ktBin, baseURL: server.baseURL, root, quick }))),
  ...composeRows(await composeFigures({ quick }), fmt),
  ...(await mcpRows({ quick, fmt })),
  ...serverRows(await serverFigures({ quick }), fmt),
  [`kt replay --check, ${replay.rounds}-round session`, `${fmt(replay.replayMs)} ms`, `its tools alone ${fmt(replay.toolsAloneMs)} ms`, `${fmt(replay.replayMs / replay.toolsAloneMs, 2)}× (target ≤ 2×)`],
  ['session file vs JSON of its events', `${fmt(sessions.fileBytes / 1024, 0)} KB`, `${fmt(sessions.eventsJsonBytes / 1024, 0)} KB JSON`, `${fmt(sessions.fileBytes / sessions.eventsJsonBytes, 2)}× (target ≤ 1.5×)`],
];
const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`);

console.log('\nissue 18 targets (each against a baseline measured in this run)\n');
printTargets(targetRows({ speed, startup, search, sessions, proc, ui }));

const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, process: proc, loop, hooks, adapters, sessions, search, tools, ui, triggers, terrarium, speed, startup, replay }, null, 2));
console.log(`\nwrote bench/results/latest.json`);
