/**
 * One program started by a tool (`bash`, `python`) in a process group of its
 * own, with stdout and stderr collected as one stream in arrival order.
 *
 * This is the shell tool's hot path, so it uses `node:child_process.spawn`
 * directly rather than execa: output is kept as the Buffer chunks the pipes
 * deliver and decoded once at the end, and at most `maxBytes` of it is kept.
 * Stopping (timeout, interrupt, too much output) is the caller's business,
 * through `killGroup` on `pid`; `release` lets go of output that a process
 * outside the group still holds open.
 *
 * Measured and left out: a long-lived helper process that spawns for us
 * from its small heap (commands sent over IPC, the pid sent back so the kill
 * stays ours). With ~100-170 MB of live heap it saved 1.5-3.7 ms wall per
 * `echo hi` (of 5-13 ms) and nearly all main-thread CPU (0.25 vs 2.2-2.7 ms),
 * but cost ~1 ms per call with a small heap, ~1.7 ms CPU per call in the
 * helper (total CPU about even), and a second Node process's 40+ MB of RSS.
 * Native spawn is over half of a call's CPU here; the JavaScript around it
 * is a few percent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { SubprocessLaunch } from '../plugins/sandbox-runner.js';
import { forgetGroup, rememberGroup } from './process-tree.js';

export interface GroupChildOptions {
  cwd: string;
  /** Written to the child's stdin, which is then closed; without it stdin is closed from the start. */
  input?: string;
  /** Output bytes kept (stdout and stderr together); past it `onOverflow` is called once and the rest is dropped. */
  maxBytes: number;
  onOverflow: () => void;
  /** Each chunk as it arrives, for live progress; the same Buffer that is kept, not a copy. */
  onChunk?: (chunk: Buffer) => void;
  /** The shell has exited; its output may still be open (a background job holds it). */
  onExit?: () => void;
}

export interface GroupChildResult {
  /** The collected output, decoded once, as written (see `withoutFinalNewline`). */
  output: string;
  exitCode: number | undefined;
  signal: NodeJS.Signals | undefined;
  /** Whether output past `maxBytes` was dropped. */
  overflowed: boolean;
  durationMs: number;
  /** Set when the program could not be started at all. */
  startError?: Error;
}

export interface GroupChild {
  /** Also the group's id; undefined when the program could not be started. */
  readonly pid: number | undefined;
  readonly done: Promise<GroupChildResult>;
  /** Stop reading the output (after the group was killed, for holders outside it). */
  release(): void;
}

export function startGroupChild(launch: SubprocessLaunch, options: GroupChildOptions): GroupChild {
  const started = performance.now();
  const child: ChildProcess = spawn(launch.file, launch.args, {
    cwd: options.cwd,
    env: launch.env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // Own process group, so `process.kill(-pid)` reaches every descendant.
    detached: true,
  });
  const pid = child.pid;
  if (pid !== undefined) rememberGroup(pid);

  const chunks: Buffer[] = [];
  let kept = 0;
  let overflowed = false;
  const collect = (chunk: Buffer) => {
    if (overflowed) return;
    const room = options.maxBytes - kept;
    if (chunk.length > room) {
      overflowed = true;
      if (room > 0) chunks.push(chunk.subarray(0, room));
      kept = options.maxBytes;
      options.onOverflow();
      return;
    }
    chunks.push(chunk);
    kept += chunk.length;
    options.onChunk?.(chunk);
  };
  const streams = [child.stdout, child.stderr].filter((s): s is Readable => s !== null);
  for (const stream of streams) stream.on('data', collect);

  if (options.input !== undefined && child.stdin) {
    // A program that exits without reading its input makes the write fail with EPIPE; that is not the call's failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  }
  if (options.onExit) child.once('exit', options.onExit);

  const done = new Promise<GroupChildResult>((resolve) => {
    let startError: Error | undefined;
    child.once('error', (error) => {
      startError = error;
      // A process that never started has no 'close' of its own to wait for.
      if (pid === undefined) finish(null, null);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (pid !== undefined) forgetGroup(pid);
      resolve({
        output: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, kept).toString('utf8'),
        exitCode: code ?? undefined,
        signal: signal ?? undefined,
        overflowed,
        durationMs: performance.now() - started,
        ...(startError ? { startError } : {}),
      });
    };
    child.once('close', finish);
  });

  return {
    pid,
    done,
    release() {
      for (const stream of streams) stream.destroy();
    },
  };
}

/** The output as the model reads it: without the one line end every command prints last. */
export function withoutFinalNewline(output: string): string {
  if (output.endsWith('\r\n')) return output.slice(0, -2);
  return output.endsWith('\n') ? output.slice(0, -1) : output;
}
