// The bundled creature pack's YAML, parsed at build time. The readers of
// config files, package manifests and skill frontmatter look a text up in
// this table before parsing it (source/engine/util/known-yaml.ts), so loading
// a bundled creature runs no YAML parser. Keys are the exact file texts: a
// file edited after the build simply misses and is parsed as before.
// The pack's creature configs and manifest are validated here too; the
// validators look the value up by its JSON text before running zod.
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
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
    "export { validateLayer, CREATURE_LAYER_KIND } from './source/engine/config/validate.ts';",
    "export { manifestSchema, MANIFEST_VALID_KIND } from './source/engine/packages/manifest.ts';",
  ];
  return withSourceModule(root, 'pack-parses', lines, (r) => {
    const table = { [r.YAML_SOURCE_KIND]: {}, [r.FRONTMATTER_KIND]: {}, [r.MANIFEST_KIND]: {}, [r.CREATURE_LAYER_KIND]: {}, [r.MANIFEST_VALID_KIND]: {} };
    for (const file of filesUnder(join(root, 'source', 'builtins', 'kt-biome'))) {
      const text = readFileSync(file, 'utf8');
      if (/\.ya?ml$/.test(file)) {
        const source = r.YamlSource.parse(text, file);
        table[r.YAML_SOURCE_KIND][text] = JSON.stringify(source.toParsed());
        if (file.includes(`${sep}creatures${sep}`)) remember(table[r.CREATURE_LAYER_KIND], source.data, (data) => validLayer(r, data, source));
        if (/kohaku\.ya?ml$/.test(file)) {
          const manifest = r.parsedManifest(text, file);
          table[r.MANIFEST_KIND][text] = JSON.stringify(manifest);
          remember(table[r.MANIFEST_VALID_KIND], manifest.data, (data) => r.manifestSchema.safeParse(data).data);
        }
      } else if (file.endsWith('.md')) {
        const front = r.parseFrontmatter(text);
        if (front.present) table[r.FRONTMATTER_KIND][text] = JSON.stringify(front);
      }
    }
    return table;
  });
}

/**
 * Put `validate(data)` under the JSON text of `data`, when it is a result the
 * lookup can stand for: the data has no `${VAR}` (the loader substitutes
 * them before validating), and the result is valid, warning-free plain JSON.
 */
function remember(kindTable, data, validate) {
  const key = JSON.stringify(data);
  if (key.includes('${')) return;
  const result = validate(JSON.parse(key));
  if (result !== undefined && isDeepStrictEqual(JSON.parse(JSON.stringify(result)), result)) kindTable[key] = JSON.stringify(result);
}

/** A creature layer as the loader validates it, or undefined if it has problems or warnings. */
function validLayer(r, data, source) {
  const warnings = [];
  try {
    const layer = r.validateLayer(data, source, warnings);
    return warnings.length ? undefined : layer;
  } catch {
    return undefined;
  }
}

/** An esbuild plugin that puts `table` in place of source/builtins/pack-parses.ts. */
export function packParses(table) {
  return tableModule('pack-parses', /[\\/]builtins[\\/]pack-parses\.ts$/, 'packParses', table);
}
