import { chmod, mkdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editTool } from '../../../source/builtins/tools/edit.js';
import { READ_STATE_KEY, recordFileStamp, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { readTool } from '../../../source/builtins/tools/read.js';
import { call, callText, editableFixture, makeContext, tempDir } from './context.js';

const isRoot = process.getuid?.() === 0;


const SOURCE = ['function a() {', '  return 1;', '}', '', 'function b() {', '  return 1;', '}', ''].join('\n');

describe('edit', () => {
  it('is exclusive', () => {
    expect(editTool.create({}).concurrency).toBe('exclusive');
  });

  it('replaces a unique match and reports the lines', async () => {
    const { file, ctx } = await editableFixture(SOURCE);
    const out = await callText(editTool, { path: 'code.ts', old_string: 'function b() {\n  return 1;', new_string: 'function b() {\n  // two\n  return 2;' }, ctx);
    expect(out).toBe('Edited code.ts: replaced 1 occurrence (lines 5-7).');
    expect(await readFile(file, 'utf8')).toBe(SOURCE.replace('function b() {\n  return 1;', 'function b() {\n  // two\n  return 2;'));
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    expect(stamps.get(file)?.mtimeMs).toBe((await stat(file)).mtimeMs);
  });

  it('reports a deletion', async () => {
    const { file, ctx } = await editableFixture('keep\ndrop me\nkeep\n');
    expect(await callText(editTool, { path: 'code.ts', old_string: 'drop me\n', new_string: '' }, ctx)).toBe(
      'Edited code.ts: replaced 1 occurrence (removed text at line 2).',
    );
    expect(await readFile(file, 'utf8')).toBe('keep\nkeep\n');
  });

  it('refuses several matches, listing their lines', async () => {
    const { file, ctx } = await editableFixture(SOURCE);
    await expect(call(editTool, { path: 'code.ts', old_string: 'return 1;', new_string: 'return 2;' }, ctx)).rejects.toThrow(
      'old_string occurs 2 times in code.ts (at lines 2, 6). Include more surrounding lines to make it unique, or set replace_all to true',
    );
    expect(await readFile(file, 'utf8')).toBe(SOURCE);
  });

  it('replaces every match with replace_all', async () => {
    const { file, ctx } = await editableFixture(SOURCE);
    const out = await callText(editTool, { path: 'code.ts', old_string: 'return 1;', new_string: 'return 42;', replace_all: true }, ctx);
    expect(out).toBe('Edited code.ts: replaced 2 occurrences (at lines 2, 6).');
    expect(await readFile(file, 'utf8')).toBe(SOURCE.replaceAll('return 1;', 'return 42;'));
  });

  it('says when old_string is missing, and when only whitespace differs', async () => {
    const { ctx } = await editableFixture(SOURCE);
    await expect(call(editTool, { path: 'code.ts', old_string: 'return 3;', new_string: 'x' }, ctx)).rejects.toThrow(
      'old_string was not found in code.ts. Read the file again to see its current content.',
    );
    await expect(call(editTool, { path: 'code.ts', old_string: 'function a() {\n    return 1;', new_string: 'x' }, ctx)).rejects.toThrow(
      /not found in code\.ts\. It does match when whitespace is ignored/,
    );
    await expect(call(editTool, { path: 'code.ts', old_string: '     2\t  return 1;', new_string: 'x' }, ctx)).rejects.toThrow(
      /line-number prefixes/,
    );
  });

  it('refuses identical strings', async () => {
    const { ctx } = await editableFixture(SOURCE);
    await expect(call(editTool, { path: 'code.ts', old_string: 'a', new_string: 'a' }, ctx)).rejects.toThrow(/the same/);
  });

  it('keeps CRLF line endings', async () => {
    const { file, ctx } = await editableFixture('one\r\ntwo\r\nthree\r\n');
    const out = await callText(editTool, { path: 'code.ts', old_string: 'one\ntwo', new_string: 'one\nzwei\nand a half' }, ctx);
    expect(out).toBe('Edited code.ts: replaced 1 occurrence (lines 1-3).');
    expect(await readFile(file, 'utf8')).toBe('one\r\nzwei\r\nand a half\r\nthree\r\n');
  });

  it('edits files with mixed line endings byte for byte', async () => {
    const { file, ctx } = await editableFixture('a\r\nb\nc\r\n');
    await callText(editTool, { path: 'code.ts', old_string: 'b', new_string: 'B' }, ctx);
    expect(await readFile(file, 'utf8')).toBe('a\r\nB\nc\r\n');
  });

  it('refuses binary files and missing files', async () => {
    const { ctx } = await editableFixture(Buffer.from([0x61, 0x00, 0x62]));
    await expect(call(editTool, { path: 'code.ts', old_string: 'a', new_string: 'b' }, ctx)).rejects.toThrow(/binary/);
    await expect(call(editTool, { path: 'code.tsx', old_string: 'a', new_string: 'b' }, ctx)).rejects.toThrow(
      'file not found: code.tsx. Did you mean code.ts? Use write to create a new file.',
    );
  });

  it('requires a non-empty old_string', () => {
    expect(editTool.create({}).parse({ path: 'x', old_string: '', new_string: 'y' }).ok).toBe(false);
  });

  it('requires a read first, and refuses when the file changed since', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'code.ts');
    await writeFile(file, SOURCE);
    const ctx = makeContext({ cwd: dir });
    await expect(call(editTool, { path: 'code.ts', old_string: 'function a', new_string: 'function x' }, ctx)).rejects.toThrow(
      'code.ts has not been read yet. Read it with read first',
    );
    await call(readTool, { path: 'code.ts' }, ctx);
    await callText(editTool, { path: 'code.ts', old_string: 'function a', new_string: 'function x' }, ctx);
    // Its own edits keep the stamp current, so a second edit needs no new read.
    await callText(editTool, { path: 'code.ts', old_string: 'function x', new_string: 'function y' }, ctx);
    await writeFile(file, 'changed by someone else\n');
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await expect(call(editTool, { path: 'code.ts', old_string: 'changed', new_string: 'x' }, ctx)).rejects.toThrow(
      'code.ts has changed since it was last read',
    );
    expect(await readFile(file, 'utf8')).toBe('changed by someone else\n');
  });

  it('edits unicode text', async () => {
    const { file, ctx } = await editableFixture('größe = "日本語" // 🙂\n');
    expect(await callText(editTool, { path: 'code.ts', old_string: '"日本語"', new_string: '"中文" + "ä"' }, ctx)).toBe(
      'Edited code.ts: replaced 1 occurrence (line 1).',
    );
    expect(await readFile(file, 'utf8')).toBe('größe = "中文" + "ä" // 🙂\n');
  });

  it('finds nothing to replace in an empty file', async () => {
    const { ctx } = await editableFixture('');
    await expect(call(editTool, { path: 'code.ts', old_string: 'x', new_string: 'y' }, ctx)).rejects.toThrow('old_string was not found in code.ts');
  });

  it('refuses paths outside the working directory unless allowed, and symbolic links that lead out', async () => {
    const { dir, ctx } = await editableFixture('inside\n');
    const outside = await tempDir();
    const target = path.join(outside, 'x.txt');
    await writeFile(target, 'outside\n');
    await expect(call(editTool, { path: target, old_string: 'outside', new_string: 'changed' }, ctx)).rejects.toThrow(
      `access denied: ${target} is outside the working directory (${dir}). To allow it, add its folder to allowed_paths in the creature config, or start with kt run --add-dir <dir>.`,
    );
    await symlink(target, path.join(dir, 'link.txt'));
    await expect(call(editTool, { path: 'link.txt', old_string: 'outside', new_string: 'changed' }, ctx)).rejects.toThrow(
      `access denied: link.txt (a symbolic link leads to ${target}) is outside the working directory`,
    );
    expect(await readFile(target, 'utf8')).toBe('outside\n');

    const allowed = makeContext({ cwd: dir, allowedPaths: [outside] });
    recordFileStamp(allowed.session, target, await stat(target));
    expect(await callText(editTool, { path: target, old_string: 'outside', new_string: 'changed' }, allowed)).toMatch(/^Edited /);
    expect(await readFile(target, 'utf8')).toBe('changed\n');
  });

  it.skipIf(isRoot)('reports permission denied (skipped as root, which ignores file modes)', async () => {
    const { file, ctx } = await editableFixture('locked\n');
    await chmod(file, 0o444);
    await expect(call(editTool, { path: 'code.ts', old_string: 'locked', new_string: 'open' }, ctx)).rejects.toThrow(
      'could not write code.ts: permission denied for code.ts',
    );
    await chmod(file, 0o644);
  });

  it('refuses a directory', async () => {
    const { dir, ctx } = await editableFixture('x');
    await mkdir(path.join(dir, 'src'));
    await expect(call(editTool, { path: 'src', old_string: 'a', new_string: 'b' }, ctx)).rejects.toThrow('src is a directory, not a file.');
  });

  it('wants either old_string and new_string, or diff', () => {
    const tool = editTool.create({});
    expect(tool.parse({ path: 'x', old_string: 'a' })).toMatchObject({ ok: false, error: expect.stringMatching(/old_string and new_string/) });
    expect(tool.parse({ path: 'x', diff: '@@ -1 +1 @@\n-a\n+b', old_string: 'a', new_string: 'b' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not both/),
    });
    expect(tool.parse({ path: 'x', diff: '@@ -1 +1 @@\n-a\n+b' }).ok).toBe(true);
  });
});

describe('edit with a unified diff', () => {
  const LINES = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
  const TEXT = `${LINES.join('\n')}\n`;

  it('applies several hunks, even with wrong counts and line numbers', async () => {
    const { file, ctx } = await editableFixture(TEXT);
    const diff = [
      '--- a/code.ts',
      '+++ b/code.ts',
      '@@ -2,9 +2,9 @@',
      ' line 2',
      '-line 3',
      '+line three',
      ' line 4',
      '@@ -40,3 +40,4 @@ a hunk header comment',
      ' line 20',
      '+line 20.5',
      ' line 21',
    ].join('\n');
    const out = await callText(editTool, { path: 'code.ts', diff }, ctx);
    expect(out).toBe('Edited code.ts: applied 2 hunks (+2 -1 lines).');
    const expected = [...LINES];
    expected[2] = 'line three';
    expected.splice(20, 0, 'line 20.5');
    expect(await readFile(file, 'utf8')).toBe(`${expected.join('\n')}\n`);
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    expect(stamps.get(file)?.mtimeMs).toBe((await stat(file)).mtimeMs);
  });

  it('accepts a bare @@ header', async () => {
    const { file, ctx } = await editableFixture(TEXT);
    await callText(editTool, { path: 'code.ts', diff: '@@\n line 9\n-line 10\n+line ten\n line 11\n' }, ctx);
    expect(await readFile(file, 'utf8')).toBe(TEXT.replace('line 10\n', 'line ten\n'));
  });

  it('names the hunk that does not apply, shows what it expected, and changes nothing', async () => {
    const { file, ctx } = await editableFixture(TEXT);
    const diff = ['@@ -2,3 +2,3 @@', ' line 2', '-line 3', '+line three', ' line 4', '@@ -12,3 +12,3 @@', ' line 12', '-line 13 (old)', '+line 13', ' line 14'].join('\n');
    const error = await callText(editTool, { path: 'code.ts', diff }, ctx).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(error).toMatch(/^hunk 2 of 2 \(@@ -12,3 \+12,3 @@\) does not apply to code\.ts/);
    expect(error).toContain('No changes were made.');
    expect(error).toContain('  | line 12\n  | line 13 (old)\n  | line 14');
    expect(error).toContain('It matches from line 12 for 1 line; then line 13 reads "line 13" where the hunk expects "line 13 (old)".');
    expect(await readFile(file, 'utf8')).toBe(TEXT);
  });

  it('says when indentation is what differs', async () => {
    const { ctx } = await editableFixture('function f() {\n    return 1;\n}\n');
    await expect(call(editTool, { path: 'code.ts', diff: '@@ -1,3 +1,3 @@\n function f() {\n-  return 1;\n+  return 2;\n }' }, ctx)).rejects.toThrow(
      'then line 2 reads "    return 1;" where the hunk expects "  return 1;". They differ only in whitespace',
    );
  });

  it('keeps CRLF line endings', async () => {
    const { file, ctx } = await editableFixture('one\r\ntwo\r\nthree\r\n');
    await callText(editTool, { path: 'code.ts', diff: '@@ -1,3 +1,3 @@\r\n one\r\n-two\r\n+zwei\r\n three\r\n' }, ctx);
    expect(await readFile(file, 'utf8')).toBe('one\r\nzwei\r\nthree\r\n');
  });

  it('fills an empty file', async () => {
    const { file, ctx } = await editableFixture('');
    expect(await callText(editTool, { path: 'code.ts', diff: '@@ -0,0 +1,2 @@\n+first\n+second\n' }, ctx)).toBe('Edited code.ts: applied 1 hunk (+2 -0 lines).');
    expect(await readFile(file, 'utf8')).toBe('first\nsecond\n');
  });

  it('refuses diffs without hunks, for several files, or with stray lines', async () => {
    const { ctx } = await editableFixture(TEXT);
    await expect(call(editTool, { path: 'code.ts', diff: 'just some text' }, ctx)).rejects.toThrow(/the diff has no hunks/);
    const twoFiles = ['--- a/x', '+++ b/x', '@@ -1 +1 @@', '-line 1', '+one', '--- a/y', '+++ b/y', '@@ -1 +1 @@', '-line 1', '+one'].join('\n');
    await expect(call(editTool, { path: 'code.ts', diff: twoFiles }, ctx)).rejects.toThrow(/the diff changes 2 files; edit changes one file/);
    await expect(call(editTool, { path: 'code.ts', diff: '@@ -1,2 +1,2 @@\n line 1\n?line 2\n' }, ctx)).rejects.toThrow(
      'could not parse the diff: in the hunk "@@ -1,2 +1,2 @@", the line "?line 2" does not start with " ", "-" or "+"',
    );
  });
});
