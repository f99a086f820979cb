// The terminal-app figures (bench/ui.mjs, bench/ui-resume.mjs) and their rows.
// Run alone, after `npm run build`:  node bench/terminal.mjs [--quick]
// (npm run bench runs them with everything else).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fakeServer } from './server-process.mjs';
import { uiFigures } from './ui.mjs';
import { resizeFigures, resumeFrameFigures } from './ui-resume.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** `lib`: Agent, ScriptedLLM, SessionStore and the `add` tool, from dist/. */
export async function terminalFigures(lib, { ktBin, quick }) {
  const env = () => ({ PATH: process.env.PATH, HOME: tmpdir(), KT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kt-bench-ui-cfg-')), OPENAI_API_KEY: 'sk-bench', CI: 'true' });
  const ui = await uiFigures({
    ktBin,
    quick,
    fakeServer,
    env: env(),
    // A long conversation to resume: user and assistant messages alternating, a paragraph each.
    recordTranscript: async (path, turns) => {
      const steps = Array.from({ length: turns }, (_, i) => ({ text: `Answer ${i}: the function handles the edge case, so the test passes.\n\nNothing else needs to change.` }));
      const agent = await lib.Agent.build('@kt-biome/creatures/general', { llm: new lib.ScriptedLLM(steps), session: path, pwd: tmpdir() });
      for (let i = 0; i < turns; i++) await agent.run(`Question ${i}: does the parser handle the case?`);
      await agent.stop();
      return path;
    },
  });
  const resume = await resumeFrameFigures(lib, { ktBin, env: env(), fakeServer, quick });
  const resize = await resizeFigures({ ktBin, env: env(), fakeServer, quick });
  return { ...ui, resumeLong: resume, resize };
}

/** Rows for the bench table: [what, figure, detail, target]. */
export function terminalRows(ui) {
  const { resumeLong: long, resize } = ui;
  return [
    ['kt run --mode cli: first interactive frame', `${fmt(ui.firstFrameMs)} ms`, `creature ready at ${fmt(ui.creatureReadyMs)} ms`, 'target ≤ 250 ms'],
    ['keypress → echo, idle prompt (baseline)', `p95 ${fmt(ui.idleEchoP95Ms)} ms`, `p50 ${fmt(ui.idleEchoP50Ms)} ms, peak ${fmt(ui.idlePeakRssMb)} MB`, ''],
    ['keypress → echo while streaming 200 tok/s', `p95 ${fmt(ui.echoP95Ms)} ms`, `p50 ${fmt(ui.echoP50Ms)} ms`, `target ≤ 16 ms p95; ${fmt(ui.echoP95Ms / ui.idleEchoP95Ms, 2)}× idle`],
    [`clear-screen sequences, ${ui.streamLines}-line answer`, `${ui.clears}`, `streamed in ${fmt(ui.streamMs / 1000, 2)} s`, 'target 0'],
    [`kt resume, ${ui.resume.messages} messages: first frame`, `${fmt(ui.resume.firstFrameMs)} ms`, `peak ${fmt(ui.resume.peakRssMb)} MB`, 'target ≤ 200 MB'],
    [`  echo while streaming, ${ui.resume.messages} messages`, `p95 ${fmt(ui.resume.echoP95Ms)} ms`, `p50 ${fmt(ui.resume.echoP50Ms)} ms`, `${fmt(ui.resume.echoP95Ms / ui.echoP95Ms, 2)}× an empty session`],
    [`kt resume, ${long.events} events: first frame`, `${fmt(long.firstFrameMs)} ms`, `kt run ${fmt(long.runFirstFrameMs)} ms`, `target ≤ 200 ms; ${fmt(long.firstFrameMs / long.runFirstFrameMs, 2)}× kt run`],
    [`  last turn repainted, ${long.events} events`, `${fmt(long.lastTurnMs)} ms`, `creature ready at ${fmt(long.readyMs)} ms`, ''],
    [`resize → frame redrawn (${resize.resizes} resizes)`, `${fmt(resize.redrawMs)} ms`, `max ${fmt(resize.redrawMaxMs)} ms`, 'target ≤ 50 ms'],
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const { Agent, tool, SessionStore } = await import(join(root, 'dist', 'index.js'));
  const { ScriptedLLM } = await import(join(root, 'dist', 'testing.js'));
  const { z } = await import('zod');
  const add = tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
  console.log(`kohakuterrarium terminal bench — node ${process.version}${quick ? ' (quick)' : ''}\n`);
  const rows = terminalRows(await terminalFigures({ Agent, ScriptedLLM, SessionStore, add }, { ktBin: join(root, 'dist', 'kt.js'), quick }));
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`);
}
