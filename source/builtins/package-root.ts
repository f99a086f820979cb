/**
 * The installed kohakuterrarium package's root folder, found by walking up
 * from this module. Works from the TypeScript sources (tests), the tsc
 * output and the esbuild bundle alike, which all sit at different depths.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === 'kohakuterrarium') return (cached = dir);
    } catch {
      // no package.json here; keep walking
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('cannot locate the kohakuterrarium package root');
}

/** Where the bundled `@kt-biome` creature pack lives. */
export function bundledBiomeRoot(): string {
  return join(packageRoot(), 'source', 'builtins', 'kt-biome');
}
