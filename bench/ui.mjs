// Terminal-app figures for `npm run bench` (issue 6 targets), measured through
// a real pseudo-terminal (`script` allocates it) against the fake model server:
//  - first interactive frame after launch (target ≤ 250 ms);
//  - keypress-to-echo p95 while an answer streams at 200 tokens/s (≤ 16 ms);
//  - a resumed 5,000-message transcript: first frame, echo latency, peak memory (≤ 200 MB);
//  - clear-screen sequences during a 2,000-line streamed answer in cli mode (target 0).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { median, percentile } from './stats.mjs';

const shellQuote = (v) => `'${String(v).replaceAll("'", `'\\''`)}'`;

/** kt in a pseudo-terminal of 120×40: write keys to `input`, read every byte the terminal got. */
function inTerminal(ktBin, args, env, cwd) {
  const command = `stty rows 40 cols 120; exec ${shellQuote(process.execPath)} ${shellQuote(ktBin)} ${args.map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const started = performance.now();
  let output = '';
  const waiters = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    output += chunk;
    for (const w of [...waiters]) if (w.test(output, chunk)) waiters.splice(waiters.indexOf(w), 1);
  });
  /** Resolves with the time (ms since launch) at which `pattern` first appears after `from`. */
  const waitFor = (pattern, from = 0, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      // Colours and cursor moves sit between the characters a frame shows; match what a person would see.
      const check = () => pattern.test(stripVTControlCharacters(output.slice(from)));
      if (check()) return resolve(performance.now() - started);
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; last output: ${JSON.stringify(output.slice(-400))}`)), timeoutMs);
      waiters.push({ test: () => (check() ? (clearTimeout(timer), resolve(performance.now() - started), true) : false) });
    });
  return {
    child,
    started,
    get output() {
      return output;
    },
    waitFor,
    type: (text) => child.stdin.write(text),
    /** The kt process's peak memory, from /proc (the pty's child). */
    peakRssMb: () => {
      const kt = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
      try {
        const status = readFileSync(`/proc/${kt}/status`, 'utf8');
        return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
      } catch {
        return NaN;
      }
    },
    // Ctrl+C clears whatever was typed, Ctrl+D on the empty prompt leaves; a stuck run is killed.
    close: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.stdin.write('\u0003');
        setTimeout(() => child.stdin.write('\u0004'), 100);
      }),
  };
}

/**
 * Type digits one at a time while something streams; ms from each write to
 * the first output that draws it. Ink redraws only the changed tail of a
 * line, so the echo is the digit itself; the streamed text has no digits
 * (and cursor moves are stripped), so only the echo can match.
 */
async function echoLatencies(term, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const digit = String(i % 10);
    const from = term.output.length;
    const sent = performance.now();
    term.type(digit);
    await term.waitFor(new RegExp(digit), from, 5000);
    samples.push(performance.now() - sent);
    // 50 ms apart: a fast typist (about 20 keys a second).
    await new Promise((r) => setTimeout(r, 50));
  }
  return samples;
}

const CLEARS = /\u001b\[2J|\u001b\[3J|\u001bc/g;

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
