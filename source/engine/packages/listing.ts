/**
 * What `kt list` and `kt info` show about packages: every package that
 * resolves (installed, linked, bundled), read from its manifest. A broken
 * manifest shows as an error on its own row and never hides the others.
 */
import { readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packagesHome, writePrivateFile, type Env } from '../home.js';
import { packageDigest } from './digest.js';
import type { Manifest } from './manifest.js';
import { knownPackages, resolvePackage, type PackageRoot } from './registry.js';
import { isDirectory } from '../util/fs-probe.js';
import { readRecord, type InstallRecord } from './store.js';

export interface PackageSummary {
  name: string;
  source: PackageRoot['source'];
  root: string;
  version?: string;
  description?: string;
  creatures: string[];
  terrariums: string[];
  /** tools, plugins, triggers and io entries by kind. */
  modules: { tools: string[]; plugins: string[]; triggers: string[]; io: string[] };
  record?: InstallRecord;
  /** Why the manifest could not be read. */
  error?: string;
}

type Read = typeof import('./manifest.js')['readManifest'];
type Cached = Omit<PackageSummary, 'record' | 'source' | 'name' | 'root' | 'error'>;

/**
 * Summaries of valid manifests, by manifest file and its mtime and size, so
 * `kt list` with many packages reads one small file instead of parsing and
 * validating every manifest (the YAML and zod modules are then not even loaded).
 */
const CACHE = '.list-cache.json';

export async function listPackages(env: Env = process.env): Promise<PackageSummary[]> {
  const cacheFile = join(packagesHome(env), CACHE);
  const cache = readCache(cacheFile);
  let changed = false;
  let read: Read | undefined;
  const out: PackageSummary[] = [];
  for (const name of knownPackages(env)) {
    if (name === CACHE || name.startsWith('.')) continue;
    const pkg = resolvePackage(name, env);
    if (!pkg) continue;
    const stamp = manifestStamp(pkg.root);
    const hit = stamp ? cache[stamp] : undefined;
    if (hit) {
      out.push(withBase(pkg, hit));
      continue;
    }
    read ??= (await import('./manifest.js')).readManifest;
    const summary = summarize(pkg, read);
    out.push(summary);
    if (stamp && !summary.error) {
      cache[stamp] = strip(summary);
      changed = true;
    }
  }
  if (changed && isDirectory(packagesHome(env))) writeCache(cacheFile, cache);
  return out;
}

export async function packageInfo(name: string, env: Env = process.env): Promise<(PackageSummary & { manifest?: Manifest; digest?: string }) | undefined> {
  const pkg = resolvePackage(name.replace(/^@/, '').split('/')[0] ?? '', env);
  if (!pkg) return undefined;
  const { readManifest } = await import('./manifest.js');
  const summary = summarize(pkg, readManifest);
  let manifest: Manifest | undefined;
  try {
    manifest = readManifest(pkg.root).manifest;
  } catch {
    manifest = undefined;
  }
  return { ...summary, ...(manifest ? { manifest } : {}), digest: packageDigest(pkg.root) };
}

function manifestStamp(root: string): string | undefined {
  for (const name of ['kohaku.yaml', 'kohaku.yml']) {
    try {
      const file = join(root, name);
      const stat = statSync(file);
      return `${file}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      // next name
    }
  }
  return undefined;
}

function readCache(file: string): Record<string, Cached> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Cached>;
  } catch {
    return {};
  }
}

function writeCache(file: string, cache: Record<string, Cached>): void {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    writePrivateFile(tmp, JSON.stringify(cache));
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
}

function strip(summary: PackageSummary): Cached {
  const { record: _r, source: _s, name: _n, root: _o, error: _e, ...rest } = summary;
  return rest;
}

function withBase(pkg: PackageRoot, cached: Cached): PackageSummary {
  const record = pkg.source === 'installed' ? readRecord(pkg.root) : undefined;
  return { name: pkg.name, source: pkg.source, root: pkg.root, ...(record ? { record } : {}), ...cached };
}

function summarize(pkg: PackageRoot, readManifest: Read): PackageSummary {
  const record = pkg.source === 'installed' ? readRecord(pkg.root) : undefined;
  const base = { name: pkg.name, source: pkg.source, root: pkg.root, ...(record ? { record } : {}) };
  try {
    const { manifest } = readManifest(pkg.root);
    return {
      ...base,
      ...(manifest.version ? { version: manifest.version } : {}),
      ...(manifest.description ? { description: manifest.description } : {}),
      creatures: (manifest.creatures ?? []).map((c) => c.name),
      terrariums: (manifest.terrariums ?? []).map((t) => t.name),
      modules: {
        tools: (manifest.tools ?? []).map((e) => e.name),
        plugins: (manifest.plugins ?? []).map((e) => e.name),
        triggers: (manifest.triggers ?? []).map((e) => e.name),
        io: (manifest.io ?? []).map((e) => e.name),
      },
    };
  } catch (error) {
    return { ...base, creatures: [], terrariums: [], modules: { tools: [], plugins: [], triggers: [], io: [] }, error: (error as Error).message };
  }
}
