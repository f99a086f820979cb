/**
 * The package folder on disk: `<config home>/packages/<name>` (a copy or a
 * clone), `<name>.link` (editable), and `.kt-install.json` in each installed
 * folder recording where it came from, so `kt update` can fetch it again.
 *
 * Every change is staged in a private temporary folder next to the packages
 * and renamed into place, so a failed install leaves nothing half-written.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, packagesHome, PRIVATE_DIR_MODE, writePrivateFile, type Env } from '../home.js';
import { isDirectory } from '../util/fs-probe.js';


export const INSTALL_RECORD = '.kt-install.json';

/** How an installed package was obtained. */
export interface InstallRecord {
  /** What the user typed (`./pack`, `git+file:///x.git#v1`, `npm:kt-pack-foo`, `@foo@1.2.0`). */
  source: string;
  kind: 'local' | 'git' | 'npm' | 'marketplace';
  version?: string;
  installedAt: string;
}

export function packagePath(name: string, env: Env): string {
  return join(packagesHome(env), name);
}

export function linkPath(name: string, env: Env): string {
  return join(packagesHome(env), `${name}.link`);
}

/** A new empty private folder under the packages home, for one install to fill. */
export function stagingDir(env: Env): string {
  const home = packagesHome(env);
  ensurePrivateDir(home);
  const dir = mkdtempSync(join(home, '.staging-'));
  chmodSync(dir, PRIVATE_DIR_MODE);
  return dir;
}

export function readRecord(root: string): InstallRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(root, INSTALL_RECORD), 'utf8')) as InstallRecord;
  } catch {
    return undefined;
  }
}

export function writeRecord(root: string, record: InstallRecord): void {
  writePrivateFile(join(root, INSTALL_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Move a filled staging folder to `<packages>/<name>`, replacing what was
 * there: the old folder is renamed aside first and removed only once the new
 * one is in place.
 */
export function commitStaged(staged: string, name: string, env: Env): string {
  const target = packagePath(name, env);
  const aside = existsSync(target) ? `${staged}.old` : undefined;
  if (aside) renameSync(target, aside);
  try {
    renameSync(staged, target);
  } catch (error) {
    if (aside) renameSync(aside, target);
    throw error;
  }
  if (aside) rmSync(aside, { recursive: true, force: true });
  rmSync(linkPath(name, env), { force: true });
  return target;
}

/** Remove an installed folder or link; false when neither exists. */
export function removeInstalled(name: string, env: Env): boolean {
  const target = packagePath(name, env);
  const link = linkPath(name, env);
  let removed = false;
  if (isDirectory(target)) {
    // Renamed aside first, so a reader never sees a half-deleted package.
    const aside = join(packagesHome(env), `.removing-${name}-${process.pid}`);
    renameSync(target, aside);
    rmSync(aside, { recursive: true, force: true });
    removed = true;
  }
  if (existsSync(link)) {
    rmSync(link, { force: true });
    removed = true;
  }
  return removed;
}
