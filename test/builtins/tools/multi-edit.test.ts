import { chmod, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_STATE_KEY, recordFileStamp, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { multiEditTool } from '../../../source/builtins/tools/multi-edit.js';
import { call, callText, editableFixture, makeContext, result, tempDir } from './context.js';

const isRoot = process.getuid?.() === 0;


const SOURCE = ['const a = 1;', 'const b = 2;', 'const c = 3;', 'log(a, b, c);', ''].join('\n');

describe('multi_edit', () => {
  it('is exclusive and has a one-line description', () => {
    const tool = multiEditTool.create({});
    expect(tool.name).toBe('multi_edit');
    expect(tool.concurrency).toBe('exclusive');
    expect(tool.description).not.toContain('\n');
    expect(tool.doc).toMatch(/strict/);
  });

  it('applies edits in order, each seeing the result of the ones before', async () => {
    const { file, ctx } = await editableFixture(SOURCE);
    const out = await call(
      multiEditTool,
      {
        path: 'code.ts',
        edits: [
          { old_string: 'const a = 1;', new_string: 'const alpha = 1;' },
          { old_string: 'alpha = 1', new_string: 'alpha = 10' },
          { old_string: 'const', new_string: 'let', replace_all: true },
        ],
      },
      ctx,
    );
    expect(result(out).text).toBe('Edited code.ts: applied 3 of 3 edits (5 replacements).');
    // The UI gets the change as a unified diff.
    const diff = (out as unknown as { metadata: { diff: string } }).metadata.diff;
    expect(diff).toMatch(/^--- a\/code\.ts\n\+\+\+ b\/code\.ts\n@@ /);
    expect(diff).toMatch(/^-const a = 1;$/m);
    expect(diff).toMatch(/^\+let alpha = 10;$/m);
    expect(await readFile(file, 'utf8')).toBe('let alpha = 10;\nlet b = 2;\nlet c = 3;\nlog(a, b, c);\n');
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    expect(stamps.get(file)?.mtimeMs).toBe((await stat(file)).mtimeMs);
  });

  it('is atomic by default: a failing third edit leaves the file byte for byte as it was', async () => {
    const original = Buffer.from('const a = 1;\r\nconst b = 2;\r\n// ü 🙂\r\n', 'utf8');
    const { file, ctx } = await editableFixture(original);
    const edits = [
      { old_string: 'const a', new_string: 'let a' },
      { old_string: 'const b', new_string: 'let b' },
      { old_string: 'const z', new_string: 'let z' },
      { old_string: '🙂', new_string: '!' },
    ];
    await expect(call(multiEditTool, { path: 'code.ts', edits }, ctx)).rejects.toThrow(
      'edits[2] (edit 3 of 4) failed (after 2 earlier edits applied in memory): old_string was not found in code.ts.',
    );
    expect((await readFile(file)).equals(original)).toBe(true);
  });

  it('names the failing edit for ambiguous matches and no-op edits', async () => {
    const { ctx } = await editableFixture(SOURCE);
    await expect(call(multiEditTool, { path: 'code.ts', edits: [{ old_string: 'const', new_string: 'let' }] }, ctx)).rejects.toThrow(
      /^edits\[0\] \(edit 1 of 1\) failed: old_string occurs 3 times in code\.ts \(at lines 1, 2, 3\)/,
    );
    await expect(call(multiEditTool, { path: 'code.ts', edits: [{ old_string: 'log', new_string: 'log' }] }, ctx)).rejects.toThrow(
      /edits\[0\].*the same; there is nothing to change/,
    );
  });

  it('applies what it can with best_effort (or strict: false) and reports the rest', async () => {
    for (const mode of [{ best_effort: true }, { strict: false }]) {
      const { file, ctx } = await editableFixture(SOURCE);
      const edits = [
        { old_string: 'const a = 1;', new_string: 'const a = 100;' },
        { old_string: 'missing', new_string: 'x' },
        { old_string: 'const c = 3;', new_string: 'const c = 300;' },
      ];
      const out = result(await callText(multiEditTool, { path: 'code.ts', edits, ...mode }, ctx));
      expect(out.isError).toBe(false);
      expect(out.text).toBe(
        'Edited code.ts: applied 2 of 3 edits (2 replacements).\nNot applied:\nedits[1]: old_string was not found in code.ts. Read the file again to see its current content.',
      );
      expect(await readFile(file, 'utf8')).toBe(SOURCE.replace('a = 1', 'a = 100').replace('c = 3', 'c = 300'));
    }
  });

  it('fails when nothing applies in best_effort, leaving the file alone', async () => {
    const { file, ctx } = await editableFixture(SOURCE);
    await expect(
      call(multiEditTool, { path: 'code.ts', best_effort: true, edits: [{ old_string: 'nope', new_string: 'x' }] }, ctx),
    ).rejects.toThrow(/^none of the edits applied; code\.ts is unchanged\.\nedits\[0\]: old_string was not found/);
    expect(await readFile(file, 'utf8')).toBe(SOURCE);
  });

  it('keeps CRLF line endings and handles unicode', async () => {
    const { file, ctx } = await editableFixture('größe\r\n日本\r\nend\r\n');
    await call(
      multiEditTool,
      {
        path: 'code.ts',
        edits: [
          { old_string: 'größe\n日本', new_string: 'size\n日本語\nmore' },
          { old_string: 'end', new_string: 'fin 🙂' },
        ],
      },
      ctx,
    );
    expect(await readFile(file, 'utf8')).toBe('size\r\n日本語\r\nmore\r\nfin 🙂\r\n');
  });

  it('refuses empty files to search in, binary files, and missing files with a hint', async () => {
    const empty = await editableFixture('');
    await expect(call(multiEditTool, { path: 'code.ts', edits: [{ old_string: 'a', new_string: 'b' }] }, empty.ctx)).rejects.toThrow(
      /edits\[0\].*not found/,
    );
    const binary = await editableFixture(Buffer.from([0x61, 0, 0x62]));
    await expect(call(multiEditTool, { path: 'code.ts', edits: [{ old_string: 'a', new_string: 'b' }] }, binary.ctx)).rejects.toThrow(
      'code.ts looks like a binary file (it contains NUL bytes); multi_edit only changes text files.',
    );
    await expect(call(multiEditTool, { path: 'code.tsx', edits: [{ old_string: 'a', new_string: 'b' }] }, binary.ctx)).rejects.toThrow(
      'file not found: code.tsx. Did you mean code.ts? Use write to create a new file.',
    );
  });

  it('requires a read first and an unchanged file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'code.ts');
    await writeFile(file, SOURCE);
    const ctx = makeContext({ cwd: dir });
    const args = { path: 'code.ts', edits: [{ old_string: 'const a', new_string: 'let a' }] };
    await expect(call(multiEditTool, args, ctx)).rejects.toThrow('code.ts has not been read yet.');
    recordFileStamp(ctx.session, file, await stat(file));
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await expect(call(multiEditTool, args, ctx)).rejects.toThrow('code.ts has changed since it was last read');
  });

  it('refuses paths outside the working directory unless allowed, and links that lead out', async () => {
    const { dir, ctx } = await editableFixture(SOURCE);
    const outside = await tempDir();
    const target = path.join(outside, 'x.ts');
    await writeFile(target, SOURCE);
    await symlink(target, path.join(dir, 'link.ts'));
    const args = (p: string) => ({ path: p, edits: [{ old_string: 'const a', new_string: 'let a' }] });
    await expect(call(multiEditTool, args(target), ctx)).rejects.toThrow(`access denied: ${target} is outside the working directory`);
    await expect(call(multiEditTool, args('link.ts'), ctx)).rejects.toThrow('access denied: link.ts (a symbolic link leads to');
    const allowed = makeContext({ cwd: dir, allowedPaths: [outside] });
    recordFileStamp(allowed.session, target, await stat(target));
    expect(await callText(multiEditTool, args(target), allowed)).toBe(`Edited ${target}: applied 1 of 1 edit (1 replacement).`);
  });

  it.skipIf(isRoot)('reports permission denied (skipped as root, which ignores file modes)', async () => {
    const { file, ctx } = await editableFixture(SOURCE);
    await chmod(file, 0o444);
    await expect(call(multiEditTool, { path: 'code.ts', edits: [{ old_string: 'const a', new_string: 'let a' }] }, ctx)).rejects.toThrow(
      'could not write code.ts: permission denied for code.ts',
    );
    await chmod(file, 0o644);
  });

  it('rejects bad arguments at validation', () => {
    const tool = multiEditTool.create({});
    expect(tool.parse({ path: 'a', edits: [] }).ok).toBe(false);
    expect(tool.parse({ path: 'a', edits: [{ old_string: '', new_string: 'x' }] }).ok).toBe(false);
    expect(tool.parse({ path: 'a', edits: [{ old_string: 'x' }] }).ok).toBe(false);
    expect(tool.parse({ path: 'a', edits: [{ old_string: 'x', new_string: 'y' }] }).ok).toBe(true);
  });
});
