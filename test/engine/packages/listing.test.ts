/** kt list's summaries: cached by manifest mtime and size, so an edited manifest shows at once and a broken one shows its error. */
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPackage } from '../../../source/engine/packages/install.js';
import { listPackages } from '../../../source/engine/packages/listing.js';
import { makePackage, tempDir } from './helpers.js';

describe('listPackages', () => {
  it('reflects a manifest edited after it was cached, and a broken one with its reason', async () => {
    const env = { KT_CONFIG_DIR: tempDir('kt-home-') };
    const src = makePackage(join(tempDir(), 'ed'), 'ed', '1.0.0');
    await installPackage(src, { env, editable: true });
    const first = (await listPackages(env)).find((p) => p.name === 'ed');
    expect(first).toMatchObject({ version: '1.0.0', source: 'linked', creatures: ['hello'] });
    writeFileSync(join(src, 'kohaku.yaml'), 'name: ed\nversion: "2.0.0"\n');
    utimesSync(join(src, 'kohaku.yaml'), new Date(), new Date(Date.now() + 5000));
    expect((await listPackages(env)).find((p) => p.name === 'ed')).toMatchObject({ version: '2.0.0', creatures: [] });
    writeFileSync(join(src, 'kohaku.yaml'), 'name: ed\nkt_version: 3\n');
    utimesSync(join(src, 'kohaku.yaml'), new Date(), new Date(Date.now() + 10000));
    expect((await listPackages(env)).find((p) => p.name === 'ed')?.error).toMatch(/kohaku\.yaml:2 key 'kt_version'/);
  });
});

describe('FRAMEWORK_VERSION', () => {
  it('is the version in package.json (kt_version ranges are checked against it)', async () => {
    const { readFileSync } = await import('node:fs');
    const { FRAMEWORK_VERSION } = await import('../../../source/engine/packages/manifest.js');
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(FRAMEWORK_VERSION).toBe(pkg.version);
  });
});
