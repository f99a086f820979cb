// The built-in tools' JSON Schemas, computed at build time. Each tool's zod
// input is declared lazily (source/builtins/tools/input.ts); this bundles the
// tools once, builds and converts every declared input exactly as `tool()`
// would, and hands the bundles a replacement for prebuilt-schemas.ts holding
// the table, so a shipped kt builds a tool's zod schema only when a call to
// it is validated.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** key → JSON Schema for every built-in tool input. */
export async function toolSchemaTable(root) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(root, 'dist', '.tool-schemas-'));
  try {
    const out = join(dir, 'table.mjs');
    await build({
      stdin: {
        contents: [
          "import './source/builtins/tools/index.ts';",
          "export { builtinInputs } from './source/builtins/tools/input.ts';",
          "export { jsonSchemaOf } from './source/engine/tools/define.ts';",
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile: out,
      packages: 'external',
      logLevel: 'warning',
    });
    const { builtinInputs, jsonSchemaOf } = await import(pathToFileURL(out).href);
    const table = {};
    for (const [key, make] of builtinInputs()) table[key] = jsonSchemaOf(make());
    return table;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An esbuild plugin that puts `table` in place of prebuilt-schemas.ts. */
export function prebuiltToolSchemas(table) {
  const contents = `export const prebuiltToolSchemas = ${JSON.stringify(table)};\n`;
  return {
    name: 'prebuilt-tool-schemas',
    setup(b) {
      b.onLoad({ filter: /[\\/]builtins[\\/]tools[\\/]prebuilt-schemas\.ts$/ }, () => ({ contents, loader: 'js' }));
    },
  };
}
