// kt in a real pseudo-terminal for the terminal-app figures: `script`
// allocates it; keys go in through its stdin, every byte the terminal got
// comes back on its stdout. Shared by bench/ui.mjs and bench/ui-resume.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { nodeArgsFor } from './kt-launch.mjs';

const shellQuote = (v) => `'${String(v).replaceAll("'", `'\\''`)}'`;

/** Sequences that clear the whole screen or the scrollback (a cli-mode frame should never need them). */
export const CLEARS = /\u001b\[2J|\u001b\[3J|\u001bc/g;

/** kt in a pseudo-terminal of 120×40: write keys to `input`, read every byte the terminal got. */
export function inTerminal(ktBin, args, env, cwd) {
  const command = `stty rows 40 cols 120; exec ${shellQuote(process.execPath)} ${nodeArgsFor(ktBin).map(shellQuote).join(' ')} ${args.map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const started = performance.now();
  let output = '';
  const waiters = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    output += chunk;
    for (const w of [...waiters]) if (w.test(output, chunk)) waiters.splice(waiters.indexOf(w), 1);
  });
  /** Resolves with the time (ms since launch) at which `check(output)` first holds. */
  const waitUntil = (check, describe, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      if (check(output)) return resolve(performance.now() - started);
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${describe}; last output: ${JSON.stringify(output.slice(-400))}`)), timeoutMs);
      waiters.push({ test: () => (check(output) ? (clearTimeout(timer), resolve(performance.now() - started), true) : false) });
    });
  /** Resolves with the time (ms since launch) at which `pattern` first appears after `from`. */
  // Colours and cursor moves sit between the characters a frame shows; match what a person would see.
  const waitFor = (pattern, from = 0, timeoutMs = 20_000) => waitUntil((all) => pattern.test(stripVTControlCharacters(all.slice(from))), pattern, timeoutMs);
  /** The kt process: the pty's child (the shell exec'd into it). */
  const ktPid = () => spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  return {
    child,
    started,
    get output() {
      return output;
    },
    waitFor,
    waitUntil,
    type: (text) => child.stdin.write(text),
    /**
     * Resize the terminal as a window manager does: the pty's size changes and the kernel sends
     * SIGWINCH to kt. Returns the time (ms since launch) just before the change.
     */
    resize: (cols, rows) => {
      const tty = spawnSync('ps', ['-o', 'tty=', '-p', ktPid()], { encoding: 'utf8' }).stdout.trim();
      const at = performance.now() - started;
      const run = spawnSync('stty', ['-F', `/dev/${tty}`, 'rows', String(rows), 'cols', String(cols)]);
      if (run.status !== 0) throw new Error(`stty on /dev/${tty} failed: ${run.stderr}`);
      return at;
    },
    /** The kt process's peak memory, from /proc. */
    peakRssMb: () => {
      try {
        const status = readFileSync(`/proc/${ktPid()}/status`, 'utf8');
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
export async function echoLatencies(term, count) {
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
