/**
 * Where installed and bundled packages keep their skills: the folders
 * holding the skill folders their kohaku.yaml lists under `skills:`. A
 * package whose manifest cannot be read is skipped here; its error is
 * reported where its modules load.
 */
import path from 'node:path';
import type { Env } from '../home.js';
import { manifestFile, readManifest } from '../packages/manifest.js';
import { packageIndex, type PackageIndex } from '../packages/registry.js';

/** `packages`: the build's package index (default: a fresh look at the packages home). */
export function packageSkillDirs(env: Env = process.env, packages: PackageIndex = packageIndex(env)): string[] {
  const dirs = new Set<string>();
  for (const name of packages.names()) {
    const pkg = packages.resolve(name);
    if (!pkg || !manifestFile(pkg.root)) continue;
    let skills;
    try {
      skills = readManifest(pkg.root).manifest.skills ?? [];
    } catch {
      continue;
    }
    // An entry names one skill folder (`skills/code-review`); discovery reads the folder that holds it.
    for (const entry of skills) dirs.add(path.dirname(path.resolve(pkg.root, entry.path.replace(/[\\/]SKILL\.md$/i, ''))));
  }
  return [...dirs];
}
