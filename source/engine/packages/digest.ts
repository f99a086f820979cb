/**
 * A package's content digest: sha256 over its files (relative path and bytes,
 * in path order), leaving out what installing adds (`.git`, `node_modules`,
 * the install record). The marketplace index pins a version to it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { INSTALL_RECORD } from './store.js';

const SKIPPED = new Set(['.git', 'node_modules', INSTALL_RECORD]);

export function packageDigest(root: string): string {
  const hash = createHash('sha256');
  for (const file of filesOf(root).sort()) {
    const name = relative(root, file).split(sep).join('/');
    hash.update(`${name}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function filesOf(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesOf(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
