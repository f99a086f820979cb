import { access, chmod, mkdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_STATE_KEY, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { readTool } from '../../../source/builtins/tools/read.js';
import { writeTool } from '../../../source/builtins/tools/write.js';
import { call, callText, makeContext, tempDir } from './context.js';

const isRoot = process.getuid?.() === 0;

describe('write', () => {
  it('is exclusive', () => {
    expect(writeTool.create({}).concurrency).toBe('exclusive');
  });

  it('creates a file, with its parent directories', async () => {
    const dir = await tempDir();
    const out = await callText(writeTool, { path: 'deep/er/new.txt', content: 'one\ntwo\n' }, makeContext({ cwd: dir }));
    expect(out).toBe(`Created ${path.join('deep', 'er', 'new.txt')} (2 lines, 8 bytes)`);
    expect(await readFile(path.join(dir, 'deep/er/new.txt'), 'utf8')).toBe('one\ntwo\n');
  });

  it('replaces an existing file and says so', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'old content that is longer\n');
    const ctx = makeContext({ cwd: dir });
    await call(readTool, { path: 'a.txt' }, ctx);
    const out = await callText(writeTool, { path: 'a.txt', content: 'é' }, ctx);
    expect(out).toBe('Updated a.txt (1 line, 2 bytes)');
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('é');
  });

  it('writes empty files', async () => {
    const dir = await tempDir();
    expect(await callText(writeTool, { path: 'empty', content: '' }, makeContext({ cwd: dir }))).toBe('Created empty (0 lines, 0 bytes)');
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
    await callText(writeTool, { path: 'w.txt', content: 'abc' }, ctx);
    const file = path.join(dir, 'w.txt');
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    expect(stamps.get(file)).toEqual({ mtimeMs: (await stat(file)).mtimeMs, size: 3 });
  });

  it('refuses to replace a file that was not read, or that changed since', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'a.txt');
    await writeFile(file, 'original\n');
    const ctx = makeContext({ cwd: dir });
    await expect(call(writeTool, { path: 'a.txt', content: 'new' }, ctx)).rejects.toThrow(
      'a.txt has not been read yet. Read it with read first, so the change is based on its current content.',
    );
    await call(readTool, { path: 'a.txt' }, ctx);
    await writeFile(file, 'edited elsewhere\n');
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await expect(call(writeTool, { path: 'a.txt', content: 'new' }, ctx)).rejects.toThrow('a.txt has changed since it was last read');
    expect(await readFile(file, 'utf8')).toBe('edited elsewhere\n');
    // A file it wrote itself may be written again without a read.
    await callText(writeTool, { path: 'b.txt', content: 'one' }, ctx);
    expect(await callText(writeTool, { path: 'b.txt', content: 'two' }, ctx)).toBe('Updated b.txt (1 line, 3 bytes)');
  });

  it('writes unicode and large content', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    expect(await callText(writeTool, { path: 'u.txt', content: '日本語 🙂\n' }, ctx)).toBe('Created u.txt (1 line, 15 bytes)');
    const big = 'x'.repeat(99) + '\n';
    expect(await callText(writeTool, { path: 'big.txt', content: big.repeat(100_000) }, ctx)).toBe('Created big.txt (100000 lines, 10000000 bytes)');
  });

  it('refuses paths outside the working directory unless allowed', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    const target = path.join(outside, 'deep', 'new.txt');
    await expect(call(writeTool, { path: target, content: 'x' }, makeContext({ cwd: dir }))).rejects.toThrow(
      `access denied: ${target} is outside the working directory (${dir}). To allow it, add its folder to allowed_paths in the creature config, or start with kt run --add-dir <dir>.`,
    );
    await expect(call(writeTool, { path: '../escape.txt', content: 'x' }, makeContext({ cwd: dir }))).rejects.toThrow(/access denied/);
    expect(await callText(writeTool, { path: target, content: 'x' }, makeContext({ cwd: dir, allowedPaths: [outside] }))).toBe(`Created ${target} (1 line, 1 byte)`);
  });

  it('refuses symbolic links that lead outside, dangling ones included', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await mkdir(path.join(outside, 'sub'));
    await symlink(path.join(outside, 'sub'), path.join(dir, 'linked-dir'));
    await symlink(path.join(outside, 'not-yet.txt'), path.join(dir, 'dangling.txt'));
    const ctx = makeContext({ cwd: dir });
    await expect(call(writeTool, { path: 'linked-dir/new.txt', content: 'x' }, ctx)).rejects.toThrow(
      `access denied: ${path.join('linked-dir', 'new.txt')} (a symbolic link leads to ${path.join(outside, 'sub', 'new.txt')}) is outside the working directory`,
    );
    await expect(call(writeTool, { path: 'dangling.txt', content: 'x' }, ctx)).rejects.toThrow(/access denied: dangling\.txt \(a symbolic link leads to/);
    await expect(access(path.join(outside, 'not-yet.txt'))).rejects.toThrow();
  });

  it.skipIf(isRoot)('reports permission denied (skipped as root, which ignores file modes)', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'locked'));
    await chmod(path.join(dir, 'locked'), 0o555);
    await expect(call(writeTool, { path: 'locked/a.txt', content: 'x' }, makeContext({ cwd: dir }))).rejects.toThrow(
      `could not write ${path.join('locked', 'a.txt')}: permission denied`,
    );
    await chmod(path.join(dir, 'locked'), 0o755);
  });

  it('rejects bad arguments at validation', () => {
    const tool = writeTool.create({});
    expect(tool.parse({ path: '', content: 'x' }).ok).toBe(false);
    expect(tool.parse({ path: 'a.txt' }).ok).toBe(false);
  });

  it('gives the UI a diff of what changed: everything for a new file, the changed lines for an update', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    const created = (await call(writeTool, { path: 'a.txt', content: 'one\ntwo\n' }, ctx)) as unknown as { metadata: { diff: string } };
    expect(created.metadata.diff).toMatch(/@@ -0,0 \+1,2 @@\n\+one\n\+two/);
    const updated = (await call(writeTool, { path: 'a.txt', content: 'one\nTWO\n' }, ctx)) as { output: string; metadata: { diff: string } };
    expect(updated.output).toMatch(/^Updated a\.txt/);
    expect(updated.metadata.diff).toMatch(/^-two\n\+TWO$/m);
    expect(updated.metadata.diff).not.toMatch(/^[-+]one$/m);
  });
});
