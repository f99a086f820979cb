/**
 * Turn a creature reference into a config file: `@pkg/path`, a folder, a
 * config file, or `creatures/<name>` found by walking up the folders.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, PackageNotFoundError, type ConfigLocation } from '../errors.js';
import { packageIndex, parsePackageRef, type PackageIndex } from '../packages/registry.js';
import type { Env } from '../home.js';
import { statOrUndefined } from '../util/fs-probe.js';

export interface CreatureLocation {
  /** The creature's folder: prompts and relative paths resolve from here. */
  folder: string;
  configFile: string;
}

const CONFIG_NAMES = ['config.yaml', 'config.yml', 'config.json'];
const MAX_WALK_UP = 10;

/**
 * @param ref what the user wrote
 * @param fromDir the folder relative references start from
 * @param where the config key that holds `ref`, for error messages
 * @param packages the build's package index (default: a fresh look at the packages home)
 */
export function locateCreature(ref: string, fromDir: string, env: Env, where: ConfigLocation = {}, packages?: PackageIndex): CreatureLocation {
  const pkg = parsePackageRef(ref);
  if (pkg) return locateInPackage(ref, pkg.name, pkg.subpath, packages ?? packageIndex(env), where);

  const direct = resolve(fromDir, ref);
  const found = statOrUndefined(direct);
  if (found) return fromPath(direct, ref, where, found);

  // `creatures/<name>`: look in a `creatures/` folder of this or a parent folder.
  if (/^creatures\/[^/]+\/?$/.test(ref)) {
    let dir = fromDir;
    for (let i = 0; i < MAX_WALK_UP; i++) {
      const candidate = join(dir, ref);
      if (exists(candidate)) return fromPath(candidate, ref, where);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new ConfigError(`creature '${ref}' not found (looked for ${direct})`, where);
}

function locateInPackage(ref: string, name: string, subpath: string, packages: PackageIndex, where: ConfigLocation): CreatureLocation {
  const pkg = packages.resolve(name);
  if (!pkg) {
    const known = packages.names();
    throw new PackageNotFoundError(
      `package '@${name}' is not installed${known.length ? ` (available: ${known.map((n) => `@${n}`).join(', ')})` : ''}`,
      where,
      { hint: `install it with: kt install @${name}` },
    );
  }
  const target = join(pkg.root, subpath);
  const found = statOrUndefined(target);
  if (!found) {
    const siblings = listCreatures(dirname(target));
    const suggestion = siblings.length ? ` (available in ${basename(dirname(target))}/: ${siblings.join(', ')})` : '';
    throw new ConfigError(`'${ref}' does not exist in package '@${name}'${suggestion}`, where);
  }
  return fromPath(target, ref, where, found);
}

function fromPath(path: string, ref: string, where: ConfigLocation, stat: Stats = statSync(path)): CreatureLocation {
  if (stat.isFile()) return { folder: dirname(path), configFile: path };
  for (const name of CONFIG_NAMES) {
    const file = join(path, name);
    if (exists(file)) return { folder: path, configFile: file };
  }
  throw new ConfigError(`'${ref}' is a folder without a config.yaml (${path})`, where);
}

function listCreatures(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && CONFIG_NAMES.some((n) => exists(join(dir, e.name, n))))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function exists(path: string): boolean {
  return statOrUndefined(path) !== undefined;
}
