import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YAML_SOURCE_KIND, YamlSource } from '../../../source/engine/config/yaml-source.js';
import { FRONTMATTER_KIND, parseFrontmatter } from '../../../source/engine/skills/frontmatter.js';
import { MANIFEST_KIND, parsedManifest, readManifestYaml } from '../../../source/engine/packages/manifest-yaml.js';
import { MANIFEST_VALID_KIND, readManifest } from '../../../source/engine/packages/manifest.js';
import { CREATURE_LAYER_KIND, validateLayer, type ConfigWarning } from '../../../source/engine/config/validate.js';
import { rememberYamlParses } from '../../../source/engine/util/known-yaml.js';
import { positionAt } from '../../../source/engine/util/yaml-positions.js';

// The table a build writes holds what the readers themselves made of a text;
// here it holds a marker instead, to tell a table hit from a parse.
describe('YAML parsed at build time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-known-yaml-'));

  it('a config file whose text is in the table is not parsed, yet still locates its keys', () => {
    const text = 'name: known\ncontroller:\n  model: m\n';
    const { positions } = YamlSource.parse(text, 'x.yaml').toParsed();
    rememberYamlParses({ [YAML_SOURCE_KIND]: { [text]: JSON.stringify({ data: { name: 'from-table' }, empty: false, positions }) } });
    const file = join(dir, 'config.yaml');
    writeFileSync(file, text);
    const first = YamlSource.read(file);
    expect(first.data).toEqual({ name: 'from-table' });
    expect(first.locate(['controller', 'model'])).toEqual({ line: 3, column: 3 });
    // Each hit is a fresh copy a caller may change.
    (first.data as Record<string, unknown>).name = 'changed';
    expect(YamlSource.read(file).data).toEqual({ name: 'from-table' });
  });

  it('a text that differs from the build (an edited file) is parsed as usual', () => {
    const file = join(dir, 'edited.yaml');
    writeFileSync(file, 'name: known\ncontroller:\n  model: other\n');
    expect(YamlSource.read(file).data).toEqual({ name: 'known', controller: { model: 'other' } });
  });

  it('frontmatter and manifests are looked up the same way', () => {
    const skill = '---\nname: s\n---\nbody\n';
    const manifest = 'name: pack\n';
    rememberYamlParses({
      [FRONTMATTER_KIND]: { [skill]: JSON.stringify({ present: true, data: { name: 'from-table' }, keyLines: { name: 2 }, body: 'body' }) },
      [MANIFEST_KIND]: { [manifest]: JSON.stringify({ ...parsedManifest(manifest, 'kohaku.yaml'), data: { name: 'from-table' } }) },
    });
    expect(parseFrontmatter(skill).data).toEqual({ name: 'from-table' });
    expect(parseFrontmatter('---\nname: s\n---\nother body\n').data).toEqual({ name: 's' });
    const file = join(dir, 'kohaku.yaml');
    writeFileSync(file, manifest);
    const read = readManifestYaml(file);
    expect(read.data).toEqual({ name: 'from-table' });
    expect(read.lineOf(['name'])).toBe(1);
  });

  it('positions from the table are the ones a parse finds, for every key and item of the pack', () => {
    const pack = join(import.meta.dirname, '..', '..', '..', 'source', 'builtins', 'kt-biome');
    const files = readdirSync(pack, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const text = readFileSync(join(pack, name), 'utf8');
      const fresh = YamlSource.parse(text + '\n', name);
      const stored = YamlSource.parse(text + '\n', name).toParsed();
      const paths: Array<Array<string | number>> = [[], ['nope'], ['tools', 99]];
      const walk = (value: unknown, path: Array<string | number>) => {
        paths.push(path, [...path, 'missing']);
        if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
        else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
      };
      walk(fresh.data, []);
      for (const path of paths) expect(positionAt(stored.positions, path), `${name} ${path.join('.')}`).toEqual(fresh.locate(path));
    }
  });
});

// Validations worked out at build time are looked up by the JSON text of the
// value; a marker result in the table tells a hit from a zod run.
describe('validations done at build time', () => {
  const source = { file: 'config.yaml', locate: () => undefined };

  it('a creature config equal to one in the table takes the table\'s layer; any other is validated', () => {
    const data = { name: 'known', controller: { model: 'm' } };
    rememberYamlParses({ [CREATURE_LAYER_KIND]: { [JSON.stringify(data)]: JSON.stringify({ name: 'from-table' }) } });
    const warnings: ConfigWarning[] = [];
    const layer = validateLayer(structuredClone(data), source, warnings);
    expect(layer).toEqual({ name: 'from-table' });
    // A fresh copy each time.
    (layer as { name?: string }).name = 'changed';
    expect(validateLayer(structuredClone(data), source, warnings)).toEqual({ name: 'from-table' });
    expect(validateLayer({ name: 'other', controller: { model: 'm' } }, source, warnings)).toEqual({ name: 'other', controller: { model: 'm' } });
    expect(() => validateLayer({ name: 'bad', max_iterations: 'x' }, source, warnings)).toThrow(/max_iterations|expected number/);
    expect(warnings).toEqual([]);
  });

  it('a manifest equal to one in the table is not validated again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-known-manifest-'));
    writeFileSync(join(dir, 'kohaku.yaml'), 'name: pack-known\n');
    rememberYamlParses({ [MANIFEST_VALID_KIND]: { [JSON.stringify({ name: 'pack-known' })]: JSON.stringify({ name: 'from-table' }) } });
    expect(readManifest(dir).manifest).toEqual({ name: 'from-table' });
    writeFileSync(join(dir, 'kohaku.yaml'), 'name: pack-other\n');
    expect(readManifest(dir).manifest).toEqual({ name: 'pack-other' });
  });
});
