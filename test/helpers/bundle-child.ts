/**
 * A TypeScript fixture bundled into one ESM file a child process can run
 * with plain Node (the engine from source, native modules left external and
 * resolved from the repository's node_modules). Crash tests use it to kill a
 * real process at chosen moments.
 */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

export const REPO_NODE_MODULES = join(import.meta.dirname, '../../node_modules');

/** Bundle `entry` (a .ts file) and return the path of the runnable .mjs. */
export async function bundleChild(entry: string): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'kt-child-'));
  const file = join(out, basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['better-sqlite3', 'sqlite-vec'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    nodePaths: [REPO_NODE_MODULES],
    logLevel: 'error',
  });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  // The engine imports better-sqlite3 with an ES import, which NODE_PATH does not reach (only require()
  // reads it): the child's folder gets the repository's node_modules, as a checkout's own files have.
  symlinkSync(REPO_NODE_MODULES, join(out, 'node_modules'), 'dir');
  return file;
}
