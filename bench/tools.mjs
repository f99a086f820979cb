// Tool figures for `npm run bench` (issue 4 targets):
//  - ten 100 ms read-only calls in one round really overlap (well under 1 s),
//    and ten exclusive calls never do (≈ 1 s, at most one running at a time);
//  - the `grep` tool over a 50k-file tree, against ripgrep when it is
//    installed and GNU `grep -r` otherwise (the ratio is reported either way);
//  - the `bash` tool's cost per call on `echo hi` (median wall and CPU of 200
//    calls, bench/shell-call.mjs), in a small process and in one holding ~100 MB
//    of live heap, against a bare `child_process.spawn` measured the same way.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

/** Ten calls of a 100 ms tool in one round; wall time of the round's tools and the most that ran at once. */
async function tenCalls(lib, concurrency) {
  const { Agent, ScriptedLLM, tool, z } = lib;
  let running = 0;
  let most = 0;
  const slow = tool({
    name: 'slow_read',
    description: 'Takes 100 ms.',
    concurrency,
    input: z.object({ i: z.number() }),
    execute: async ({ i }) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 100));
      running--;
      return `done ${i}`;
    },
  });
  const calls = Array.from({ length: 10 }, (_, i) => ({ name: 'slow_read', args: { i } }));
  const agent = await Agent.build({ name: 'bench' }, { llm: new ScriptedLLM([{ toolCalls: calls }, { text: 'ok' }]), tools: [slow], pwd: tmpdir() });
  let first = Infinity;
  let last = 0;
  agent.on((e) => {
    if (e.type === 'tool.call') first = Math.min(first, performance.now());
    if (e.type === 'tool.result') last = performance.now();
  });
  const result = await agent.run('go');
  await agent.stop();
  if (result.status !== 'completed') throw new Error(`ten ${concurrency} calls ended ${result.status}`);
  return { wallMs: last - first, mostAtOnce: most };
}

/** 50k small source files in 500 folders; one line in 50 files holds the needle. */
function writeTree(files) {
  const root = mkdtempSync(join(tmpdir(), 'kt-bench-grep-'));
  const filler = Array.from({ length: 40 }, (_, i) => `export function helper${i}(value) { return value * ${i} + 1; } // plain code line`).join('\n');
  for (let d = 0; d < files / 100; d++) {
    const dir = join(root, 'src', `pkg${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) {
      const n = d * 100 + f;
      const needle = n % 1000 === 0 ? `\nconst marker = "needle_in_the_haystack_${n}";` : '';
      writeFileSync(join(dir, `file${f}.ts`), `${filler}${needle}\n`);
    }
  }
  writeFileSync(join(root, '.gitignore'), 'node_modules\n');
  return root;
}

async function grepTool(lib, root) {
  const { Agent, ScriptedLLM } = lib;
  const agent = await Agent.build(
    { name: 'bench', tools: ['grep'] },
    { llm: new ScriptedLLM([{ toolCalls: [{ name: 'grep', args: { pattern: 'needle_in_the_haystack_\\d+', output_mode: 'files_with_matches' } }] }, { text: 'ok' }]), pwd: root },
  );
  let result;
  agent.on((e) => {
    if (e.type === 'tool.result') result = e;
  });
  await agent.run('go');
  await agent.stop();
  if (!result || result.isError) throw new Error(`grep failed: ${result?.output}`);
  const found = result.output.split('\n').filter((l) => l.includes('file')).length;
  return { ms: result.durationMs, found };
}

function nativeSearch(root) {
  const rg = spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;
  const [command, args] = rg ? ['rg', ['-l', 'needle_in_the_haystack_[0-9]+', '.']] : ['grep', ['-rlE', 'needle_in_the_haystack_[0-9]+', '.']];
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - started;
  return { name: rg ? 'ripgrep' : 'grep -r', ms, found: run.stdout.trim().split('\n').filter(Boolean).length };
}

const here = dirname(fileURLToPath(import.meta.url));

/** One fresh node running bench/shell-call.mjs against the built library. */
function shellCalls(bigHeap, calls) {
  const args = [join(here, 'shell-call.mjs'), join(here, '..', 'dist', 'index.js'), '--calls', String(calls), ...(bigHeap ? ['--big-heap'] : [])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`shell-call.mjs exited ${run.status}: ${run.stderr}`);
  const { tool, spawn } = JSON.parse(run.stdout.trim().split('\n').at(-1));
  const round = ({ wallMs, cpuMs }) => ({ wall: Number(wallMs.toFixed(3)), cpu: Number(cpuMs.toFixed(3)) });
  return { tool: round(tool), spawn: round(spawn) };
}

export function shellCallFigures({ quick }) {
  const calls = quick ? 50 : 200;
  const small = shellCalls(false, calls);
  const big = shellCalls(true, calls);
  return { calls, shellCallMs: small.tool, shellCallBigHeapMs: big.tool, spawnBaselineMs: small.spawn, spawnBaselineBigHeapMs: big.spawn };
}

export async function toolFigures(lib, { quick }) {
  const parallel = await tenCalls(lib, 'parallel');
  const exclusive = await tenCalls(lib, 'exclusive');
  const shell = shellCallFigures({ quick });
  const files = quick ? 10_000 : 50_000;
  const root = writeTree(files);
  try {
    const runs = quick ? 2 : 5;
    const ours = [];
    const theirs = [];
    let found;
    let baseline;
    for (let i = 0; i < runs + 1; i++) {
      // The first pass warms the page cache for both.
      const a = await grepTool(lib, root);
      const b = nativeSearch(root);
      if (a.found !== b.found) throw new Error(`grep found ${a.found} files, ${b.name} ${b.found}`);
      found = a.found;
      baseline = b.name;
      if (i > 0) {
        ours.push(a.ms);
        theirs.push(b.ms);
      }
    }
    return { parallel, exclusive, ...shell, grep: { files, found, ms: median(ours), baseline, baselineMs: median(theirs) } };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
