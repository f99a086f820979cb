/**
 * `kt install | list | info | update | uninstall | marketplace` through the
 * built CLI, bad input exiting 2 with nothing installed, and
 * `packages.ensure` from two processes at once installing exactly once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';
import { bareRepo, makePackage, packagesFolder, tempDir } from '../engine/packages/helpers.js';
import { baseEnv, kt, repoRoot } from './helpers.js';

describe('kt package commands', () => {
  it('install, list, info, update, uninstall', async () => {
    const env = baseEnv();
    const repo = bareRepo('clipack', '1.0.0');
    const installed = await kt(['install', repo.url], { env });
    expect(installed.code).toBe(0);
    expect(installed.stderr).toMatch(/· cloning file:\/\/.*clipack\.git/);
    expect(installed.stdout).toMatch(/Installed clipack 1\.0\.0/);

    const list = await kt(['list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/clipack\s+1\.0\.0\s+installed\s+The clipack pack/);
    expect(list.stdout).toMatch(/kt-biome\s+\S+\s+bundled/);

    const info = await kt(['info', 'clipack'], { env });
    expect(info.stdout).toMatch(/installed from\s+file:\/\//);
    expect(info.stdout).toMatch(/creatures\s+hello/);

    repo.publish('1.1.0');
    const update = await kt(['update', '--all'], { env });
    expect(update.stdout).toMatch(/clipack: 1\.0\.0 → 1\.1\.0/);
    expect(update.stdout).toMatch(/1 updated, 0 unchanged, 0 skipped/);

    expect((await kt(['uninstall', 'clipack'], { env })).code).toBe(0);
    expect(packagesFolder(env.KT_CONFIG_DIR!)).toEqual([]);
  }, 60_000);

  it('bad input exits 2 with a clear message and nothing installed', async () => {
    const env = baseEnv();
    const throwing = makePackage(join(tempDir(), 'thrower'), 'thrower', '1.0.0', {
      'kohaku.yaml': 'name: thrower\nplugins:\n  - name: p\n    module: p.ts\n',
      'p.ts': "const reason: string = 'plugin import failed';\nthrow new Error(reason);\n",
    });
    const cases: Array<[string[], RegExp]> = [
      [['install', throwing], /kohaku\.yaml:4 key 'plugins\[0\]\.module': package 'thrower': cannot load plugins module .*p\.ts: plugin import failed/],
      [['install', `file://${tempDir()}/nope.git`], /git clone .*nope\.git failed/],
      [['install', join(tempDir(), 'no-such-folder')], /no package folder at/],
      [['install', '@nothing'], /no marketplace index is configured/],
      [['info', 'ghost'], /package 'ghost' is not installed/],
      [['uninstall', 'ghost'], /package 'ghost' is not installed/],
    ];
    for (const [args, message] of cases) {
      const run = await kt(args, { env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(packagesFolder(env.KT_CONFIG_DIR!)).toEqual([]);
  }, 60_000);

  it('marketplace search and info read the index', async () => {
    const src = makePackage(join(tempDir(), 'm'), 'searchable', '0.2.0');
    const index = join(tempDir(), 'index.json');
    writeFileSync(index, JSON.stringify({ packages: [{ name: 'searchable', description: 'Finds things', tags: ['search'], versions: [{ version: '0.2.0', source: src }] }] }));
    const env = baseEnv({ KT_MARKET_URL: index });
    const search = await kt(['marketplace', 'search', 'finds'], { env });
    expect(search.stdout).toMatch(/@searchable\s+0\.2\.0\s+Finds things/);
    const info = await kt(['marketplace', 'info', 'searchable'], { env });
    expect(info.stdout).toMatch(/installs\s+0\.2\.0/);
    expect((await kt(['install', '@searchable'], { env })).stdout).toMatch(/Installed searchable 0\.2\.0/);
  }, 60_000);

  it('packages.ensure from two processes at once installs once and both see it', async () => {
    const src = makePackage(join(tempDir(), 'shared'), 'shared', '3.0.0');
    const index = join(tempDir(), 'index.yaml');
    writeFileSync(index, `packages:\n  - name: shared\n    versions:\n      - {version: 3.0.0, source: ${src}}\n`);
    const env = baseEnv({ KT_MARKET_URL: index });
    const script = `import { packages } from ${JSON.stringify(join(repoRoot, 'dist', 'index.js'))};
const got = await packages.ensure('@shared/creatures/hello');
process.stdout.write(JSON.stringify(got));`;
    const runs = await Promise.all([0, 1].map(() => runProcess(process.execPath, ['--input-type=module', '-e', script], { env, cwd: repoRoot, timeoutMs: 30_000 })));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const results = runs.map((r) => JSON.parse(r.stdout) as { name: string; root: string; version?: string });
    expect(results.map((r) => r.name)).toEqual(['shared', 'shared']);
    expect(results[0]!.root).toBe(results[1]!.root);
    expect(packagesFolder(env.KT_CONFIG_DIR!)).toEqual(['shared']);
  }, 60_000);
});
