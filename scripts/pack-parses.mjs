// The bundled creature pack's YAML, parsed at build time. The readers of
// config files, package manifests and skill frontmatter look a text up in
// this table before parsing it (source/engine/util/known-yaml.ts), so loading
// a bundled creature runs no YAML parser. Keys are the exact file texts: a
// file edited after the build simply misses and is parsed as before.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableModule, withSourceModule } from './build-time.mjs';

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/** kind → text → JSON, for every YAML file and frontmatter in the pack. */
export async function packParseTable(root) {
  const lines = [
    "export { YamlSource, YAML_SOURCE_KIND } from './source/engine/config/yaml-source.ts';",
    "export { parseFrontmatter, FRONTMATTER_KIND } from './source/engine/skills/frontmatter.ts';",
    "export { parsedManifest, MANIFEST_KIND } from './source/engine/packages/manifest-yaml.ts';",
  ];
  return withSourceModule(root, 'pack-parses', lines, (r) => {
    const table = { [r.YAML_SOURCE_KIND]: {}, [r.FRONTMATTER_KIND]: {}, [r.MANIFEST_KIND]: {} };
    for (const file of filesUnder(join(root, 'source', 'builtins', 'kt-biome'))) {
      const text = readFileSync(file, 'utf8');
      if (/\.ya?ml$/.test(file)) {
        table[r.YAML_SOURCE_KIND][text] = JSON.stringify(r.YamlSource.parse(text, file).toParsed());
        if (/kohaku\.ya?ml$/.test(file)) table[r.MANIFEST_KIND][text] = JSON.stringify(r.parsedManifest(text, file));
      } else if (file.endsWith('.md')) {
        const front = r.parseFrontmatter(text);
        if (front.present) table[r.FRONTMATTER_KIND][text] = JSON.stringify(front);
      }
    }
    return table;
  });
}

/** An esbuild plugin that puts `table` in place of source/builtins/pack-parses.ts. */
export function packParses(table) {
  return tableModule('pack-parses', /[\\/]builtins[\\/]pack-parses\.ts$/, 'packParses', table);
}
