/** Every install source end to end (loopback only), update, uninstall, shadowing, and bad input that leaves nothing installed. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateCreature } from '../../../source/engine/config/locate.js';
import { packageDigest } from '../../../source/engine/packages/digest.js';
import { ManifestError, MarketplaceError, PackageInstallError } from '../../../source/engine/packages/errors.js';
import { installPackage, uninstallPackage, updatePackage } from '../../../source/engine/packages/install.js';
import { loadIndex } from '../../../source/engine/packages/marketplace.js';
import { registerBundledPackage, resolvePackage } from '../../../source/engine/packages/registry.js';
import { bareRepo, indexServer, makePackage, packagesFolder, tempDir, type IndexServer } from './helpers.js';

const homeEnv = (extra: Record<string, string> = {}) => ({ KT_CONFIG_DIR: tempDir('kt-home-'), ...extra });
const servers: IndexServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('kt install sources', () => {
  it('copies a local folder into a private package folder, with progress and nothing left staged', async () => {
    const env = homeEnv();
    const src = makePackage(join(tempDir(), 'demo'), 'demo', '1.0.0');
    const steps: string[] = [];
    const installed = await installPackage(src, { env, onProgress: (s) => steps.push(s) });
    expect(installed).toMatchObject({ name: 'demo', version: '1.0.0', editable: false });
    expect(steps[0]).toMatch(/^copying /);
    expect(steps.at(-1)).toMatch(/^installed demo 1\.0\.0/);
    expect(packagesFolder(env.KT_CONFIG_DIR)).toEqual(['demo']);
    expect(statSync(installed.root).mode & 0o777).toBe(0o700);
    expect(locateCreature('@demo/creatures/hello', '/', env).configFile).toBe(join(installed.root, 'creatures/hello/config.yaml'));
    // Installing over it needs --force (replace).
    await expect(installPackage(src, { env })).rejects.toThrow(/'demo' is already installed/);
    await installPackage(src, { env, replace: true });
    expect(packagesFolder(env.KT_CONFIG_DIR)).toEqual(['demo']);
  });

  it('-e links the folder: edits show at once; uninstall removes only the link', async () => {
    const env = homeEnv();
    const src = makePackage(join(tempDir(), 'live'), 'live', '0.1.0');
    const installed = await installPackage(src, { env, editable: true });
    expect(installed.editable).toBe(true);
    expect(resolvePackage('live', env)).toMatchObject({ source: 'linked', root: src });
    writeFileSync(join(src, 'creatures/hello/config.yaml'), 'name: hello\nsystem_prompt: edited\n');
    expect(readFileSync(locateCreature('@live/creatures/hello', '/', env).configFile, 'utf8')).toContain('edited');
    await uninstallPackage('live', env);
    expect(resolvePackage('live', env)).toBeUndefined();
    expect(existsSync(src)).toBe(true);
  });

  it('clones a git repository at a tag, and update follows the branch to a new version', async () => {
    const env = homeEnv();
    const repo = bareRepo('gitpack', '1.0.0');
    repo.publish('1.1.0');
    const pinned = await installPackage(`${repo.url}#v1.0.0`, { env });
    expect(pinned.version).toBe('1.0.0');
    expect(await updatePackage('gitpack', { env })).toMatchObject({ status: 'unchanged', to: '1.0.0' });
    await uninstallPackage('gitpack', env);

    const tracking = await installPackage(repo.url, { env });
    expect(tracking.version).toBe('1.1.0');
    repo.publish('1.2.0');
    expect(await updatePackage('gitpack', { env })).toEqual({ name: 'gitpack', status: 'updated', from: '1.1.0', to: '1.2.0' });
    expect(readFileSync(locateCreature('@gitpack/creatures/hello', '/', env).configFile, 'utf8')).toContain('1.2.0');
    expect(packagesFolder(env.KT_CONFIG_DIR)).toEqual(['gitpack']);
  });

  it('installs an npm package (a local tarball, so no registry is needed)', async () => {
    const env = homeEnv();
    const src = makePackage(join(tempDir(), 'kt-pack-foo'), 'foo', '2.0.0', { 'package.json': JSON.stringify({ name: 'kt-pack-foo', version: '2.0.0' }) });
    const out = tempDir();
    execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: src, stdio: 'pipe' });
    const installed = await installPackage(`npm:${join(out, 'kt-pack-foo-2.0.0.tgz')}`, { env });
    expect(installed).toMatchObject({ name: 'foo', version: '2.0.0' });
    expect(existsSync(join(installed.root, 'kohaku.yaml'))).toBe(true);
    expect(packagesFolder(env.KT_CONFIG_DIR)).toEqual(['foo']);
  }, 60_000);

  it('installs @name from a marketplace index over HTTP (ETag revalidation, TTL cache, offline with a warm cache warns)', async () => {
    const repo = bareRepo('market', '1.0.0');
    repo.publish('1.1.0');
    const good = (v: string) => {
      const check = tempDir();
      execFileSync('git', ['clone', '--quiet', '--branch', `v${v}`, repo.url.replace('file://', ''), check], { stdio: 'pipe' });
      return packageDigest(check);
    };
    const body = `packages:\n  - name: market\n    description: A pack from the index\n    tags: [demo]\n    versions:\n      - version: 1.0.0\n        source: ${repo.url}#v1.0.0\n        sha256: ${good('1.0.0')}\n      - version: 1.1.0\n        source: ${repo.url}#v1.1.0\n        sha256: ${good('1.1.0')}\n      - version: 9.0.0\n        source: ${repo.url}#v1.1.0\n        yanked: true\n`;
    const server = await indexServer(body);
    servers.push(server);
    const env = homeEnv({ KT_MARKET_URL: server.url, KT_MARKET_TTL: '0' });
    const installed = await installPackage('@market', { env });
    expect(installed).toMatchObject({ name: 'market', version: '1.1.0' });
    await uninstallPackage('market', env);
    const pinned = await installPackage('@market@1.0.0', { env });
    expect(pinned.version).toBe('1.0.0');
    // The second fetch revalidated with the ETag the first one got.
    expect(server.requests.map((r) => r.etag)).toEqual([undefined, '"v1"']);
    // Fresh within the TTL: no request at all.
    await loadIndex({ ...env, KT_MARKET_TTL: '3600' });
    expect(server.requests).toHaveLength(2);
    // Offline with a warm cache: works, with a warning.
    await server.close();
    servers.length = 0;
    await uninstallPackage('market', env);
    const warnings: string[] = [];
    await installPackage('@market', { env, onWarning: (w) => warnings.push(w) });
    expect(warnings[0]).toMatch(/unreachable .*using the copy cached/);
    // Offline with a cold cache: a clear error.
    await expect(loadIndex({ ...env, KT_CONFIG_DIR: tempDir() })).rejects.toThrow(/cannot reach the marketplace index .* nothing is cached/);
  });
});

describe('bad input leaves nothing installed', () => {
  async function rejectsCleanly(source: string, env: Record<string, string>, type: unknown, message: RegExp) {
    const error = await installPackage(source, { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect(packagesFolder(env.KT_CONFIG_DIR!)).toEqual([]);
  }

  it('an unknown marketplace package', async () => {
    const index = join(tempDir(), 'index.yaml');
    writeFileSync(index, 'packages:\n  - name: other\n    versions: [{version: 1.0.0, source: ./x}]\n');
    await rejectsCleanly('@nope', homeEnv({ KT_MARKET_URL: index }), MarketplaceError, /'@nope' is not in the marketplace index/);
  });

  it('a git URL that does not clone', async () => {
    await rejectsCleanly(`file://${tempDir()}/missing.git`, homeEnv(), PackageInstallError, /git clone file:\/\/.*missing\.git failed/);
  });

  it('a checksum that does not match the index', async () => {
    const src = makePackage(join(tempDir(), 'sum'), 'sum', '1.0.0');
    const index = join(tempDir(), 'index.yaml');
    writeFileSync(index, `packages:\n  - name: sum\n    versions:\n      - {version: 1.0.0, source: ${src}, sha256: '${'0'.repeat(64)}'}\n`);
    await rejectsCleanly('@sum', homeEnv({ KT_MARKET_URL: index }), PackageInstallError, /checksum mismatch for 'sum'/);
  });

  it('a kt_version range that excludes this kt, or is not a range', async () => {
    const future = makePackage(join(tempDir(), 'future'), 'future', '1.0.0', { 'kohaku.yaml': 'name: future\nkt_version: ">=99"\n' });
    await rejectsCleanly(future, homeEnv(), ManifestError, /kohaku\.yaml:2 key 'kt_version': package 'future' needs kt >=99/);
    const bad = makePackage(join(tempDir(), 'bad'), 'bad', '1.0.0', { 'kohaku.yaml': 'name: bad\nversion: "1"\nkt_version: "soon please"\n' });
    await rejectsCleanly(bad, homeEnv(), ManifestError, /kohaku\.yaml:3 key 'kt_version': not a version range/);
  });

  it('a package whose module throws when imported', async () => {
    const src = makePackage(join(tempDir(), 'boom'), 'boom', '1.0.0', {
      'kohaku.yaml': 'name: boom\ntools:\n  - name: boom_tool\n    module: tools/boom.mjs\n',
      'tools/boom.mjs': "throw new Error('kaboom at import');\n",
    });
    await rejectsCleanly(src, homeEnv(), ManifestError, /kohaku\.yaml:4 key 'tools\[0\]\.module': package 'boom': cannot load tools module .*boom\.mjs: kaboom at import/);
  });

  it('uninstalling a package that is not installed', async () => {
    await expect(uninstallPackage('ghost', homeEnv())).rejects.toThrow(/package 'ghost' is not installed/);
  });
});

describe('shadowing', () => {
  it('an installed package shadows the bundled one of the same name until uninstalled', async () => {
    const env = homeEnv();
    const bundled = makePackage(join(tempDir(), 'shadow-bundled'), 'shadowed', '0.0.1');
    registerBundledPackage('shadowed', bundled);
    expect(resolvePackage('shadowed', env)).toMatchObject({ source: 'bundled', root: bundled });
    const mine = await installPackage(makePackage(join(tempDir(), 'mine'), 'shadowed', '5.0.0'), { env });
    expect(resolvePackage('shadowed', env)).toMatchObject({ source: 'installed', root: mine.root });
    expect(readFileSync(locateCreature('@shadowed/creatures/hello', '/', env).configFile, 'utf8')).toContain('5.0.0');
    await uninstallPackage('shadowed', env);
    expect(resolvePackage('shadowed', env)?.source).toBe('bundled');
  });
});
