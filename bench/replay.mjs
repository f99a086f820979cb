// Replay cost (replay issue target: replaying a 100-round session takes
// ≤ 2× the time of its tools alone). A session of one turn with 100 model
// rounds, 99 of them calling a tool that does ~1 ms of real work (hashing),
// is recorded with ScriptedLLM; then `replaySession --check` (tools rerun)
// is timed against the same 99 tool executions run back to back by hand.
// Medians over several runs, after a warm-up. CPU-bound on purpose: wall
// time of both sides moves together on a busy machine.
//
// Run alone: node bench/replay.mjs [--quick]   (after `npm run build`)
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function replayFigures({ quick = false } = {}) {
  const { Agent, ToolCatalog, replaySession, tool } = await import(join(root, 'dist', 'index.js'));
  const { ScriptedLLM } = await import(join(root, 'dist', 'testing.js'));
  const { z } = await import('zod');
  const rounds = 100;
  const runs = quick ? 3 : 9;
  const block = Buffer.alloc(1 << 16, 7);
  const work = (seed) => {
    // ~1 ms of hashing: a tool that does something, so "tools alone" is not zero.
    let digest = String(seed);
    for (let i = 0; i < 60; i++) digest = createHash('sha256').update(block).update(digest).digest('hex');
    return digest;
  };
  const hash = tool({ name: 'hash', description: 'Hash a seed.', input: z.object({ seed: z.number() }), execute: ({ seed }) => work(seed) });
  const build = { tools: [hash], catalog: new ToolCatalog() };
  const script = [
    ...Array.from({ length: rounds - 1 }, (_, i) => ({ toolCalls: [{ id: `h${i}`, name: 'hash', args: { seed: i } }], usage: { input: 100 + i, output: 5, cached: 0 } })),
    { text: 'All hashed.', usage: { input: 300, output: 5, cached: 0 } },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'kt-bench-replay-'));
  try {
    const path = join(dir, 'run.kohakutr');
    const pwd = mkdtempSync(join(dir, 'tree-'));
    const agent = await Agent.build({ name: 'hasher', system_prompt: 'You hash.', termination: { max_turns: rounds + 5 } }, { ...build, llm: new ScriptedLLM(script), pwd, session: path });
    await agent.run('Hash the seeds.');
    await agent.stop();

    const replaySamples = [];
    const toolSamples = [];
    for (let i = 0; i < runs + 1; i++) {
      const t0 = performance.now();
      const report = await replaySession(path, { build, tree: pwd });
      const replayMs = performance.now() - t0;
      if (!report.ok) throw new Error('bench/replay: the replay diverged from its own recording');
      const t1 = performance.now();
      for (let seed = 0; seed < rounds - 1; seed++) work(seed);
      const toolsMs = performance.now() - t1;
      if (i > 0) {
        replaySamples.push(replayMs);
        toolSamples.push(toolsMs);
      }
    }
    return { replayMs: median(replaySamples), toolsAloneMs: median(toolSamples), rounds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await replayFigures({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(figures));
  console.log(`replay/tools = ${(figures.replayMs / figures.toolsAloneMs).toFixed(2)}× (target ≤ 2×)`);
}
