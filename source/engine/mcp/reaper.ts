/**
 * Server process trees. The SDK spawns a stdio server as a plain child and,
 * on close, signals only that child; a server started through `npx`, `uv`
 * or a shell script leaves its real process behind. So every live server pid
 * is recorded here: closing a server kills what is left of its tree, and
 * if kt exits first (quit, Ctrl+C, an uncaught error) the exit handler
 * kills every recorded tree synchronously.
 */
import { execFileSync } from 'node:child_process';
import { exitKillList } from '../util/exit-kill.js';

const live = exitKillList((root) => killTree(root, 'SIGKILL'));

/** Record a server's pid until {@link release}. */
export function track(pid: number): void {
  live.add(pid);
}

export function release(pid: number): void {
  live.delete(pid);
}

/** The pids that descend from `root` (not `root` itself), from `ps`; empty when `ps` is unavailable. */
export function descendants(root: number): number[] {
  let table: string;
  try {
    table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const line of table.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid || ppid === undefined || Number.isNaN(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Signal `root` and everything below it; processes already gone are skipped. */
export function killTree(root: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const pid of [...descendants(root), root]) signalPid(pid, signal);
}

export function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
