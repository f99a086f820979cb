// What the build-time tables (tool-schemas.mjs, pack-parses.mjs) share: run
// a few of kt's own source modules during the build, and put the table they
// computed in place of a source module in the bundles.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bundle `lines` (imports/exports of source files, relative to `root`) into a temp module, import it, and give it to `use`. */
export async function withSourceModule(root, name, lines, use) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(root, 'dist', `.${name}-`));
  try {
    const out = join(dir, 'module.mjs');
    await build({
      stdin: { contents: lines.join('\n'), resolveDir: root, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile: out,
      packages: 'external',
      logLevel: 'warning',
    });
    return await use(await import(pathToFileURL(out).href));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An esbuild plugin that loads `export const <exportName> = <table>` in place of the files `filter` matches. */
export function tableModule(name, filter, exportName, table) {
  const contents = `export const ${exportName} = ${JSON.stringify(table)};\n`;
  return {
    name,
    setup(b) {
      b.onLoad({ filter }, () => ({ contents, loader: 'js' }));
    },
  };
}
