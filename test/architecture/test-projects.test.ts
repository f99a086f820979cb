/**
 * `npm run test:unit` runs without a build, so a test that needs dist/ must
 * land in the e2e (or packaging) project: such files are named *.e2e.test.ts.
 * Catches a new test that spawns `kt` under a plain *.test.ts name, which
 * would fail on a fresh clone under test:unit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(entry.name) ? [relative(root, path)] : [];
  });
}

/** Signs that a test runs the built app: the cli helpers that spawn it, or a path into dist/. */
const NEEDS_DIST = /\b(assertBuilt|ktBin)\b|['"/]dist\/(kt|index|testing|providers)\.js/;
const SELF = relative(root, import.meta.filename);

describe('test projects', () => {
  it('every test that needs the build is an e2e or packaging test', () => {
    const misplaced = testFiles(join(root, 'test')).filter(
      (file) => file !== SELF && !/\.e2e\.test\.tsx?$/.test(file) && !file.startsWith('test/packaging/') && NEEDS_DIST.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(misplaced).toEqual([]);
  });
});
