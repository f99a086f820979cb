import { chmod, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_STATE_KEY, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { notebookEditTool } from '../../../source/builtins/tools/notebook-edit.js';
import { notebookReadTool } from '../../../source/builtins/tools/notebook-read.js';
import { call, makeContext, tempDir, type TestContext } from './context.js';

const isRoot = process.getuid?.() === 0;

/** A notebook as Jupyter writes it: one-space indent, sorted keys, a final newline, plus fields this tool does not know. */
function notebook(minor = 5): Record<string, unknown> {
  const ids = minor >= 5;
  return {
    cells: [
      { cell_type: 'markdown', ...(ids ? { id: 'intro' } : {}), metadata: {}, source: ['# Analysis\n', '\n', 'Some notes ü.'] },
      {
        cell_type: 'code',
        execution_count: 3,
        ...(ids ? { id: 'load' } : {}),
        metadata: { tags: ['setup'] },
        outputs: [
          { name: 'stdout', output_type: 'stream', text: ['loaded\n', '42 rows\n'] },
          { data: { 'text/plain': ['   a  b\n', '0  1  2'], 'text/html': ['<table></table>'] }, execution_count: 3, metadata: {}, output_type: 'execute_result' },
          { data: { 'image/png': 'iVBORw0KGgo=' }, metadata: {}, output_type: 'display_data' },
        ],
        source: ['import pandas as pd\n', 'df = pd.read_csv("x.csv")'],
      },
      {
        cell_type: 'code',
        execution_count: 4,
        ...(ids ? { id: 'fail' } : {}),
        metadata: {},
        outputs: [{ ename: 'ValueError', evalue: 'bad value', output_type: 'error', traceback: ['\u001b[0;31mValueError\u001b[0m: bad value'] }],
        source: 'raise ValueError("bad value")',
        x_custom_cell_field: { keep: true },
      },
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: minor,
    x_custom_top_field: [1, 2],
  };
}

async function fixture(content: unknown = notebook(), indent: string | number = 1): Promise<{ dir: string; file: string; ctx: TestContext; text: string }> {
  const dir = await tempDir();
  const file = path.join(dir, 'nb.ipynb');
  const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, indent)}\n`;
  await writeFile(file, text);
  return { dir, file, ctx: makeContext({ cwd: dir }), text };
}

async function load(file: string): Promise<{ cells: Record<string, unknown>[] } & Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('notebook_read', () => {
  it('shows cells with ids, sources and output summaries, and records the read', async () => {
    const { file, ctx } = await fixture();
    const out = await call(notebookReadTool, { path: 'nb.ipynb' }, ctx);
    expect(out).toBe(
      [
        'nb.ipynb: nbformat 4.5, kernel Python 3 (python3), 3 cells (1 markdown, 2 code)',
        '',
        '[1] markdown id=intro',
        '# Analysis',
        '',
        'Some notes ü.',
        '',
        '[2] code id=load execution_count=3',
        'import pandas as pd',
        'df = pd.read_csv("x.csv")',
        'outputs: stream stdout (2 lines); execute_result [text/plain, text/html]; display_data [image/png 9 B]',
        '',
        '[3] code id=fail execution_count=4',
        'raise ValueError("bad value")',
        'outputs: error ValueError: bad value',
      ].join('\n'),
    );
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    expect(stamps.get(file)?.mtimeMs).toBe((await stat(file)).mtimeMs);
  });

  it('shows all output text, tracebacks without colour codes, and metadata when asked', async () => {
    const { ctx } = await fixture();
    const out = String(await call(notebookReadTool, { path: 'nb.ipynb', include_outputs: 'all', include_metadata: true, offset: 2 }, ctx));
    expect(out).toContain('metadata: {"kernelspec":');
    expect(out).toContain('[2] code id=load execution_count=3\nmetadata: {"tags":["setup"]}\nimport pandas as pd');
    expect(out).toContain('--- output 1: stream stdout (2 lines)\nloaded\n42 rows\n--- output 2: execute_result [text/plain, text/html]\n   a  b\n0  1  2\n--- output 3: display_data [image/png 9 B]');
    expect(out).toContain('--- output 1: error ValueError: bad value\nValueError: bad value');
    expect(out).not.toContain('[1] markdown');
    expect(String(await call(notebookReadTool, { path: 'nb.ipynb', include_outputs: 'none' }, ctx))).not.toContain('outputs:');
  });

  it('shows one cell by id or position, and pages with offset and limit', async () => {
    const { ctx } = await fixture();
    expect(await call(notebookReadTool, { path: 'nb.ipynb', cell_id: 'fail' }, ctx)).toMatch(/\n\n\[3\] code id=fail execution_count=4\nraise/);
    expect(await call(notebookReadTool, { path: 'nb.ipynb', cell_id: '1' }, ctx)).toMatch(/\n\n\[1\] markdown id=intro\n# Analysis/);
    await expect(call(notebookReadTool, { path: 'nb.ipynb', cell_id: 'nope' }, ctx)).rejects.toThrow(
      'no cell "nope" in nb.ipynb, which has 3 cells. Give a cell id, or a position from 1 to 3. Its cell ids: intro, load, fail.',
    );
    const page = String(await call(notebookReadTool, { path: 'nb.ipynb', limit: 1 }, ctx));
    expect(page).toMatch(/\[1\] markdown id=intro[\s\S]*\n\n\[2 more cells; read again with offset=2 to continue\.\]$/);
    expect(await call(notebookReadTool, { path: 'nb.ipynb', offset: 9 }, ctx)).toMatch(/\[offset 9 is past the last cell; the notebook has 3 cells\.\]$/);
  });

  it('cuts long sources and outputs with notes', async () => {
    const nb = notebook();
    const cells = nb['cells'] as Record<string, unknown>[];
    cells[1]!['source'] = 'x = 1\n'.repeat(5000);
    (cells[1]!['outputs'] as Record<string, unknown>[])[0]!['text'] = 'line\n'.repeat(5000);
    const { ctx } = await fixture(nb);
    const out = String(await call(notebookReadTool, { path: 'nb.ipynb', cell_id: 'load', include_outputs: 'all', max_source_chars: 100, max_output_chars: 50 }, ctx));
    expect(out).toContain('[source cut: 30000 characters in all; read this cell with cell_id and a larger max_source_chars to see more]');
    expect(out).toContain('[output cut: 25000 characters in all; raise max_output_chars to see more]');
    expect(out).toContain('[2 more outputs not shown: max_output_chars reached]');
    expect(out.length).toBeLessThan(1000);
  });

  it('refuses what is not an nbformat 4 notebook', async () => {
    const bad = await fixture('{"cells": [}');
    await expect(call(notebookReadTool, { path: 'nb.ipynb' }, bad.ctx)).rejects.toThrow(/nb\.ipynb is not valid JSON, so not a notebook: .* at line 1, column 12/);
    const old = await fixture({ nbformat: 3, worksheets: [], cells: [] });
    await expect(call(notebookReadTool, { path: 'nb.ipynb' }, old.ctx)).rejects.toThrow(/nb\.ipynb is nbformat 3; only nbformat 4 notebooks are supported/);
    const other = await fixture({ hello: 'world' });
    await expect(call(notebookReadTool, { path: 'nb.ipynb' }, other.ctx)).rejects.toThrow('nb.ipynb is JSON but not a Jupyter notebook (there is no "cells" list).');
    const empty = await fixture('');
    await expect(call(notebookReadTool, { path: 'nb.ipynb' }, empty.ctx)).rejects.toThrow('nb.ipynb is empty, not a Jupyter notebook.');
    await expect(call(notebookReadTool, { path: 'nb.ipnb' }, empty.ctx)).rejects.toThrow('file not found: nb.ipnb. Did you mean nb.ipynb?');
  });

  it('says when a notebook has no cells', async () => {
    const { ctx } = await fixture({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });
    expect(await call(notebookReadTool, { path: 'nb.ipynb' }, ctx)).toBe('nb.ipynb: nbformat 4.5, 0 cells\n\nThe notebook has no cells.');
  });

  it('refuses paths outside the working directory unless allowed', async () => {
    const { dir, ctx } = await fixture();
    const outside = await tempDir();
    const target = path.join(outside, 'o.ipynb');
    await writeFile(target, JSON.stringify(notebook()));
    await expect(call(notebookReadTool, { path: target }, ctx)).rejects.toThrow(`access denied: ${target} is outside the working directory`);
    await symlink(target, path.join(dir, 'link.ipynb'));
    await expect(call(notebookReadTool, { path: 'link.ipynb' }, ctx)).rejects.toThrow('access denied: link.ipynb (a symbolic link leads to');
    expect(await call(notebookReadTool, { path: target, cell_id: 'intro' }, makeContext({ cwd: dir, allowedPaths: [outside] }))).toMatch(/# Analysis/);
  });

  it.skipIf(isRoot)('reports permission denied (skipped as root, which ignores file modes)', async () => {
    const { file, ctx } = await fixture();
    await chmod(file, 0o000);
    await expect(call(notebookReadTool, { path: 'nb.ipynb' }, ctx)).rejects.toThrow('permission denied for nb.ipynb');
    await chmod(file, 0o644);
  });

  it('rejects bad arguments at validation', () => {
    const tool = notebookReadTool.create({});
    expect(tool.parse({ path: 'a.ipynb', include_outputs: 'some' }).ok).toBe(false);
    expect(tool.parse({ path: 'a.ipynb', offset: 0 }).ok).toBe(false);
  });
});

describe('notebook_edit', () => {
  async function readFirst(): Promise<{ dir: string; file: string; ctx: TestContext; text: string }> {
    const made = await fixture();
    await call(notebookReadTool, { path: 'nb.ipynb' }, made.ctx);
    return made;
  }

  it('is exclusive', () => {
    expect(notebookEditTool.create({}).concurrency).toBe('exclusive');
  });

  it('replaces a code cell, clearing its outputs, and keeps everything else byte for byte', async () => {
    const { file, ctx, text } = await readFirst();
    const out = await call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'load', new_source: 'import polars as pl\ndf = pl.read_csv("x.csv")\n' }, ctx);
    expect(out).toBe('Replaced the source of code cell 2 (id=load) in nb.ipynb (outputs cleared).');
    const expected = notebook();
    const cell = (expected['cells'] as Record<string, unknown>[])[1]!;
    cell['outputs'] = [];
    cell['execution_count'] = null;
    cell['source'] = ['import polars as pl\n', 'df = pl.read_csv("x.csv")\n'];
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(expected, null, 1)}\n`);
    expect(text).not.toBe(await readFile(file, 'utf8'));
    // Its own write keeps the read current: a second edit needs no new read.
    await call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'intro', new_source: '# Title' }, ctx);
    expect((await load(file)).cells[0]!['source']).toEqual(['# Title']);
  });

  it('keeps outputs when clear_outputs is false, keeps a string source a string, and changes cell types', async () => {
    const { file, ctx } = await readFirst();
    await call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'fail', new_source: 'print(1)', clear_outputs: false }, ctx);
    let nb = await load(file);
    expect(nb.cells[2]).toMatchObject({ source: 'print(1)', execution_count: 4, x_custom_cell_field: { keep: true } });
    expect((nb.cells[2]!['outputs'] as unknown[]).length).toBe(1);

    await call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'fail', new_source: '*text*', cell_type: 'markdown' }, ctx);
    nb = await load(file);
    expect(nb.cells[2]).toEqual({ cell_type: 'markdown', id: 'fail', metadata: {}, source: '*text*', x_custom_cell_field: { keep: true } });

    await call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'intro', new_source: 'x = 1', cell_type: 'code' }, ctx);
    nb = await load(file);
    expect(nb.cells[0]).toEqual({ cell_type: 'code', id: 'intro', metadata: {}, source: ['x = 1'], execution_count: null, outputs: [] });
  });

  it('inserts cells with fresh ids at every location', async () => {
    const { file, ctx } = await readFirst();
    const insert = (args: Record<string, unknown>) => call(notebookEditTool, { path: 'nb.ipynb', edit_mode: 'insert', ...args }, ctx);
    expect(await insert({ new_source: 'last' })).toMatch(/^Inserted code cell 4 \(id=[0-9a-f]{8}\) into nb\.ipynb \(4 cells now\)\.$/);
    await insert({ new_source: 'first', insert_location: 'beginning', cell_type: 'markdown' });
    await insert({ new_source: 'after load', cell_id: 'load' });
    await insert({ new_source: 'before load', cell_id: 'load', insert_location: 'before', cell_type: 'raw' });
    const nb = await load(file);
    expect(nb.cells.map((cell) => [cell['cell_type'], JSON.stringify(cell['source'])])).toEqual([
      ['markdown', '["first"]'],
      ['markdown', JSON.stringify(['# Analysis\n', '\n', 'Some notes ü.'])],
      ['raw', '["before load"]'],
      ['code', JSON.stringify(['import pandas as pd\n', 'df = pd.read_csv("x.csv")'])],
      ['code', '["after load"]'],
      ['code', '"raise ValueError(\\"bad value\\")"'],
      ['code', '["last"]'],
    ]);
    const ids = nb.cells.map((cell) => cell['id']);
    expect(new Set(ids).size).toBe(7);
    expect(Object.keys(nb.cells[4]!)).toEqual(['cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source']);
    expect(nb.cells[0]).toEqual({ cell_type: 'markdown', id: expect.stringMatching(/^[0-9a-f]{8}$/), metadata: {}, source: ['first'] });
  });

  it('gives no ids to new cells of notebooks before nbformat 4.5', async () => {
    const { file, ctx } = await fixture(notebook(4));
    await call(notebookReadTool, { path: 'nb.ipynb' }, ctx);
    await call(notebookEditTool, { path: 'nb.ipynb', edit_mode: 'insert', new_source: 'x' }, ctx);
    expect((await load(file)).cells[3]).toEqual({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['x'] });
    await call(notebookEditTool, { path: 'nb.ipynb', cell_id: '4', edit_mode: 'delete' }, ctx);
    expect((await load(file)).cells).toHaveLength(3);
  });

  it('deletes a cell', async () => {
    const { file, ctx } = await readFirst();
    expect(await call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'load', edit_mode: 'delete' }, ctx)).toBe(
      'Deleted code cell 2 (id=load) from nb.ipynb; 2 cells remain.',
    );
    expect((await load(file)).cells.map((cell) => cell['id'])).toEqual(['intro', 'fail']);
  });

  it("keeps the file's indentation, final newline and unicode", async () => {
    const { file, ctx } = await fixture(JSON.stringify(notebook(), null, 2));
    await call(notebookReadTool, { path: 'nb.ipynb' }, ctx);
    await call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'intro', new_source: '# 日本語 🙂' }, ctx);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('{\n  "cells": [\n    {')).toBe(true);
    expect(text.endsWith('}')).toBe(true);
    expect(text).toContain('"# 日本語 🙂"');
  });

  it('requires a read first and an unchanged file', async () => {
    const { file, ctx } = await fixture();
    const args = { path: 'nb.ipynb', cell_id: 'intro', new_source: 'x' };
    await expect(call(notebookEditTool, args, ctx)).rejects.toThrow('nb.ipynb has not been read yet. Read it with notebook_read first');
    await call(notebookReadTool, { path: 'nb.ipynb' }, ctx);
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await expect(call(notebookEditTool, args, ctx)).rejects.toThrow('nb.ipynb has changed since it was last read');
  });

  it('names a missing cell', async () => {
    const { ctx } = await readFirst();
    await expect(call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'ghost', new_source: 'x' }, ctx)).rejects.toThrow(/^no cell "ghost" in nb\.ipynb/);
    await expect(call(notebookEditTool, { path: 'nb.ipynb', cell_id: '0', edit_mode: 'delete' }, ctx)).rejects.toThrow(/position from 1 to 3/);
  });

  it('refuses paths outside the working directory unless allowed', async () => {
    const { dir, ctx } = await readFirst();
    const outside = await tempDir();
    const target = path.join(outside, 'o.ipynb');
    await writeFile(target, JSON.stringify(notebook()));
    await expect(call(notebookEditTool, { path: target, cell_id: 'intro', new_source: 'x' }, ctx)).rejects.toThrow(`access denied: ${target}`);
    const allowed = makeContext({ cwd: dir, allowedPaths: [outside] });
    await call(notebookReadTool, { path: target }, allowed);
    expect(await call(notebookEditTool, { path: target, cell_id: 'intro', new_source: 'x' }, allowed)).toMatch(/^Replaced the source of markdown cell 1/);
  });

  it.skipIf(isRoot)('reports permission denied (skipped as root, which ignores file modes)', async () => {
    const { file, ctx } = await readFirst();
    await chmod(file, 0o444);
    await expect(call(notebookEditTool, { path: 'nb.ipynb', cell_id: 'intro', new_source: 'x' }, ctx)).rejects.toThrow(
      'could not write nb.ipynb: permission denied for nb.ipynb',
    );
    await chmod(file, 0o644);
  });

  it('rejects inconsistent arguments at validation', () => {
    const tool = notebookEditTool.create({});
    const error = (args: Record<string, unknown>) => {
      const parsed = tool.parse({ path: 'a.ipynb', ...args });
      return parsed.ok ? undefined : parsed.error;
    };
    expect(error({ cell_id: 'x' })).toMatch(/replace needs new_source/);
    expect(error({ new_source: 'x' })).toMatch(/replace needs cell_id/);
    expect(error({ edit_mode: 'delete' })).toMatch(/delete needs cell_id/);
    expect(error({ edit_mode: 'insert' })).toMatch(/insert needs new_source/);
    expect(error({ edit_mode: 'insert', new_source: 'x', insert_location: 'after' })).toMatch(/insert_location "after" needs cell_id/);
    expect(error({ cell_id: 'x', new_source: 'y', insert_location: 'end' })).toMatch(/only applies to edit_mode "insert"/);
    expect(error({ cell_id: 'x', new_source: 'y', cell_type: 'python' })).toBeDefined();
    expect(error({ edit_mode: 'insert', new_source: 'x' })).toBeUndefined();
  });
});
