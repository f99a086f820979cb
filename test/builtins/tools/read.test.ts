import { chmod, mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContentPart } from '../../../source/engine/llm/messages.js';
import type { ToolResultObject } from '../../../source/engine/tools/tool.js';
import { READ_STATE_KEY, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { readTool } from '../../../source/builtins/tools/read.js';
import { call, makeContext, tempDir } from './context.js';

const isRoot = process.getuid?.() === 0;

function png(width: number, height: number, padding = 0): Buffer {
  const header = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const size = Buffer.alloc(8);
  size.writeUInt32BE(width, 0);
  size.writeUInt32BE(height, 4);
  return Buffer.concat([header, size, Buffer.from([8, 6, 0, 0, 0, 0, 0, 0, 0]), Buffer.alloc(padding)]);
}

function gif(width: number, height: number): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt16LE(width, 0);
  size.writeUInt16LE(height, 2);
  return Buffer.concat([Buffer.from('GIF89a', 'ascii'), size, Buffer.from([0, 0, 0, 0x3b])]);
}

function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.from([0xff, 0xc0, 0, 17, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

function webp(width: number, height: number): Buffer {
  const out = Buffer.alloc(30);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(22, 4);
  out.write('WEBP', 8, 'ascii');
  out.write('VP8X', 12, 'ascii');
  out.writeUInt32LE(10, 16);
  out.writeUIntLE(width - 1, 24, 3);
  out.writeUIntLE(height - 1, 27, 3);
  return out;
}

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

  it('reads absolute paths inside an allowed folder, showing them in full', async () => {
    const dir = await tempDir();
    const elsewhere = await tempDir();
    await writeFile(path.join(elsewhere, 'x.txt'), 'x\n');
    const ctx = makeContext({ cwd: dir, allowedPaths: [elsewhere] });
    expect(await call(readTool, { path: path.join(elsewhere, 'x.txt') }, ctx)).toBe('     1\tx');
    await expect(call(readTool, { path: path.join(elsewhere, 'y.txt') }, ctx)).rejects.toThrow(`file not found: ${path.join(elsewhere, 'y.txt')}`);
  });

  it('refuses paths outside the working directory, and symbolic links that lead out', async () => {
    const dir = await tempDir();
    const elsewhere = await tempDir();
    const secret = path.join(elsewhere, 'secret.txt');
    await writeFile(secret, 'secret\n');
    const ctx = makeContext({ cwd: dir });
    await expect(call(readTool, { path: secret }, ctx)).rejects.toThrow(
      `access denied: ${secret} is outside the working directory (${dir}). To allow it, add its folder to allowed_paths in the creature config, or start with kt run --add-dir <dir>.`,
    );
    await expect(call(readTool, { path: '../' }, ctx)).rejects.toThrow(/access denied/);
    const other = await tempDir();
    await expect(call(readTool, { path: secret }, makeContext({ cwd: dir, allowedPaths: [other] }))).rejects.toThrow(
      `access denied: ${secret} is outside the working directory (${dir}) and the allowed paths (${other}). To allow it,`,
    );
    await symlink(secret, path.join(dir, 'innocent.txt'));
    await symlink(elsewhere, path.join(dir, 'folder'));
    await expect(call(readTool, { path: 'innocent.txt' }, ctx)).rejects.toThrow(`access denied: innocent.txt (a symbolic link leads to ${secret})`);
    await expect(call(readTool, { path: 'folder/secret.txt' }, ctx)).rejects.toThrow(/access denied: folder.secret\.txt \(a symbolic link leads to/);
    // Links that stay inside are fine.
    await writeFile(path.join(dir, 'real.txt'), 'real\n');
    await symlink(path.join(dir, 'real.txt'), path.join(dir, 'alias.txt'));
    expect(await call(readTool, { path: 'alias.txt' }, ctx)).toBe('     1\treal');
  });

  it.skipIf(isRoot)('reports permission denied (skipped as root, which ignores file modes)', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'locked.txt'), 'x\n');
    await chmod(path.join(dir, 'locked.txt'), 0o000);
    await expect(call(readTool, { path: 'locked.txt' }, makeContext({ cwd: dir }))).rejects.toThrow('permission denied for locked.txt');
    await chmod(path.join(dir, 'locked.txt'), 0o644);
  });

  it('rejects bad arguments at validation', () => {
    const tool = readTool.create({});
    expect(tool.parse({ path: '' }).ok).toBe(false);
    expect(tool.parse({ path: 'a', offset: 0 }).ok).toBe(false);
    expect(tool.parse({ path: 'a', limit: 1.5 }).ok).toBe(false);
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

describe('read: images', () => {
  const cases: [string, Buffer, string, string][] = [
    ['picture.dat', png(640, 480), 'image/png', '640×480'],
    ['photo.txt', jpeg(1024, 768), 'image/jpeg', '1024×768'],
    ['anim', gif(32, 16), 'image/gif', '32×16'],
    ['pic.png', webp(300, 200), 'image/webp', '300×200'],
  ];

  for (const [name, bytes, mediaType, dimensions] of cases) {
    it(`returns ${mediaType} by its content, whatever the name (${name})`, async () => {
      const dir = await tempDir();
      await writeFile(path.join(dir, name), bytes);
      const ctx = makeContext({ cwd: dir });
      const out = (await call(readTool, { path: name }, ctx)) as ToolResultObject;
      const parts = out.output as ContentPart[];
      expect(parts).toHaveLength(2);
      expect(parts[0]).toEqual({ type: 'text', text: `Image ${name} (${mediaType}, ${bytes.length} bytes, ${dimensions} pixels):` });
      expect(parts[1]).toEqual({ type: 'image', url: `data:${mediaType};base64,${bytes.toString('base64')}`, mediaType });
      expect((ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>).has(path.join(dir, name))).toBe(true);
    });
  }

  it('refuses images over 5 MB', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'huge.png'), png(10_000, 10_000, 5 * 1024 * 1024));
    await expect(call(readTool, { path: 'huge.png' }, makeContext({ cwd: dir }))).rejects.toThrow(
      /^huge\.png is an image \(image\/png\) of 5\.0 MB; read only shows images up to 5 MB\./,
    );
  });

  it('still refuses other binary files, whatever their name', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'fake.png'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]));
    await expect(call(readTool, { path: 'fake.png' }, makeContext({ cwd: dir }))).rejects.toThrow(
      'fake.png looks like a binary file (it contains NUL bytes); read only shows text files and PNG, JPEG, GIF or WebP images.',
    );
  });
});
