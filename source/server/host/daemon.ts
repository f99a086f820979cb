/**
 * The background server's files under `<config home>/run/`: `server.pid`
 * (the process), `server.json` (its URL and when it started, written once it
 * listens) and `server.log` (rotated). A pid file whose process is gone is
 * stale and is cleaned up, never trusted.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configHome, type Env } from '../../index.js';

export interface DaemonState {
  pid: number;
  url: string;
  startedAt: number;
  auth: string;
}

export function runDir(env: Env = process.env): string {
  return join(configHome(env), 'run');
}

export const files = (env: Env = process.env) => {
  const dir = runDir(env);
  return { dir, pid: join(dir, 'server.pid'), state: join(dir, 'server.json'), log: join(dir, 'server.log') };
};

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running daemon's pid, or undefined (a stale pid file is removed). */
export function daemonPid(env: Env = process.env): number | undefined {
  const f = files(env);
  if (!existsSync(f.pid)) return undefined;
  const pid = Number(readFileSync(f.pid, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
  clearDaemon(env);
  return undefined;
}

export function readState(env: Env = process.env): DaemonState | undefined {
  const f = files(env);
  if (!existsSync(f.state)) return undefined;
  try {
    return JSON.parse(readFileSync(f.state, 'utf8')) as DaemonState;
  } catch {
    return undefined;
  }
}

export function writePid(pid: number, env: Env = process.env): void {
  const f = files(env);
  mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  writeFileSync(f.pid, `${pid}\n`, { mode: 0o600 });
}

export function writeState(state: DaemonState, env: Env = process.env): void {
  const f = files(env);
  mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  writeFileSync(f.state, `${JSON.stringify(state)}\n`, { mode: 0o600 });
}

export function clearDaemon(env: Env = process.env): void {
  const f = files(env);
  rmSync(f.pid, { force: true });
  rmSync(f.state, { force: true });
}
