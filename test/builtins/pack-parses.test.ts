import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without declarations
import { packParseTable } from '../../scripts/pack-parses.mjs';
import { CREATURE_LAYER_KIND, validateLayer } from '../../source/engine/config/validate.js';
import { YamlSource } from '../../source/engine/config/yaml-source.js';
import { MANIFEST_VALID_KIND, manifestSchema } from '../../source/engine/packages/manifest.js';

const root = join(import.meta.dirname, '..', '..');
const pack = join(root, 'source', 'builtins', 'kt-biome');

describe('the bundled pack validated at build time', () => {
  it('holds every creature config and the manifest, each as the validators make it at run time', async () => {
    const table = (await packParseTable(root)) as Record<string, Record<string, string>>;
    const configs = readdirSync(join(pack, 'creatures')).map((name) => join(pack, 'creatures', name, 'config.yaml'));
    expect(configs.length).toBeGreaterThan(5);
    for (const file of configs) {
      const source = YamlSource.read(file);
      const stored = table[CREATURE_LAYER_KIND]![JSON.stringify(source.data)];
      // A config with ${VAR} placeholders depends on the environment: it is validated when loaded.
      if (readFileSync(file, 'utf8').includes('${')) {
        expect(stored, file).toBeUndefined();
        continue;
      }
      expect(stored, file).toBeDefined();
      expect(JSON.parse(stored!), file).toEqual(validateLayer(source.data, source, []));
    }
    const manifest = YamlSource.read(join(pack, 'kohaku.yaml')).data;
    expect(JSON.parse(table[MANIFEST_VALID_KIND]![JSON.stringify(manifest)]!)).toEqual(manifestSchema.parse(manifest));
  });
});
