/**
 * Package lookup for `@name/...` references. Installed packages live under
 * `<config home>/packages/<name>` (or a `<name>.link` file holding a path,
 * for editable installs) and shadow packages bundled with the framework,
 * which `builtins/` registers at startup (`@kt-biome`).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packagesHome, type Env } from '../home.js';

const bundled = new Map<string, string>();

/** Make `@name/...` resolve to `root` when no installed package shadows it. */
export function registerBundledPackage(name: string, root: string): void {
  bundled.set(name, root);
}

export interface PackageRoot {
  name: string;
  root: string;
  source: 'installed' | 'linked' | 'bundled';
}

export function resolvePackage(name: string, env: Env = process.env): PackageRoot | undefined {
  const home = packagesHome(env);
  const dir = join(home, name);
  if (isDir(dir)) return { name, root: dir, source: 'installed' };
  const link = join(home, `${name}.link`);
  if (existsSync(link)) {
    const target = readFileSync(link, 'utf8').trim();
    if (target && isDir(target)) return { name, root: resolve(target), source: 'linked' };
  }
  const root = bundled.get(name);
  return root ? { name, root, source: 'bundled' } : undefined;
}

/** Names of every package that resolves: installed, linked and bundled. */
export function knownPackages(env: Env = process.env): string[] {
  const names = new Set(bundled.keys());
  const home = packagesHome(env);
  if (isDir(home)) {
    // Dot entries are kt's own (the install lock, staging folders, the listing cache).
    for (const entry of readdirSync(home)) if (!entry.startsWith('.')) names.add(entry.replace(/\.link$/, ''));
  }
  return [...names].sort();
}

/** Split `@name/sub/path` into its package name and the path inside it. */
export function parsePackageRef(ref: string): { name: string; subpath: string } | undefined {
  const match = /^@([^/@\s]+)(?:\/(.*))?$/.exec(ref);
  if (!match) return undefined;
  return { name: match[1] as string, subpath: match[2] ?? '' };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
