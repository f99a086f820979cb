/**
 * The built library (dist/index.js) loads zod, yaml, semver and picomatch
 * only when something uses them (scripts/lazy-deps.mjs): importing it and
 * building a bundled creature loads none, and each works once used.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** Run `body` in a fresh Node process after importing dist/index.js as `lib`; what it prints is its result. */
function inFreshProcess(body: string): unknown {
  const script = `
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const lib = await import(${JSON.stringify(join(root, 'dist', 'index.js'))});
const cache = createRequire(import.meta.url).cache;
const loaded = () => ['vendor/zod.cjs', 'vendor/yaml.cjs', 'node_modules/semver/', 'node_modules/picomatch/'].filter((part) => Object.keys(cache).some((file) => file.replaceAll('\\\\', '/').includes(part)));
const dir = mkdtempSync(join(tmpdir(), 'kt-lazy-deps-'));
${body}`;
  const home = mkdtempSync(join(tmpdir(), 'kt-lazy-deps-home-'));
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, HOME: home, KT_CONFIG_DIR: join(home, '.kt') } });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

describe('the built library loads its heavier dependencies on first use', () => {
  it('importing it and building a bundled creature loads none of them', () => {
    const result = inFreshProcess(`
const afterImport = loaded();
const llm = { id: 'openai/m', provider: 'openai', model: 'm', async *stream() {} };
const agent = await lib.Agent.build('@kt-biome/creatures/general', { llm, pwd: dir });
const afterBuild = loaded();
await agent.stop();
console.log(JSON.stringify({ afterImport, afterBuild, tools: agent.tools.length > 10 }));`);
    expect(result).toEqual({ afterImport: [], afterBuild: [], tools: true });
  });

  it('a user config is parsed (yaml) and validated (zod), errors naming file and line; a manifest checks kt_version (semver)', () => {
    const result = inFreshProcess(`
mkdirSync(join(dir, 'c'));
writeFileSync(join(dir, 'c', 'config.yaml'), 'name: c\\ncontroller:\\n  temperature: \${KT_LAZY_T:0.5}\\n');
const creature = lib.loadCreature(join(dir, 'c'));
writeFileSync(join(dir, 'c', 'config.yaml'), 'name: c\\nmax_iterations: many\\n');
let error;
try { lib.loadCreature(join(dir, 'c')); } catch (e) { error = { name: e.name, line: e.line, message: e.message }; }
writeFileSync(join(dir, 'kohaku.yaml'), 'name: pack\\nkt_version: "nonsense range"\\n');
let manifest;
try { lib.packages.readManifest(dir); } catch (e) { manifest = { name: e.name, message: e.message }; }
console.log(JSON.stringify({ temperature: creature.controller.temperature, error, manifest, loaded: loaded() }));`);
    expect(result).toMatchObject({
      temperature: 0.5,
      error: { name: 'ConfigError', line: 2, message: expect.stringContaining("key 'max_iterations': expected number") },
      manifest: { name: 'ManifestError', message: expect.stringContaining('not a version range') },
      loaded: ['vendor/zod.cjs', 'vendor/yaml.cjs', 'node_modules/semver/'],
    });
  });
});
