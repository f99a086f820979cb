/**
 * The published declarations compile in a strict consumer (skipLibCheck off)
 * that has the package's dependencies but not its dev dependencies: no
 * @types/better-sqlite3 anywhere on its resolution path.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, repoRoot } from './helpers.js';

beforeAll(() => assertBuilt());

describe('published types', () => {
  it('a strict consumer without @types/better-sqlite3 compiles against dist/types', () => {
    const app = mkdtempSync(join(tmpdir(), 'kt-consumer-'));
    const modules = join(app, 'node_modules');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // The package as installed: its package.json and declarations, copied (not linked) so nothing resolves from the repo.
    mkdirSync(join(modules, 'kohakuterrarium', 'dist'), { recursive: true });
    cpSync(join(repoRoot, 'package.json'), join(modules, 'kohakuterrarium', 'package.json'));
    cpSync(join(repoRoot, 'dist', 'types'), join(modules, 'kohakuterrarium', 'dist', 'types'), { recursive: true });
    // Its runtime dependencies, and the consumer's own @types/node.
    for (const name of [...Object.keys(pkg.dependencies), '@types/node']) {
      mkdirSync(dirname(join(modules, name)), { recursive: true });
      symlinkSync(realpathSync(join(repoRoot, 'node_modules', name)), join(modules, name), 'dir');
    }
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', types: ['node'] }, files: ['app.ts'] }),
    );
    writeFileSync(
      join(app, 'app.ts'),
      [
        "import { Agent, SessionReader, ConfigError } from 'kohakuterrarium';",
        "import * as testing from 'kohakuterrarium/testing';",
        "import * as providers from 'kohakuterrarium/providers';",
        'export const used = [Agent, SessionReader, ConfigError, testing, providers];',
      ].join('\n'),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  });
});
