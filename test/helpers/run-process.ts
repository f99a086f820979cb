/**
 * Run a real process to its end and keep what it printed, for tests that
 * check a command as a user would run it (the kt binary, npm, a script).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time from spawn to exit. */
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed either way (a child waiting on input would hang). */
  input?: string;
  /** Past this the child is killed and the run rejects, with what it printed so far. */
  timeoutMs: number;
  /** Called with the child once it runs (to send signals). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Resolves with any exit code or signal; rejects only if the process could not start or ran out of time. */
export function runProcess(command: string, args: string[], options: RunOptions): Promise<ProcessRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${[command, ...args].join(' ')} did not finish in ${options.timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
    options.onSpawn?.(child);
    child.stdin.end(options.input);
  });
}
