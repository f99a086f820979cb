/**
 * What `kt list` and `kt info` show about packages: every package that
 * resolves (installed, linked, bundled), read from its manifest. A broken
 * manifest shows as an error on its own row and never hides the others.
 */
import type { Env } from '../home.js';
import { packageDigest } from './digest.js';
import { readManifest, type Manifest } from './manifest.js';
import { knownPackages, resolvePackage, type PackageRoot } from './registry.js';
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

export function listPackages(env: Env = process.env): PackageSummary[] {
  const out: PackageSummary[] = [];
  for (const name of knownPackages(env)) {
    const pkg = resolvePackage(name, env);
    if (pkg) out.push(summarize(pkg));
  }
  return out;
}

export function packageInfo(name: string, env: Env = process.env): (PackageSummary & { manifest?: Manifest; digest?: string }) | undefined {
  const pkg = resolvePackage(name.replace(/^@/, '').split('/')[0] ?? '', env);
  if (!pkg) return undefined;
  const summary = summarize(pkg);
  let manifest: Manifest | undefined;
  try {
    manifest = readManifest(pkg.root).manifest;
  } catch {
    manifest = undefined;
  }
  return { ...summary, ...(manifest ? { manifest } : {}), digest: packageDigest(pkg.root) };
}

function summarize(pkg: PackageRoot): PackageSummary {
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
