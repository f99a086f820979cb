/** `kt run <ref>`: which references are recipes (run as a team) and which are creatures. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recipeAt } from '../../source/cli/terrarium/detect.js';

describe('recipeAt', () => {
  it('finds recipe folders, recipe files and package terrariums; leaves creatures alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-detect-'));
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'team', 'terrarium.yaml'), 'root: {}\n');
    mkdirSync(join(dir, 'creature'));
    writeFileSync(join(dir, 'creature', 'config.yaml'), 'name: c\n');
    writeFileSync(join(dir, 'crew.yaml'), 'creatures:\n  - name: a\n');
    writeFileSync(join(dir, 'other.yaml'), 'name: c\n');
    expect(await recipeAt('team', dir)).toBe(join(dir, 'team'));
    expect(await recipeAt('team/terrarium.yaml', dir)).toBe(join(dir, 'team', 'terrarium.yaml'));
    expect(await recipeAt('crew.yaml', dir)).toBe(join(dir, 'crew.yaml'));
    expect(await recipeAt('creature', dir)).toBeUndefined();
    expect(await recipeAt('other.yaml', dir)).toBeUndefined();
    expect(await recipeAt('missing', dir)).toBeUndefined();
    expect(await recipeAt('@kt-biome/creatures/swe', dir)).toBeUndefined();
    expect(await recipeAt('@kt-biome/terrariums/swe_team', dir)).toBe('@kt-biome/terrariums/swe_team');
  });
});
