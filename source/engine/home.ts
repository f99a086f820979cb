/**
 * Where KohakuTerrarium keeps its files. Everything the framework writes
 * lives under the config home (or the session folder), never elsewhere.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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
