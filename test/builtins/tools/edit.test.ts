import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editTool } from '../../../source/builtins/tools/edit.js';
import { READ_STATE_KEY, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { call, makeContext, tempDir } from './context.js';

async function fixture(content: string | Buffer): Promise<{ dir: string; file: string }> {
  const dir = await tempDir();
  const file = path.join(dir, 'code.ts');
  await writeFile(file, content);
  return { dir, file };
}

const SOURCE = ['function a() {', '  return 1;', '}', '', 'function b() {', '  return 1;', '}', ''].join('\n');

describe('edit', () => {
  it('is exclusive', () => {
    expect(editTool.create({}).concurrency).toBe('exclusive');
  });

  it('replaces a unique match and reports the lines', async () => {
    const { dir, file } = await fixture(SOURCE);
    const ctx = makeContext({ cwd: dir });
    const out = await call(editTool, { path: 'code.ts', old_string: 'function b() {\n  return 1;', new_string: 'function b() {\n  // two\n  return 2;' }, ctx);
    expect(out).toBe('Edited code.ts: replaced 1 occurrence (lines 5-7).');
    expect(await readFile(file, 'utf8')).toBe(SOURCE.replace('function b() {\n  return 1;', 'function b() {\n  // two\n  return 2;'));
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    expect(stamps.get(file)?.mtimeMs).toBe((await stat(file)).mtimeMs);
  });

  it('reports a deletion', async () => {
    const { dir, file } = await fixture('keep\ndrop me\nkeep\n');
    expect(await call(editTool, { path: 'code.ts', old_string: 'drop me\n', new_string: '' }, makeContext({ cwd: dir }))).toBe(
      'Edited code.ts: replaced 1 occurrence (removed text at line 2).',
    );
    expect(await readFile(file, 'utf8')).toBe('keep\nkeep\n');
  });

  it('refuses several matches, listing their lines', async () => {
    const { dir, file } = await fixture(SOURCE);
    await expect(call(editTool, { path: 'code.ts', old_string: 'return 1;', new_string: 'return 2;' }, makeContext({ cwd: dir }))).rejects.toThrow(
      'old_string occurs 2 times in code.ts (at lines 2, 6). Include more surrounding lines to make it unique, or set replace_all to true',
    );
    expect(await readFile(file, 'utf8')).toBe(SOURCE);
  });

  it('replaces every match with replace_all', async () => {
    const { dir, file } = await fixture(SOURCE);
    const out = await call(editTool, { path: 'code.ts', old_string: 'return 1;', new_string: 'return 42;', replace_all: true }, makeContext({ cwd: dir }));
    expect(out).toBe('Edited code.ts: replaced 2 occurrences (at lines 2, 6).');
    expect(await readFile(file, 'utf8')).toBe(SOURCE.replaceAll('return 1;', 'return 42;'));
  });

  it('says when old_string is missing, and when only whitespace differs', async () => {
    const { dir } = await fixture(SOURCE);
    const ctx = makeContext({ cwd: dir });
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
    const { dir } = await fixture(SOURCE);
    await expect(call(editTool, { path: 'code.ts', old_string: 'a', new_string: 'a' }, makeContext({ cwd: dir }))).rejects.toThrow(/the same/);
  });

  it('keeps CRLF line endings', async () => {
    const { dir, file } = await fixture('one\r\ntwo\r\nthree\r\n');
    const out = await call(editTool, { path: 'code.ts', old_string: 'one\ntwo', new_string: 'one\nzwei\nand a half' }, makeContext({ cwd: dir }));
    expect(out).toBe('Edited code.ts: replaced 1 occurrence (lines 1-3).');
    expect(await readFile(file, 'utf8')).toBe('one\r\nzwei\r\nand a half\r\nthree\r\n');
  });

  it('edits files with mixed line endings byte for byte', async () => {
    const { dir, file } = await fixture('a\r\nb\nc\r\n');
    await call(editTool, { path: 'code.ts', old_string: 'b', new_string: 'B' }, makeContext({ cwd: dir }));
    expect(await readFile(file, 'utf8')).toBe('a\r\nB\nc\r\n');
  });

  it('refuses binary files and missing files', async () => {
    const { dir } = await fixture(Buffer.from([0x61, 0x00, 0x62]));
    const ctx = makeContext({ cwd: dir });
    await expect(call(editTool, { path: 'code.ts', old_string: 'a', new_string: 'b' }, ctx)).rejects.toThrow(/binary/);
    await expect(call(editTool, { path: 'code.tsx', old_string: 'a', new_string: 'b' }, ctx)).rejects.toThrow(
      'file not found: code.tsx. Did you mean code.ts? Use write to create a new file.',
    );
  });

  it('requires a non-empty old_string', () => {
    expect(editTool.create({}).parse({ path: 'x', old_string: '', new_string: 'y' }).ok).toBe(false);
  });
});
