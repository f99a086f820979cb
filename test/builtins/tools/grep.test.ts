import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grepTool } from '../../../source/builtins/tools/grep.js';
import { call, makeContext, tempDir } from './context.js';

async function tree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

const APP = ['import x from "y";', 'export function alpha() {', '  return TODO;', '}', 'const beta = 2;', '// todo: more', 'export function gamma() {}', ''].join('\n');

describe('grep', () => {
  async function project(): Promise<string> {
    const dir = await tempDir();
    await tree(dir, {
      '.git/HEAD': '',
      '.gitignore': 'dist/\n',
      'src/app.ts': APP,
      'src/util.js': 'export function helper() {}\n',
      'dist/app.js': 'export function bundled() {}\n',
      'README.md': '# title\nNo functions here.\n',
    });
    return dir;
  }

  it('shows matching lines as file:line:text, in path order', async () => {
    const dir = await project();
    const out = await call(grepTool, { pattern: 'export function \\w+' }, makeContext({ cwd: dir }));
    expect(out).toBe(['src/app.ts:2:export function alpha() {', 'src/app.ts:7:export function gamma() {}', 'src/util.js:1:export function helper() {}'].join('\n'));
  });

  it('lists files or counts matches', async () => {
    const dir = await project();
    const ctx = makeContext({ cwd: dir });
    expect(await call(grepTool, { pattern: 'function', output_mode: 'files_with_matches' }, ctx)).toBe('README.md\nsrc/app.ts\nsrc/util.js');
    expect(await call(grepTool, { pattern: 'function', output_mode: 'count' }, ctx)).toBe('README.md:1\nsrc/app.ts:2\nsrc/util.js:1');
  });

  it('shows context lines and separates groups', async () => {
    const dir = await project();
    const out = await call(grepTool, { pattern: 'alpha|gamma', path: 'src/app.ts', context: 1 }, makeContext({ cwd: dir }));
    expect(out).toBe(
      [
        'src/app.ts-1-import x from "y";',
        'src/app.ts:2:export function alpha() {',
        'src/app.ts-3-  return TODO;',
        '--',
        'src/app.ts-6-// todo: more',
        'src/app.ts:7:export function gamma() {}',
      ].join('\n'),
    );
  });

  it('filters files with glob, with or without a folder part', async () => {
    const dir = await project();
    const ctx = makeContext({ cwd: dir });
    expect(await call(grepTool, { pattern: 'function', glob: '*.js', output_mode: 'files_with_matches' }, ctx)).toBe('src/util.js');
    expect(await call(grepTool, { pattern: 'function', glob: 'src/*.{ts,md}', output_mode: 'files_with_matches' }, ctx)).toBe('src/app.ts');
  });

  it('respects .gitignore, but searches an ignored file named by path', async () => {
    const dir = await project();
    const ctx = makeContext({ cwd: dir });
    expect(await call(grepTool, { pattern: 'bundled' }, ctx)).toBe('No matches for /bundled/ in the working directory.');
    expect(await call(grepTool, { pattern: 'bundled', path: 'dist/app.js' }, ctx)).toBe('dist/app.js:1:export function bundled() {}');
    expect(await call(grepTool, { pattern: 'bundled', path: 'dist' }, ctx)).toBe('dist/app.js:1:export function bundled() {}');
  });

  it('matches case-insensitively when asked', async () => {
    const dir = await project();
    const ctx = makeContext({ cwd: dir });
    expect(await call(grepTool, { pattern: 'todo', path: 'src' }, ctx)).toBe('src/app.ts:6:// todo: more');
    expect(await call(grepTool, { pattern: 'todo', path: 'src', ignore_case: true, output_mode: 'count' }, ctx)).toBe('src/app.ts:2');
  });

  it('skips binary files and files over 5 MB', async () => {
    const dir = await tempDir();
    await tree(dir, {
      'image.png': Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2])]),
      'huge.txt': `needle\n${'x'.repeat(5 * 1024 * 1024)}`,
      'plain.txt': 'a needle here\n',
    });
    const out = await call(grepTool, { pattern: 'needle' }, makeContext({ cwd: dir }));
    expect(out).toBe('plain.txt:1:a needle here\n\n[Skipped 1 file over 5 MB.]');
    expect(await call(grepTool, { pattern: 'needle', path: 'image.png' }, makeContext({ cwd: dir }))).toBe(
      'No matches for /needle/ in image.png.\n\n[image.png is a binary file; it was not searched.]',
    );
  });

  it('stops at head_limit and says more exist', async () => {
    const dir = await tempDir();
    await tree(dir, { 'a.txt': 'hit 1\nhit 2\nhit 3\n', 'b.txt': 'hit 4\n' });
    const ctx = makeContext({ cwd: dir });
    expect(await call(grepTool, { pattern: 'hit', head_limit: 2 }, ctx)).toBe(
      'a.txt:1:hit 1\na.txt:2:hit 2\n\n[Stopped after 2 matching lines; more matches exist. Narrow the pattern, path or glob, or raise head_limit.]',
    );
    expect(await call(grepTool, { pattern: 'hit', head_limit: 3 }, ctx)).toMatch(/^a\.txt:1:hit 1\na\.txt:2:hit 2\na\.txt:3:hit 3\n\n\[Stopped after 3 matching lines/);
    expect(await call(grepTool, { pattern: 'hit', head_limit: 4 }, ctx)).toBe('a.txt:1:hit 1\na.txt:2:hit 2\na.txt:3:hit 3\nb.txt:1:hit 4');
    expect(await call(grepTool, { pattern: 'hit', head_limit: 1, output_mode: 'files_with_matches' }, ctx)).toBe(
      'a.txt\n\n[Stopped after 1 file; more matches exist. Narrow the pattern, path or glob, or raise head_limit.]',
    );
  });

  it('handles CRLF files and anchors', async () => {
    const dir = await tempDir();
    await tree(dir, { 'win.txt': 'first line\r\nlast\r\n' });
    expect(await call(grepTool, { pattern: 'line$' }, makeContext({ cwd: dir }))).toBe('win.txt:1:first line');
  });

  it('shows a window around matches in very long lines', async () => {
    const dir = await tempDir();
    await tree(dir, { 'min.js': `${'a'.repeat(3000)}NEEDLE${'b'.repeat(3000)}\n` });
    const out = String(await call(grepTool, { pattern: 'NEEDLE' }, makeContext({ cwd: dir })));
    expect(out).toMatch(/^min\.js:1:…a{100}NEEDLEb{394}… \[line has 6006 characters\]$/);
  });

  it('explains an invalid regular expression', async () => {
    const dir = await tempDir();
    await expect(call(grepTool, { pattern: 'foo(' }, makeContext({ cwd: dir }))).rejects.toThrow(/invalid regular expression: .*escape/);
  });

  it('names a missing path', async () => {
    const dir = await tempDir();
    await expect(call(grepTool, { pattern: 'x', path: 'nope' }, makeContext({ cwd: dir }))).rejects.toThrow('path not found: nope');
  });

  it('stops between files when the signal aborts', async () => {
    const dir = await project();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(call(grepTool, { pattern: 'x' }, makeContext({ cwd: dir, signal: controller.signal }))).rejects.toThrow('stop');
  });

  it('searches ignored files when gitignore is false', async () => {
    const dir = await project();
    const out = String(await call(grepTool, { pattern: 'export function', output_mode: 'files_with_matches', gitignore: false }, makeContext({ cwd: dir })));
    expect(out.split('\n')).toEqual(['dist/app.js', 'src/app.ts', 'src/util.js']);
  });

  it('finds unicode text', async () => {
    const dir = await tempDir();
    await tree(dir, { 'i18n.txt': 'hello\nこんにちは 世界\nGrüße 🙂\n' });
    expect(await call(grepTool, { pattern: '世界|🙂' }, makeContext({ cwd: dir }))).toBe('i18n.txt:2:こんにちは 世界\ni18n.txt:3:Grüße 🙂');
  });

  it('refuses paths outside the working directory unless allowed, and skips links that lead out', async () => {
    const dir = await project();
    const outside = await tempDir();
    await tree(outside, { 'secret.txt': 'export function secret() {}\n' });
    await symlink(path.join(outside, 'secret.txt'), path.join(dir, 'src', 'linked.ts'));
    const ctx = makeContext({ cwd: dir });
    await expect(call(grepTool, { pattern: 'x', path: outside }, ctx)).rejects.toThrow(`access denied: ${outside} is outside the working directory (${dir}).`);
    await expect(call(grepTool, { pattern: 'x', path: 'src/linked.ts' }, ctx)).rejects.toThrow(/access denied: src.linked\.ts \(a symbolic link leads to/);
    expect(await call(grepTool, { pattern: 'secret' }, ctx)).toMatch(/^No matches for \/secret\//);
    expect(await call(grepTool, { pattern: 'secret', path: outside }, makeContext({ cwd: dir, allowedPaths: [outside] }))).toBe(
      `${path.join(outside, 'secret.txt')}:1:export function secret() {}`,
    );
  });
});
