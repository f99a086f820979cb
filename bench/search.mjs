// Search figures for `npm run bench` (targets, issues 5 and 18: kt search p50 ≤ 20 ms
// over 100k blocks, FTS and hybrid, hash embeddings of 256 dimensions; `kt embedding`
// ≥ 30k blocks/s). The full run uses 100k blocks, `--quick` 20k.
//
// A session of ~100k blocks is written with the public SessionStore (the
// events a coding agent logs: requests, tool calls with results, answers,
// streaming noise), indexed and embedded by a real `kt embedding` process,
// then queried in process (the search itself) and by `kt search` processes
// (what a user waits for, Node's start included).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './stats.mjs';

/** Deterministic text, so every run indexes the same session. */
function textSource(seed) {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (items) => items[Math.floor(rand() * items.length)];
  const common = 'the a to of and in is it that for on with as this be are was by or from at not'.split(' ');
  const stems = ['auth', 'cache', 'token', 'index', 'query', 'build', 'test', 'deploy', 'socket', 'parser'];
  const vocab = Array.from({ length: 4000 }, (_, i) => `${pick(stems)}${i.toString(36)}`);
  // Skewed word use, as in real text.
  const word = () => (rand() < 0.4 ? pick(common) : vocab[Math.floor(vocab.length * rand() ** 3)]);
  return { rand, pick, vocab, word, sentence: (n) => Array.from({ length: n }, word).join(' ') };
}

/**
 * CPU seconds (user + system) of this process's waited-for children, from /proc (Linux;
 * undefined elsewhere): the machine running the bench may be busy, and a child's wall
 * time then counts other processes' turns too.
 */
function childCpuSeconds() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // After the command: state is field 3; cutime and cstime are fields 16 and 17 (clock ticks, 100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function writeSession(lib, path, targetBlocks) {
  const text = textSource(42);
  const store = lib.SessionStore.create(path, { sessionId: 'bench', kind: 'agent', configRef: 'bench', pwd: tmpdir(), createdAt: Date.now(), lastActive: Date.now(), agents: ['swe'], turns: 0 });
  const usage = { input: 1, output: 1, cached: 0 };
  const timings = { ttftMs: 1, modelMs: 1, toolsMs: 0, overheadMs: 0 };
  let seq = 0;
  let calls = 0;
  let blocks = 0;
  for (let turn = 1; blocks < targetBlocks; turn++) {
    const emit = (draft) =>
      store.append({ ...draft, seq: ++seq, ts: Date.now(), sessionId: 'bench', creatureId: 'swe_1', turnId: `turn_${turn}`, agentPath: ['swe'] }, { turn, branch: 1 });
    emit({ type: 'turn.start', turnIndex: turn, branch: 1, input: text.sentence(12), source: 'user' });
    for (let i = 0; i < 2; i++) {
      const callId = `call_${++calls}`;
      const name = text.pick(['bash', 'read', 'grep']);
      emit({ type: 'tool.call', callId, name, args: { path: `src/${text.word()}.ts`, pattern: text.word() }, step: 1, background: false });
      emit({ type: 'tool.result', callId, name, output: text.sentence(40), isError: false, status: 'ok', durationMs: 5 });
    }
    for (let i = 0; i < 4; i++) emit({ type: 'text.delta', step: 1, text: text.sentence(3) });
    const two = text.rand() < 0.5;
    emit({ type: 'step.end', step: 1, text: two ? `${text.sentence(45)}\n\n${text.sentence(45)}` : text.sentence(45), toolCalls: [], finishReason: 'stop', model: 'bench', usage, timings });
    emit({ type: 'usage', turn: usage, total: usage, contextTokens: 10 });
    blocks += two ? 5 : 4;
    if (store.unflushed > 20_000) store.flush();
  }
  store.flush();
  store.close();
  return { text, events: seq };
}

export async function searchFigures(lib, { quick, ktBin, env }) {
  const dir = mkdtempSync(join(tmpdir(), 'kt-bench-search-'));
  try {
    const path = join(dir, 'big.kohakutr');
    const target = quick ? 20_000 : 100_000;
    const { text, events } = writeSession(lib, path, target);

    const t0 = performance.now();
    const cpu0 = childCpuSeconds();
    const embed = spawnSync(process.execPath, [ktBin, 'embedding', path, '--provider', 'hash', '--dimensions', '256'], { env, encoding: 'utf8' });
    if (embed.status !== 0) throw new Error(`kt embedding exited ${embed.status}: ${embed.stderr}`);
    const indexMs = performance.now() - t0;
    const cpu1 = childCpuSeconds();
    const indexCpuMs = cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) * 1000;
    // Again with nothing new: what every later `kt search` pays to find the index up to date.
    const t1 = performance.now();
    const again = spawnSync(process.execPath, [ktBin, 'embedding', path, '--provider', 'hash', '--dimensions', '256'], { env, encoding: 'utf8' });
    if (again.status !== 0) throw new Error(`kt embedding (up to date) exited ${again.status}: ${again.stderr}`);
    const upToDateMs = performance.now() - t1;

    const queries = Array.from({ length: quick ? 30 : 60 }, () => `${text.word()} ${text.word()} ${text.pick(text.vocab)}`);
    const store = lib.SessionStore.open(path);
    const inProcess = {};
    // CPU time per query too: on a shared machine the wall time also counts other processes' turns.
    const inProcessCpu = {};
    let blocks = 0;
    let semanticRecallAt10;
    try {
      blocks = store.database.prepare('SELECT count(*) AS n FROM search_blocks').get().n;
      for (const mode of ['fts', 'semantic', 'hybrid']) {
        await lib.searchSession(store, queries[0], { mode, index: false }); // warm the page cache
        const times = [];
        const cpus = [];
        for (const query of queries) {
          const cpu0 = process.cpuUsage();
          const started = performance.now();
          await lib.searchSession(store, query, { mode, k: 10, index: false });
          times.push(performance.now() - started);
          const cpu = process.cpuUsage(cpu0);
          cpus.push((cpu.user + cpu.system) / 1000);
        }
        inProcess[mode] = median(times);
        inProcessCpu[mode] = median(cpus);
      }
      // The exact scan, for the two-stage search's recall and its own CPU cost.
      const exactCpus = [];
      let found = 0;
      let wanted = 0;
      for (const query of queries) {
        const cpu0 = process.cpuUsage();
        const exact = await lib.searchSession(store, query, { mode: 'semantic', k: 10, index: false, twoStageFrom: Infinity });
        const cpu = process.cpuUsage(cpu0);
        exactCpus.push((cpu.user + cpu.system) / 1000);
        const fast = new Set((await lib.searchSession(store, query, { mode: 'semantic', k: 10, index: false })).map((h) => `${h.creature}:${h.round}:${h.block}`));
        found += exact.filter((h) => fast.has(`${h.creature}:${h.round}:${h.block}`)).length;
        wanted += exact.length;
      }
      inProcessCpu.semanticExact = median(exactCpus);
      semanticRecallAt10 = wanted ? found / wanted : 1;
    } finally {
      store.close();
    }

    const processRuns = {};
    for (const mode of ['fts', 'hybrid']) {
      const times = [];
      for (const query of queries.slice(0, quick ? 3 : 7)) {
        const started = performance.now();
        const run = spawnSync(process.execPath, [ktBin, 'search', path, query, '--mode', mode, '-k', '10'], { env, encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`kt search exited ${run.status}: ${run.stderr}`);
        times.push(performance.now() - started);
      }
      processRuns[mode] = median(times);
    }
    return {
      blocks,
      events,
      hybridP50Ms: inProcess.hybrid,
      ftsP50Ms: inProcess.fts,
      semanticP50Ms: inProcess.semantic,
      // Index + hash vectors by a whole `kt embedding` process, Node's start included.
      embedBlocksPerSecond: blocks / (indexMs / 1000),
      // The same per CPU second of the `kt embedding` process, which a busy machine does not lower.
      embedBlocksPerCpuSecond: indexCpuMs ? blocks / (indexCpuMs / 1000) : undefined,
      // Of the exact 10 nearest blocks, the share the two-stage search returns (same queries).
      semanticRecallAt10,
      indexMs,
      indexCpuMs,
      upToDateMs,
      inProcess,
      inProcessCpu,
      processRuns,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench/search.mjs [--quick]`: the search figures alone (after `npm run build`).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const ktBin = join(root, 'dist', 'kt.js');
  const lib = await import(join(root, 'dist', 'index.js'));
  const env = { PATH: process.env.PATH, HOME: tmpdir(), KT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kt-bench-cfg-')) };
  try {
    console.log(JSON.stringify(await searchFigures(lib, { quick: process.argv.includes('--quick'), ktBin, env }), null, 2));
  } finally {
    rmSync(env.KT_CONFIG_DIR, { recursive: true, force: true });
  }
}
