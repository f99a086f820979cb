import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_STATE_KEY, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { readTool } from '../../../source/builtins/tools/read.js';
import { call, makeContext, tempDir } from './context.js';

const lines = (count: number, from = 1) => Array.from({ length: count }, (_, i) => `line ${from + i}`).join('\n');

describe('read', () => {
  it('numbers lines like cat -n', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'alpha\n\tbeta\ngamma\n');
    const out = await call(readTool, { path: 'a.txt' }, makeContext({ cwd: dir }));
    expect(out).toBe('     1\talpha\n     2\t\tbeta\n     3\tgamma');
  });

  it('reads a window with offset and limit, and says how to continue', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'long.txt'), `${lines(10)}\n`);
    const ctx = makeContext({ cwd: dir });
    const out = await call(readTool, { path: 'long.txt', offset: 3, limit: 4 }, ctx);
    expect(out).toBe(
      '     3\tline 3\n     4\tline 4\n     5\tline 5\n     6\tline 6\n\n[4 more lines in long.txt; read again with offset=7 to continue.]',
    );
    expect(await call(readTool, { path: 'long.txt', offset: 7 }, ctx)).toBe('     7\tline 7\n     8\tline 8\n     9\tline 9\n    10\tline 10');
  });

  it('defaults to 2000 lines', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'big.txt'), lines(2500));
    const out = String(await call(readTool, { path: 'big.txt' }, makeContext({ cwd: dir })));
    expect(out.split('\n')[1999]).toBe('  2000\tline 2000');
    expect(out).toMatch(/\[500 more lines in big\.txt; read again with offset=2001 to continue\.\]$/);
  });

  it('refuses an offset past the end', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'short.txt'), 'one\ntwo\n');
    await expect(call(readTool, { path: 'short.txt', offset: 5 }, makeContext({ cwd: dir }))).rejects.toThrow(
      'offset 5 is past the end of short.txt, which has 2 lines.',
    );
  });

  it('cuts very long lines with a marker', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'min.js'), `${'x'.repeat(5000)}\nshort\n`);
    const out = String(await call(readTool, { path: 'min.js' }, makeContext({ cwd: dir })));
    const [first, second] = out.split('\n');
    expect(first).toBe(`     1\t${'x'.repeat(2000)}… [line cut: 5000 characters in all]`);
    expect(second).toBe('     2\tshort');
  });

  it('hides CRLF line endings and handles a missing final newline', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'win.txt'), 'one\r\ntwo\r\nthree');
    expect(await call(readTool, { path: 'win.txt' }, makeContext({ cwd: dir }))).toBe('     1\tone\n     2\ttwo\n     3\tthree');
  });

  it('keeps multi-byte characters intact across chunk boundaries', async () => {
    const dir = await tempDir();
    const text = Array.from({ length: 40_000 }, (_, i) => `${i} äöü 日本語 🙂`).join('\n');
    await writeFile(path.join(dir, 'utf8.txt'), text);
    const out = String(await call(readTool, { path: 'utf8.txt', offset: 39_999 }, makeContext({ cwd: dir })));
    expect(out).toBe(' 39999\t39998 äöü 日本語 🙂\n 40000\t39999 äöü 日本語 🙂');
  });

  it('refuses binary files', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'blob.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    await expect(call(readTool, { path: 'blob.bin' }, makeContext({ cwd: dir }))).rejects.toThrow(/blob\.bin looks like a binary file/);
  });

  it('refuses directories and points to glob', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'src'));
    await expect(call(readTool, { path: 'src' }, makeContext({ cwd: dir }))).rejects.toThrow(/src is a directory.*glob/);
  });

  it('names a missing file and suggests a close match', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'config.yaml'), 'a: 1\n');
    const ctx = makeContext({ cwd: dir });
    await expect(call(readTool, { path: 'config.yml' }, ctx)).rejects.toThrow('file not found: config.yml. Did you mean config.yaml?');
    await expect(call(readTool, { path: 'nothing-like-it.md' }, ctx)).rejects.toThrow(/^file not found: nothing-like-it\.md\.$/);
  });

  it('says when a file is empty', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'empty.txt'), '');
    expect(await call(readTool, { path: 'empty.txt' }, makeContext({ cwd: dir }))).toBe('empty.txt is empty (0 bytes).');
  });

  it('resolves absolute paths too and shows paths outside cwd in full', async () => {
    const dir = await tempDir();
    const elsewhere = await tempDir();
    await writeFile(path.join(elsewhere, 'x.txt'), 'x\n');
    expect(await call(readTool, { path: path.join(elsewhere, 'x.txt') }, makeContext({ cwd: dir }))).toBe('     1\tx');
    await expect(call(readTool, { path: path.join(elsewhere, 'y.txt') }, makeContext({ cwd: dir }))).rejects.toThrow(
      `file not found: ${path.join(elsewhere, 'y.txt')}`,
    );
  });

  it('records the read in session state', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'seen.txt');
    await writeFile(file, 'hello\n');
    const ctx = makeContext({ cwd: dir });
    await call(readTool, { path: 'seen.txt' }, ctx);
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    const stats = await stat(file);
    expect(stamps.get(file)).toEqual({ mtimeMs: stats.mtimeMs, size: 6 });
  });
});
