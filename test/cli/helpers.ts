/**
 * Run the built `kt` binary as a user would: a real process, real files,
 * the fake OpenAI server on loopback as its model.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const ktBin = join(repoRoot, 'dist', 'kt.js');

export function assertBuilt(): void {
  if (!existsSync(ktBin)) throw new Error('dist/kt.js is missing: run `npm run build` (npm test does it first)');
}

export interface KtRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface KtOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Called with the child once it runs (to send signals). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  timeoutMs?: number;
}

/** A clean environment: no real keys, no real home, no colour. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: mkdtempSync(join(tmpdir(), 'kt-home-')),
    KT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kt-config-')),
    LANG: 'C.UTF-8',
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function kt(args: string[], options: KtOptions = {}): Promise<KtRun> {
  assertBuilt();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [ktBin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? baseEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kt ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
