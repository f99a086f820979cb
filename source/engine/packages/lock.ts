/**
 * One install at a time per packages home, across processes: a lock folder
 * (`mkdir` is atomic) holding the owner's pid. A lock whose owner died is
 * taken over, so a killed `kt install` never blocks the next one.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ensurePrivateDir, packagesHome, type Env } from '../home.js';
import { PackageInstallError } from './errors.js';

const POLL_MS = 50;
const DEFAULT_WAIT_MS = 10 * 60_000;

export async function withInstallLock<T>(env: Env, work: () => Promise<T>, waitMs = DEFAULT_WAIT_MS): Promise<T> {
  const home = packagesHome(env);
  ensurePrivateDir(home);
  const dir = join(home, '.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(join(dir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (ownerGone(dir)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new PackageInstallError(`another kt is installing packages (lock ${dir}); try again when it finishes`);
      await delay(POLL_MS);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ownerGone(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  } catch {
    // The owner made the folder and has not written its pid yet: not stale.
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
