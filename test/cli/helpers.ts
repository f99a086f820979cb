/**
 * Run the built `kt` binary as a user would: a real process, real files,
 * the fake OpenAI server on loopback as its model.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runProcess, type ProcessRun, type RunOptions } from '../helpers/run-process.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const ktBin = join(repoRoot, 'dist', 'kt.js');

export function assertBuilt(): void {
  if (!existsSync(ktBin)) throw new Error('dist/kt.js is missing: run `npm run build` (npm test does it first)');
}

export type KtRun = ProcessRun;

export type KtOptions = Partial<RunOptions>;

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

/** Run `kt args` in the repo with a clean environment unless told otherwise; 20 s at most. */
export function kt(args: string[], options: KtOptions = {}): Promise<KtRun> {
  assertBuilt();
  return runProcess(process.execPath, [ktBin, ...args], {
    ...options,
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? baseEnv(),
    timeoutMs: options.timeoutMs ?? 20_000,
  });
}
