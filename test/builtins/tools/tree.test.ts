import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeTool } from '../../../source/builtins/tools/tree.js';
import { call, makeContext, tempDir } from './context.js';

const isRoot = process.getuid?.() === 0;

async function files(root: string, entries: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(entries)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

describe('tree', () => {
  it('draws folders first, sorted, with markdown summaries', async () => {
    const dir = await tempDir();
    await files(dir, {
      'zeta.txt': '',
      'README.md': '# Project overview\n\nText.\n',
      'docs/guide.md': '---\nname: guide\ndescription: "How to use it"\n---\n# Ignored heading\n',
      'docs/notes.md': '---\ntitle: x\ndescription: >\n  Folded text\n  over lines\n---\n',
      'docs/plain.md': 'no heading here\n',
      'src/b.ts': '',
      'src/a.ts': '',
      'alpha/x.ts': '',
    });
    const out = await call(treeTool, {}, makeContext({ cwd: dir }));
    expect(out).toBe(
      [
        './',
        '├── alpha/',
        '│   └── x.ts',
        '├── docs/',
        '│   ├── guide.md  — guide: How to use it',
        '│   ├── notes.md  — x: Folded text over lines',
        '│   └── plain.md',
        '├── src/',
        '│   ├── a.ts',
        '│   └── b.ts',
        '├── README.md  — Project overview',
        '└── zeta.txt',
        '',
        '3 directories, 8 files',
      ].join('\n'),
    );
  });

  it('stops at depth and says how much a folder at the edge holds', async () => {
    const dir = await tempDir();
    await files(dir, { 'a/b/c/d.txt': '', 'a/b/e.txt': '', 'a/f.txt': '' });
    expect(await call(treeTool, { depth: 2 }, makeContext({ cwd: dir }))).toBe(
      ['./', '└── a/', '    ├── b/ (2 entries)', '    └── f.txt', '', '2 directories, 1 file'].join('\n'),
    );
    expect(await call(treeTool, { path: 'a', depth: 1 }, makeContext({ cwd: dir }))).toBe(['a/', '├── b/ (2 entries)', '└── f.txt', '', '1 directory, 1 file'].join('\n'));
  });

  it('cuts at limit with a note, and shows everything with limit 0', async () => {
    const dir = await tempDir();
    await Promise.all(Array.from({ length: 150 }, (_, i) => writeFile(path.join(dir, `f${String(i).padStart(3, '0')}.txt`), '')));
    const out = String(await call(treeTool, {}, makeContext({ cwd: dir })));
    const lines = out.split('\n');
    expect(lines.filter((line) => /f\d{3}\.txt/.test(line))).toHaveLength(100);
    expect(lines.at(-1)).toBe('[Showing 100 of 150 entries; raise limit (0 = no limit), lower depth, or give a subfolder as path.]');
    const all = String(await call(treeTool, { limit: 0 }, makeContext({ cwd: dir })));
    expect(all.split('\n').filter((line) => /f\d{3}\.txt/.test(line))).toHaveLength(150);
    expect(all).not.toContain('[Showing');
  });

  it('respects .gitignore unless told not to, and always hides .git', async () => {
    const dir = await tempDir();
    await files(dir, { '.git/HEAD': '', '.gitignore': 'build/\n', 'build/out.js': '', 'src.ts': '' });
    const ctx = makeContext({ cwd: dir });
    expect(await call(treeTool, {}, ctx)).toBe(['./', '├── .gitignore', '└── src.ts', '', '0 directories, 2 files'].join('\n'));
    expect(await call(treeTool, { gitignore: false }, ctx)).toBe(
      ['./', '├── build/', '│   └── out.js', '├── .gitignore', '└── src.ts', '', '1 directory, 3 files'].join('\n'),
    );
  });

  it('shows symbolic links with their targets without following them', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await files(outside, { 'secret.txt': '' });
    await symlink(outside, path.join(dir, 'elsewhere'));
    const out = String(await call(treeTool, {}, makeContext({ cwd: dir })));
    expect(out).toBe(['./', `└── elsewhere -> ${outside}`, '', '0 directories, 1 file'].join('\n'));
  });

  it('handles empty folders, unicode names and a long description', async () => {
    const dir = await tempDir();
    await files(dir, { 'データ/説明.md': `---\ndescription: ${'word '.repeat(40)}\n---\n` });
    const out = String(await call(treeTool, {}, makeContext({ cwd: dir })));
    expect(out).toMatch(/└── 説明\.md {2}— (word ){19}word…\n/);
    const empty = await tempDir();
    expect(await call(treeTool, {}, makeContext({ cwd: empty }))).toBe('./\n(empty)\n\n0 directories, 0 files');
  });

  it('refuses missing paths, files, and paths outside the working directory unless allowed', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await files(dir, { 'a.txt': '' });
    await files(outside, { 'b.txt': '' });
    const ctx = makeContext({ cwd: dir });
    await expect(call(treeTool, { path: 'nope' }, ctx)).rejects.toThrow(/^directory not found: nope\.$/);
    await mkdir(path.join(dir, 'docs'));
    await expect(call(treeTool, { path: 'doc' }, ctx)).rejects.toThrow('directory not found: doc. Did you mean docs?');
    await expect(call(treeTool, { path: 'a.txt' }, ctx)).rejects.toThrow('a.txt is a file, not a directory; use read to see it.');
    await expect(call(treeTool, { path: outside }, ctx)).rejects.toThrow(`access denied: ${outside} is outside the working directory (${dir}).`);
    await symlink(outside, path.join(dir, 'link'));
    await expect(call(treeTool, { path: 'link' }, ctx)).rejects.toThrow(/access denied: link \(a symbolic link leads to/);
    expect(await call(treeTool, { path: outside }, makeContext({ cwd: dir, allowedPaths: [outside] }))).toBe(`${outside}/\n└── b.txt\n\n0 directories, 1 file`);
  });

  it.skipIf(isRoot)('lists an unreadable folder without its contents (skipped as root, which ignores file modes)', async () => {
    const dir = await tempDir();
    await files(dir, { 'locked/a.txt': '', 'open.txt': '' });
    await chmod(path.join(dir, 'locked'), 0o000);
    const out = String(await call(treeTool, {}, makeContext({ cwd: dir })));
    await chmod(path.join(dir, 'locked'), 0o755);
    expect(out).toContain('open.txt');
  });

  it('rejects bad arguments at validation', () => {
    const tool = treeTool.create({});
    expect(tool.parse({ depth: 0 }).ok).toBe(false);
    expect(tool.parse({ limit: -1 }).ok).toBe(false);
    expect(tool.parse({}).ok).toBe(true);
  });
});
