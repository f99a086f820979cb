/**
 * Where KohakuTerrarium keeps its files, and how it creates them. Everything
 * the framework writes lives under the config home (or the session folder),
 * never elsewhere.
 */
import { chmodSync, closeSync, fchmodSync, fstatSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/** `KT_CONFIG_DIR`, default `~/.kohakuterrarium`. */
export function configHome(env: Env = process.env): string {
  const dir = env.KT_CONFIG_DIR;
  return dir && dir.trim() ? resolve(dir) : join(homedir(), '.kohakuterrarium');
}

/** `KT_SESSION_DIR`, default `<config home>/sessions`. */
export function sessionHome(env: Env = process.env): string {
  const dir = env.KT_SESSION_DIR;
  return dir && dir.trim() ? resolve(dir) : join(configHome(env), 'sessions');
}

/** Installed packages: `<config home>/packages`. */
export function packagesHome(env: Env = process.env): string {
  return join(configHome(env), 'packages');
}

/*
 * Private files. What kt keeps is private to its user: conversations, prompt history,
 * keys. Folders it creates are 0700 and files 0600 whatever the umask — a
 * mode given to mkdir/open is narrowed by the umask (0022 leaves 0755 on a
 * folder made with 0777 and, worse, a umask like 0277 would leave 0500, which
 * kt itself could not write), so every creation is followed by an exact chmod.
 *
 * Folders that already exist keep their mode: they are the user's, and
 * `kt doctor` warns when they are open to others (with the chmod to run).
 */

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** `mkdir -p dir`; each folder it creates is exactly 0700. */
export function ensurePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // Every folder from the first one created down to `dir` is new.
  let current = first;
  chmodSync(current, PRIVATE_DIR_MODE);
  for (const part of relative(first, dir).split(sep).filter(Boolean)) {
    current = join(current, part);
    chmodSync(current, PRIVATE_DIR_MODE);
  }
}

/** A new empty file, exactly 0600, in a folder created 0700 when missing. Fails if the file exists. */
export function createPrivateFile(file: string): void {
  ensurePrivateDir(dirname(file));
  const fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** Write a file whole (a temporary file, usually) and make it exactly 0600. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Append to a file; one this creates (or finds empty) is made exactly 0600. */
export function appendPrivateFile(file: string, data: string): void {
  const fd = openSync(file, 'a', PRIVATE_FILE_MODE);
  try {
    if (fstatSync(fd).size === 0) fchmodSync(fd, PRIVATE_FILE_MODE);
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** Whether a mode lets the group or others in (any of rwx). */
export function openToOthers(mode: number): boolean {
  return (mode & 0o077) !== 0;
}