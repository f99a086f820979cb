// Terminal-app figures for `npm run bench` (issue 6 targets), measured through
// a real pseudo-terminal (`script` allocates it) against the fake model server:
//  - first interactive frame after launch (target ≤ 250 ms);
//  - keypress-to-echo p95 while an answer streams at 200 tokens/s (≤ 16 ms);
//  - a resumed 5,000-message transcript: first frame, echo latency, peak memory (≤ 200 MB);
//  - clear-screen sequences during a 2,000-line streamed answer in cli mode (target 0).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLEARS, echoLatencies, inTerminal } from './pty.mjs';
import { median, percentile } from './stats.mjs';

export async function uiFigures({ ktBin, env, fakeServer, recordTranscript, quick }) {
  const cwd = mkdtempSync(join(tmpdir(), 'kt-bench-ui-'));
  const runArgs = ['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--mode', 'cli', '--no-session', '--approval-mode', 'yolo'];

  // First frame, against a plain server; then the echo of an idle prompt, the baseline for the others.
  const firstFrames = [];
  // The app draws before the creature is built; the footer shows the model once it is.
  const readyTimes = [];
  let idleEcho;
  let idlePeakRssMb;
  let server = await fakeServer('openai', 'text');
  try {
    for (let i = 0; i < (quick ? 3 : 8); i++) {
      const term = inTerminal(ktBin, runArgs, { ...env, OPENAI_BASE_URL: server.baseURL }, cwd);
      firstFrames.push(await term.waitFor(/Ask anything/));
      readyTimes.push(await term.waitFor(/openai\/m · ready/));
      if (i === 0) {
        idleEcho = await echoLatencies(term, quick ? 20 : 50);
        idlePeakRssMb = term.peakRssMb();
      }
      await term.close();
    }
  } finally {
    await server.close();
  }

  // Echo while an answer streams at 200 tokens/s.
  server = await fakeServer('openai', 'stream', '400', '200');
  let echo;
  try {
    const term = inTerminal(ktBin, runArgs, { ...env, OPENAI_BASE_URL: server.baseURL }, cwd);
    await term.waitFor(/Ask anything/);
    term.type('stream please\r');
    await term.waitFor(/Line b of the streamed/);
    echo = await echoLatencies(term, quick ? 30 : 100);
    await term.close();
  } finally {
    await server.close();
  }

  // Clear-screen sequences during a 2,000-line answer, streamed as fast as the server can.
  server = await fakeServer('openai', 'stream', '2000', '0');
  let clears;
  let streamMs;
  try {
    const term = inTerminal(ktBin, runArgs, { ...env, OPENAI_BASE_URL: server.baseURL }, cwd);
    await term.waitFor(/Ask anything/);
    const from = term.output.length;
    const sent = performance.now();
    term.type('stream please\r');
    await term.waitFor(/END-OF-ANSWER/, from, 60_000);
    streamMs = performance.now() - sent;
    clears = (term.output.slice(from).match(CLEARS) ?? []).length;
    await term.close();
  } finally {
    await server.close();
  }

  // A resumed session of 5,000 messages.
  const messages = 5000;
  const sessionPath = await recordTranscript(join(cwd, 'long.kohakutr'), messages / 2);
  server = await fakeServer('openai', 'stream', '200', '200');
  let resume;
  try {
    const term = inTerminal(ktBin, ['resume', sessionPath, '--llm', 'openai/m', '--mode', 'cli', '--pwd', cwd], { ...env, OPENAI_BASE_URL: server.baseURL }, cwd);
    const firstFrameMs = await term.waitFor(/Ask anything/, 0, 60_000);
    term.type('stream please\r');
    await term.waitFor(/Line b of the streamed/);
    const samples = await echoLatencies(term, quick ? 20 : 50);
    resume = { firstFrameMs, echoP95Ms: percentile(samples, 95), echoP50Ms: median(samples), peakRssMb: term.peakRssMb() };
    await term.close();
  } finally {
    await server.close();
  }

  return {
    firstFrameMs: median(firstFrames),
    creatureReadyMs: median(readyTimes),
    idleEchoP50Ms: median(idleEcho),
    idleEchoP95Ms: percentile(idleEcho, 95),
    idlePeakRssMb,
    echoP50Ms: median(echo),
    echoP95Ms: percentile(echo, 95),
    clears,
    streamLines: 2000,
    streamMs,
    resume: { messages, ...resume },
  };
}
