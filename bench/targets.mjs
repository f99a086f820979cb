// Issue 18's targets as one table: each figure, the baseline it is judged
// against (measured in the same run where the target is a ratio), and
// PASS or MISS. `f` holds the figures of the other bench modules.
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

// Heap bytes allocated per tool round by `kt run` before this work
// (same machine, same bench): the "halve the garbage" target is against it.
export const ALLOCATED_PER_ROUND_BEFORE_KB = 805;

/** [what, figure, against, target, verdict] rows. */
export function targetRows(f) {
  const rows = [];
  const check = (what, value, unit, against, target, pass) => rows.push([what, `${fmt(value, unit === 'k/s' ? 0 : 1)} ${unit}`, against, target, Number.isFinite(value) ? (pass ? 'PASS' : 'MISS') : 'n/a']);
  const { speed, startup, search, sessions, proc, ui } = f;
  if (speed) {
    const { oneTurn, rawOneTurn, cli, library, raw } = speed;
    check('1. one turn: kt run -p hi (wall)', oneTurn.wallMs, 'ms', `fetch client ${fmt(rawOneTurn.wallMs)} ms → ${fmt(oneTurn.wallMs / rawOneTurn.wallMs, 2)}×`, '≤ 150 ms and ≤ 2.0×', oneTurn.wallMs <= 150 && oneTurn.wallMs / rawOneTurn.wallMs <= 2);
    check('1. one turn: peak RSS', oneTurn.peakRssMb, 'MB', `fetch client ${fmt(rawOneTurn.rssMb)} MB`, '≤ 90 MB', oneTurn.peakRssMb <= 90);
    check('2. tool round turnaround, CLI', cli.turnaroundMs, 'ms', `fetch loop ${fmt(raw.turnaroundMs, 2)} ms → ${fmt(cli.turnaroundMs / raw.turnaroundMs, 2)}×`, '≤ 1.3× fetch loop', cli.turnaroundMs / raw.turnaroundMs <= 1.3);
    check('2. tool round turnaround, library', library.turnaroundMs, 'ms', `fetch loop ${fmt(raw.turnaroundMs, 2)} ms → ${fmt(library.turnaroundMs / raw.turnaroundMs, 2)}×`, '≤ 1.3× fetch loop', library.turnaroundMs / raw.turnaroundMs <= 1.3);
    check(`3. ${speed.rounds}-round kt run: peak RSS`, cli.peakRssMb, 'MB', `fetch loop ${fmt(raw.peakRssMb)} MB, library ${fmt(library.peakRssMb)} MB`, '≤ 120 MB', cli.peakRssMb <= 120);
    check('3. heap allocated per round, kt run', cli.allocatedPerRoundKb, 'KB', `before ${ALLOCATED_PER_ROUND_BEFORE_KB} KB; fetch loop ${fmt(raw.allocatedPerRoundKb)} KB; library ${fmt(library.allocatedPerRoundKb)} KB`, `≤ ${ALLOCATED_PER_ROUND_BEFORE_KB / 2} KB (half)`, cli.allocatedPerRoundKb <= ALLOCATED_PER_ROUND_BEFORE_KB / 2);
  }
  if (startup) {
    check("4. import('kohakuterrarium'), compile cache", startup.importMs, 'ms', `cpu ${fmt(startup.importCpuMs)} ms; no cache ${fmt(startup.cold.importMs)} ms`, '≤ 60 ms', startup.importMs <= 60);
    check('4. first Agent.build (general)', startup.firstBuildMs, 'ms', `cpu ${fmt(startup.firstBuildCpuMs)} ms; no cache ${fmt(startup.cold.firstBuildMs)} ms`, '≤ 30 ms', startup.firstBuildMs <= 30);
  }
  if (search) {
    check(`5. hybrid search p50, ${search.blocks} blocks`, search.hybridP50Ms, 'ms', `fts ${fmt(search.ftsP50Ms, 2)} ms`, '≤ 20 ms at 100k', search.blocks >= 100_000 ? search.hybridP50Ms <= 20 : false);
    check('5. kt embedding, hash embedder', search.embedBlocksPerSecond / 1000, 'k/s', `${search.blocks} blocks`, '≥ 30k blocks/s', search.embedBlocksPerSecond >= 30_000);
  }
  if (sessions?.resume5kPeakRssMb !== undefined) check('6. kt resume, 5,000 messages: peak RSS', sessions.resume5kPeakRssMb, 'MB', `library ${fmt(sessions.resume5kLibraryPeakRssMb)} MB`, '≤ 150 MB', sessions.resume5kPeakRssMb <= 150);
  if (proc) check('7. kt --version', proc.version.wallMs, 'ms', `node -e "" ${fmt(proc.node.wallMs)} ms → ${fmt(proc.version.wallMs / proc.node.wallMs, 2)}×`, '≤ 1.2× node', proc.version.wallMs / proc.node.wallMs <= 1.2);
  if (sessions) check('7. session append', sessions.appendPerSecond / 1000, 'k/s', `${sessions.appendEvents} events, batched`, '≥ 250k events/s', sessions.appendPerSecond >= 250_000);
  if (ui) check('7. keypress → echo p95 while streaming', ui.echoP95Ms, 'ms', `idle ${fmt(ui.idleEchoP95Ms)} ms → ${fmt(ui.echoP95Ms / ui.idleEchoP95Ms, 2)}×`, '≤ 16 ms (as before)', ui.echoP95Ms <= 16);
  return rows;
}

/** Print the rows as an aligned table. */
export function printTargets(rows) {
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(`${r[4].padEnd(4)}  ${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`);
}
