/**
 * Package lookup for `@name/...` references. Installed packages live under
 * `<config home>/packages/<name>` (or a `<name>.link` file holding a path,
 * for editable installs) and shadow packages bundled with the framework,
 * which `builtins/` registers at startup (`@kt-biome`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packagesHome, type Env } from '../home.js';
import { isDirectory } from '../util/fs-probe.js';

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
  if (isDirectory(dir)) return { name, root: dir, source: 'installed' };
  const link = join(home, `${name}.link`);
  if (existsSync(link)) {
    const target = readFileSync(link, 'utf8').trim();
    if (target && isDirectory(target)) return { name, root: resolve(target), source: 'linked' };
  }
  return bundledPackage(name);
}

/** Names of every package that resolves: installed, linked and bundled. */
export function knownPackages(env: Env = process.env): string[] {
  const names = new Set(bundled.keys());
  const home = packagesHome(env);
  if (isDirectory(home)) {
    // Dot entries are kt's own (the install lock, staging folders, the listing cache).
    for (const entry of readdirSync(home)) if (!entry.startsWith('.')) names.add(entry.replace(/\.link$/, ''));
  }
  return [...names].sort();
}

/**
 * The packages as one build sees them: `knownPackages` and `resolvePackage`
 * answered once each and remembered. A build asks for them several times
 * (the creature reference, prompt fragments, package modules, skills), each
 * time a stat or two of the packages home; and when that home does not exist,
 * as for anyone with no package installed, one `existsSync` answers every
 * question. Take a fresh one per build: it does not see packages installed
 * after its first answer.
 */
export interface PackageIndex {
  /** `knownPackages(env)`, read once. */
  names(): string[];
  /** `resolvePackage(name, env)`, read once per name. */
  resolve(name: string): PackageRoot | undefined;
}

export function packageIndex(env: Env = process.env): PackageIndex {
  let homeExists: boolean | undefined;
  // Without the packages home nothing is installed or linked (`stat` of anything in it fails too).
  const installed = () => (homeExists ??= existsSync(packagesHome(env)));
  let names: string[] | undefined;
  const roots = new Map<string, PackageRoot | undefined>();
  return {
    names: () => (names ??= installed() ? knownPackages(env) : [...bundled.keys()].sort()),
    resolve(name) {
      if (!roots.has(name)) roots.set(name, installed() ? resolvePackage(name, env) : bundledPackage(name));
      return roots.get(name);
    },
  };
}

function bundledPackage(name: string): PackageRoot | undefined {
  const root = bundled.get(name);
  return root ? { name, root, source: 'bundled' } : undefined;
}

/** Split `@name/sub/path` into its package name and the path inside it. */
export function parsePackageRef(ref: string): { name: string; subpath: string } | undefined {
  const match = /^@([^/@\s]+)(?:\/(.*))?$/.exec(ref);
  if (!match) return undefined;
  return { name: match[1] as string, subpath: match[2] ?? '' };
}

