import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globTool } from '../../../source/builtins/tools/glob.js';
import { call, makeContext, tempDir } from './context.js';

/** Write files (path → content); parents are created. */
async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

/** Set a file's modification time to `secondsAgo` before now. */
async function age(file: string, secondsAgo: number): Promise<void> {
  const when = new Date(Date.now() - secondsAgo * 1000);
  await utimes(file, when, when);
}

describe('glob', () => {
  it('lists matches newest first, relative to the search directory', async () => {
    const dir = await tempDir();
    await tree(dir, { 'a.ts': '', 'src/b.ts': '', 'src/deep/c.ts': '', 'src/d.js': '' });
    await age(path.join(dir, 'a.ts'), 300);
    await age(path.join(dir, 'src/b.ts'), 100);
    await age(path.join(dir, 'src/deep/c.ts'), 200);
    const ctx = makeContext({ cwd: dir });
    expect(await call(globTool, { pattern: '**/*.ts' }, ctx)).toBe('src/b.ts\nsrc/deep/c.ts\na.ts');
    expect(await call(globTool, { pattern: '*.ts' }, ctx)).toBe('a.ts');
    expect(await call(globTool, { pattern: '**/*.{js,ts}', path: 'src' }, ctx)).toBe('Paths relative to src:\nd.js\nb.ts\ndeep/c.ts');
  });

  it('respects .gitignore, nested ones too, and skips .git', async () => {
    const dir = await tempDir();
    await tree(dir, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'node_modules/\n*.log\n',
      'keep.ts': '',
      'debug.log': '',
      'node_modules/pkg/index.ts': '',
      'pkg/.gitignore': 'generated/\n',
      'pkg/generated/out.ts': '',
      'pkg/src.ts': '',
      '.github/workflow.ts': '',
    });
    const out = String(await call(globTool, { pattern: '**/*' }, makeContext({ cwd: dir })));
    expect(out.split('\n').sort()).toEqual(['.github/workflow.ts', '.gitignore', 'keep.ts', 'pkg/.gitignore', 'pkg/src.ts']);
  });

  it('follows git precedence: a deeper .gitignore can re-include, folder rules prune, anchored rules stay put', async () => {
    const dir = await tempDir();
    await tree(dir, {
      '.git/HEAD': '',
      '.gitignore': '*.log\n/build\ncache/\n',
      'app/.gitignore': '!keep.log\n',
      'app/keep.log': '',
      'app/drop.log': '',
      'app/build/out.ts': '', // `/build` is anchored to the root's folder only
      'build/out.ts': '',
      'app/cache': '', // a file: the folder-only rule `cache/` leaves it
      'lib/cache/x.ts': '',
    });
    const out = String(await call(globTool, { pattern: '**/*', gitignore: true }, makeContext({ cwd: dir })));
    expect(out.split('\n').sort()).toEqual(['.gitignore', 'app/.gitignore', 'app/build/out.ts', 'app/cache', 'app/keep.log']);
    // Parent rules seen from a sub-folder search keep their anchoring.
    const sub = String(await call(globTool, { pattern: '**/*', path: 'app' }, makeContext({ cwd: dir })));
    expect(sub.split('\n').slice(1).sort()).toEqual(['.gitignore', 'build/out.ts', 'cache', 'keep.log']);
  });

  it('applies .gitignore files above the search directory', async () => {
    const dir = await tempDir();
    await tree(dir, { '.git/HEAD': '', '.gitignore': '*.gen.ts\n', 'pkg/a.ts': '', 'pkg/b.gen.ts': '' });
    expect(await call(globTool, { pattern: '**/*.ts', path: 'pkg' }, makeContext({ cwd: dir }))).toBe('Paths relative to pkg:\na.ts');
  });

  it('searches an ignored directory when asked for it by path', async () => {
    const dir = await tempDir();
    await tree(dir, {
      '.git/HEAD': '',
      '.gitignore': 'node_modules/\n',
      'node_modules/lib/index.d.ts': '',
      'node_modules/lib/.gitignore': 'dist/\n',
      'node_modules/lib/dist/bundle.d.ts': '',
    });
    const out = await call(globTool, { pattern: '**/*.d.ts', path: 'node_modules/lib' }, makeContext({ cwd: dir }));
    expect(out).toBe(`Paths relative to ${path.join('node_modules', 'lib')}:\nindex.d.ts`);
  });

  it('caps the list and says how many matched', async () => {
    const dir = await tempDir();
    await Promise.all(Array.from({ length: 1005 }, (_, i) => writeFile(path.join(dir, `f${i}.txt`), '')));
    const out = String(await call(globTool, { pattern: '*.txt' }, makeContext({ cwd: dir })));
    const lines = out.split('\n');
    expect(lines.length).toBe(1002);
    expect(lines.at(-1)).toBe('[Showing the 1000 most recently modified of 1005 matches; narrow the pattern or path to see the rest.]');
  });

  it('says when nothing matches, and refuses bad roots', async () => {
    const dir = await tempDir();
    await tree(dir, { 'a.txt': '' });
    const ctx = makeContext({ cwd: dir });
    expect(await call(globTool, { pattern: '**/*.rs' }, ctx)).toBe('No files match "**/*.rs".');
    await expect(call(globTool, { pattern: '*', path: 'missing' }, ctx)).rejects.toThrow('directory not found: missing');
    await expect(call(globTool, { pattern: '*', path: 'a.txt' }, ctx)).rejects.toThrow(/a\.txt is a file/);
    await expect(call(globTool, { pattern: path.join(dir, '*.txt') }, ctx)).rejects.toThrow(/pattern must be relative/);
  });

  it('stops when the signal aborts', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(call(globTool, { pattern: '**/*' }, makeContext({ cwd: dir, signal: controller.signal }))).rejects.toThrow('stop');
  });

  it('includes ignored files when gitignore is false, but never .git', async () => {
    const dir = await tempDir();
    await tree(dir, { '.git/HEAD': '', '.gitignore': '*.log\n', 'a.log': '', 'b.ts': '' });
    const out = String(await call(globTool, { pattern: '**/*', gitignore: false }, makeContext({ cwd: dir })));
    expect(out.split('\n').sort()).toEqual(['.gitignore', 'a.log', 'b.ts']);
  });

  it('refuses roots outside the working directory unless allowed, and does not follow links out', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await tree(outside, { 'secret.ts': '' });
    await tree(dir, { 'mine.ts': '' });
    await symlink(outside, path.join(dir, 'escape'));
    await expect(call(globTool, { pattern: '*', path: outside }, makeContext({ cwd: dir }))).rejects.toThrow(
      `access denied: ${outside} is outside the working directory (${dir}).`,
    );
    await expect(call(globTool, { pattern: '*', path: 'escape' }, makeContext({ cwd: dir }))).rejects.toThrow(/access denied: escape \(a symbolic link leads to/);
    expect(await call(globTool, { pattern: '**/*.ts' }, makeContext({ cwd: dir }))).toBe('mine.ts');
    expect(await call(globTool, { pattern: '*.ts', path: outside }, makeContext({ cwd: dir, allowedPaths: [outside] }))).toBe(
      `Paths relative to ${outside}:\nsecret.ts`,
    );
  });

  it('rejects bad arguments at validation', () => {
    expect(globTool.create({}).parse({ pattern: '' }).ok).toBe(false);
    expect(globTool.create({}).parse({ pattern: '*', gitignore: 'no' }).ok).toBe(false);
  });
});
