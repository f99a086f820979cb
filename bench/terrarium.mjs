// Terrarium figures for `npm run bench` (terrarium issue targets):
//  (a) memory: RSS of one process holding a terrarium of 60 idle creatures,
//      each case in its own child process; the baseline is the same process
//      with an empty terrarium. Minimal graders (the batch example's) and
//      @kt-biome/creatures/general (every built-in tool) both. Target ≤ 150 MB total.
//  (b) fan-out: one channel message to 60 listening creatures, from the send
//      to the 60th `trigger.fired` event (median over runs). Target ≤ 5 ms.
//  (c) routing: `hub.send` on the terrarium's hub to N no-op listeners,
//      µs per message (the engine's own cost per routed message). Target ≤ 0.1 ms.
//  (d) the batch example (examples/code/batch_grading.ts) with a model that
//      takes a fixed delay: 60 graders against one; the ratio should be ≈ 1.
//
// Run alone: node bench/terrarium.mjs [--quick]   (after `npm run build`, Node ≥ 22.18 for the .ts example)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const MEMBERS = 60;
const GRADER = { name: 'grader', system_prompt: 'You grade one answer. Reply `<grade> | <reason>`.' };

const lib = () => import(join(root, 'dist', 'index.js'));
const testing = () => import(join(root, 'dist', 'testing.js'));

/** Child: a terrarium of `count` started creatures, left idle; prints its RSS. */
async function rssChild(count, kind) {
  const { Terrarium } = await lib();
  const { ScriptedLLM } = await testing();
  const pwd = mkdtempSync(join(tmpdir(), 'kt-bench-team-'));
  const team = new Terrarium({ pwd, llm: new ScriptedLLM([]), build: { projectInstructions: false } });
  const ref = kind === 'general' ? '@kt-biome/creatures/general' : GRADER;
  for (let i = 0; i < count; i++) await team.addCreature(ref, { name: `m${i}` });
  // Let start-up garbage go before reading the figure.
  await new Promise((r) => setTimeout(r, 200));
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 100));
  const { rss, heapUsed } = process.memoryUsage();
  await team.shutdown();
  process.stdout.write(JSON.stringify({ count, kind, rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 }));
}

function rssOf(count, kind) {
  const out = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', String(count), kind], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`bench/terrarium child failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

/** (b) send → the 60th listener's `trigger.fired`, ms per run. */
async function fanOut({ runs }) {
  const { Terrarium } = await lib();
  const { ScriptedLLM } = await testing();
  const team = new Terrarium({ pwd: mkdtempSync(join(tmpdir(), 'kt-bench-team-')), llm: new ScriptedLLM([], { defaultEntry: { text: 'ok' } }), build: { projectInstructions: false } });
  team.addChannel('news', { description: 'one message, every member hears it' });
  let fired = 0;
  let ended = 0;
  let allFired;
  let allEnded;
  for (let i = 0; i < MEMBERS; i++) {
    const m = await team.addCreature(GRADER, { name: `m${i}`, listen: ['news'] });
    m.agent.on('trigger.fired', () => ++fired === MEMBERS && allFired());
    m.agent.on('turn.end', () => ++ended === MEMBERS && allEnded());
  }
  const samples = [];
  for (let run = 0; run < runs + 3; run++) {
    fired = ended = 0;
    const firedAll = new Promise((r) => (allFired = r));
    const endedAll = new Promise((r) => (allEnded = r));
    const t0 = performance.now();
    team.hub.send('news', `message ${run}`, { sender: 'bench' });
    await firedAll;
    const ms = performance.now() - t0;
    // The turns the message started finish before the next run, so runs do not overlap.
    await endedAll;
    if (run >= 3) samples.push(ms);
  }
  await team.shutdown();
  return { members: MEMBERS, medianMs: median(samples), runs };
}

/** (c) µs per `hub.send` to `listeners` no-op listeners, on a terrarium's hub (its engine-event observer included). */
async function routing({ messages }) {
  const { Terrarium } = await lib();
  const perMessage = {};
  for (const listeners of [1, MEMBERS]) {
    const team = new Terrarium({ build: { projectInstructions: false } });
    team.addChannel('bus');
    for (let i = 0; i < listeners; i++) team.hub.listen('bus', `l${i}`, () => undefined);
    const send = (n) => {
      for (let i = 0; i < n; i++) team.hub.send('bus', 'x', { sender: 'bench' });
    };
    send(messages / 10);
    const t0 = performance.now();
    send(messages);
    perMessage[listeners] = ((performance.now() - t0) * 1000) / messages;
    await team.shutdown();
  }
  return { perMessageUs: perMessage, messages };
}

/** (d) the batch example, 60 graders against 1, with a model that answers after `delayMs`. */
async function batch({ delayMs, runs }) {
  const { gradeAll, sampleSubmissions } = await import(pathToFileURL(join(root, 'examples', 'code', 'batch_grading.ts')).href);
  const { ScriptedLLM } = await testing();
  const pwd = mkdtempSync(join(tmpdir(), 'kt-bench-batch-'));
  const once = async (count) => {
    const llm = new ScriptedLLM([], { defaultEntry: { text: 'B | fine', delayMs } });
    const t0 = performance.now();
    const grades = await gradeAll({ llm, pwd, submissions: sampleSubmissions(count), print: () => undefined });
    if (grades.length !== count || grades.some((g) => g.grade !== 'B')) throw new Error('bench/terrarium: the batch did not grade everything');
    return performance.now() - t0;
  };
  await once(MEMBERS); // warm-up
  const one = [], many = [];
  for (let i = 0; i < runs; i++) {
    one.push(await once(1));
    many.push(await once(MEMBERS));
  }
  return { delayMs, oneMs: median(one), manyMs: median(many), members: MEMBERS };
}

export async function terrariumFigures({ quick = false } = {}) {
  const memory = { empty: rssOf(0, 'grader'), graders: rssOf(MEMBERS, 'grader'), general: rssOf(MEMBERS, 'general') };
  return {
    memory,
    fanOut: await fanOut({ runs: quick ? 10 : 40 }),
    routing: await routing({ messages: quick ? 20_000 : 100_000 }),
    batch: await batch({ delayMs: 200, runs: quick ? 2 : 5 }),
  };
}

export function terrariumRows(t, fmt) {
  const { empty, graders, general } = t.memory;
  return [
    ['terrarium, empty (baseline)', `${fmt(empty.rssMb)} MB`, '', 'rss, own process'],
    [`terrarium, ${MEMBERS} idle creatures (minimal)`, `${fmt(graders.rssMb)} MB`, `+${fmt(graders.rssMb - empty.rssMb)} MB, ${fmt(((graders.rssMb - empty.rssMb) * 1024) / MEMBERS, 0)} KB each`, 'target ≤ 150 MB total'],
    [`terrarium, ${MEMBERS} idle @kt-biome general`, `${fmt(general.rssMb)} MB`, `+${fmt(general.rssMb - empty.rssMb)} MB, ${fmt(((general.rssMb - empty.rssMb) * 1024) / MEMBERS, 0)} KB each`, 'target ≤ 150 MB total'],
    [`channel message → ${t.fanOut.members} listeners fired`, `${fmt(t.fanOut.medianMs, 2)} ms`, `median of ${t.fanOut.runs}`, 'target ≤ 5 ms'],
    ['hub.send, 1 listener', `${fmt(t.routing.perMessageUs[1], 2)} µs`, `${t.routing.messages} messages`, ''],
    [`hub.send, ${MEMBERS} listeners`, `${fmt(t.routing.perMessageUs[MEMBERS], 2)} µs`, `${t.routing.messages} messages`, 'target ≤ 100 µs per routed message'],
    [`batch example, ${t.batch.members} graders vs 1 (${t.batch.delayMs} ms model)`, `${fmt(t.batch.manyMs)} ms`, `1 grader ${fmt(t.batch.oneMs)} ms`, `${fmt(t.batch.manyMs / t.batch.oneMs, 2)}× one grader (≈ 1 wanted, not ${t.batch.members})`],
  ];
}

if (process.argv[2] === '--child') {
  await rssChild(Number(process.argv[3]), process.argv[4]);
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const rows = terrariumRows(await terrariumFigures({ quick: process.argv.includes('--quick') }), fmt);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`);
}
