import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_STATE_KEY, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { writeTool } from '../../../source/builtins/tools/write.js';
import { call, makeContext, tempDir } from './context.js';

describe('write', () => {
  it('is exclusive', () => {
    expect(writeTool.create({}).concurrency).toBe('exclusive');
  });

  it('creates a file, with its parent directories', async () => {
    const dir = await tempDir();
    const out = await call(writeTool, { path: 'deep/er/new.txt', content: 'one\ntwo\n' }, makeContext({ cwd: dir }));
    expect(out).toBe(`Created ${path.join('deep', 'er', 'new.txt')} (2 lines, 8 bytes)`);
    expect(await readFile(path.join(dir, 'deep/er/new.txt'), 'utf8')).toBe('one\ntwo\n');
  });

  it('replaces an existing file and says so', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'old content that is longer\n');
    const out = await call(writeTool, { path: 'a.txt', content: 'é' }, makeContext({ cwd: dir }));
    expect(out).toBe('Updated a.txt (1 line, 2 bytes)');
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('é');
  });

  it('writes empty files', async () => {
    const dir = await tempDir();
    expect(await call(writeTool, { path: 'empty', content: '' }, makeContext({ cwd: dir }))).toBe('Created empty (0 lines, 0 bytes)');
  });

  it('refuses to write over a directory', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'src'));
    await expect(call(writeTool, { path: 'src', content: 'x' }, makeContext({ cwd: dir }))).rejects.toThrow('src is a directory; give a file path.');
  });

  it('explains when a parent path is a file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'file'), 'x');
    const ctx = makeContext({ cwd: dir });
    for (const target of ['file/child.txt', 'file/deeper/child.txt']) {
      await expect(call(writeTool, { path: target, content: 'x' }, ctx)).rejects.toThrow(`a parent of ${target} is a file, not a directory.`);
    }
  });

  it('records the written file in session state', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    await call(writeTool, { path: 'w.txt', content: 'abc' }, ctx);
    const file = path.join(dir, 'w.txt');
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    expect(stamps.get(file)).toEqual({ mtimeMs: (await stat(file)).mtimeMs, size: 3 });
  });
});
