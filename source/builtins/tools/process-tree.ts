/**
 * Child processes of the tools that run programs (`bash`, `python`): a
 * process group killed as a whole, a program found on the tool's PATH, and
 * the tool's environment as a child gets it.
 */
import { constants } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { exitKillList } from '../../engine/util/exit-kill.js';

/** Between SIGTERM and SIGKILL: time for the group to clean up after itself. */
const KILL_GRACE_MS = 500;
/** After SIGKILL, at most this long to see the group gone (the kernel needs a moment, not more). */
const KILL_WAIT_MS = 2000;

/**
 * SIGTERM the process group, give it a moment to exit, then SIGKILL what is
 * left, and wait until nothing of it runs: an interrupted call (and so a
 * quitting kt) returns only once the tree is dead.
 */
export async function killGroup(pgid: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + KILL_GRACE_MS;
  while (Date.now() < deadline) {
    await delay(20);
    if (!(await groupRunning(pgid))) return;
  }
  signalGroup(pgid, 'SIGKILL');
  const killed = Date.now() + KILL_WAIT_MS;
  while ((await groupRunning(pgid)) && Date.now() < killed) await delay(10);
}

/**
 * Whether any process of the group still runs. Exited processes stay in the
 * group as zombies until someone reaps them (which can take PID 1 seconds),
 * so on Linux /proc tells running members from dead ones.
 */
async function groupRunning(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  const entries = await readdir('/proc').catch(() => undefined);
  if (!entries) return true;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the parenthesised command name: state, ppid, pgrp.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** False once no process of the group is left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== 'ESRCH';
  }
}

export async function onPath(name: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const folder of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!folder) continue;
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Child processes get exactly this environment; unset keys are left out.
 * A creature hands its tools the same environment object on every call, so
 * the result is kept per object: computed once per creature, not per command.
 * Callers must not change what they get (or the object they passed).
 */
export function definedEnv(env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string>> {
  const known = definedEnvs.get(env);
  if (known) return known;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  definedEnvs.set(env, out);
  return out;
}

const definedEnvs = new WeakMap<object, Readonly<Record<string, string>>>();

/** Groups started and not yet ended: killed if this process exits first, so a quitting kt leaves no commands behind. */
const liveGroups = exitKillList((pgid) => signalGroup(pgid, 'SIGKILL'));

export function rememberGroup(pgid: number): void {
  liveGroups.add(pgid);
}

export function forgetGroup(pgid: number): void {
  liveGroups.delete(pgid);
}
