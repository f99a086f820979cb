import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownPackages, packageIndex, registerBundledPackage, resolvePackage } from '../../../source/engine/packages/registry.js';
import { makePackage, tempDir } from './helpers.js';

describe('packageIndex', () => {
  const bundledRoot = makePackage(tempDir(), 'bundled-pack', '1.0.0');
  registerBundledPackage('bundled-pack', bundledRoot);

  /** The index must answer as the direct lookups do. */
  const same = (env: Record<string, string>, names: string[]) => {
    const index = packageIndex(env);
    expect(index.names()).toEqual(knownPackages(env));
    for (const name of names) expect(index.resolve(name)).toEqual(resolvePackage(name, env));
  };

  it('answers like knownPackages/resolvePackage without a packages home', () => {
    const env = { KT_CONFIG_DIR: join(tempDir(), 'missing') };
    same(env, ['bundled-pack', 'nope', '..', '.']);
    expect(packageIndex(env).resolve('bundled-pack')).toEqual({ name: 'bundled-pack', root: bundledRoot, source: 'bundled' });
  });

  it('answers like them with installed, linked and shadowing packages', () => {
    const home = tempDir();
    const packages = join(home, 'packages');
    makePackage(join(packages, 'installed'), 'installed', '1.0.0');
    makePackage(join(packages, 'bundled-pack'), 'bundled-pack', '2.0.0');
    const linked = makePackage(tempDir(), 'linked', '1.0.0');
    writeFileSync(join(packages, 'linked.link'), `${linked}\n`);
    writeFileSync(join(packages, 'dangling.link'), join(home, 'gone'));
    writeFileSync(join(packages, 'plain-file'), 'not a package');
    mkdirSync(join(packages, '.staging-x'));
    same({ KT_CONFIG_DIR: home }, ['installed', 'bundled-pack', 'linked', 'dangling', 'plain-file', 'nope', '..']);
    expect(packageIndex({ KT_CONFIG_DIR: home }).resolve('bundled-pack')?.source).toBe('installed');
  });

  it('reads each answer once: a package installed after the first answer is not seen by that index', () => {
    const home = tempDir();
    const env = { KT_CONFIG_DIR: home };
    const index = packageIndex(env);
    expect(index.resolve('late')).toBeUndefined();
    makePackage(join(home, 'packages', 'late'), 'late', '1.0.0');
    expect(index.resolve('late')).toBeUndefined();
    expect(packageIndex(env).resolve('late')?.source).toBe('installed');
  });
});
