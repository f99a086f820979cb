import { chmod, mkdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_STATE_KEY, type FileStamp } from '../../../source/builtins/tools/fs-util.js';
import { jsonReadTool } from '../../../source/builtins/tools/json-read.js';
import { reindentJson } from '../../../source/builtins/tools/json-util.js';
import { jsonWriteTool } from '../../../source/builtins/tools/json-write.js';
import { call, makeContext, tempDir } from './context.js';

const isRoot = process.getuid?.() === 0;

const PACKAGE = { name: 'demo', version: '1.0.0', scripts: { build: 'tsc', test: 'vitest' }, items: [{ id: 1, tag: 'a' }, { id: 2, tag: 'b' }, { id: 3, tag: 'a' }] };

async function project(content: string = JSON.stringify(PACKAGE)): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'data.json'), content);
  return dir;
}

describe('json_read', () => {
  it('pretty-prints the whole file, keeping numbers as written', async () => {
    const dir = await project('{"a":1.50,"big":12345678901234567890,"e":[],"o":{},"s":"x\\"y,{"}');
    const out = await call(jsonReadTool, { path: 'data.json' }, makeContext({ cwd: dir }));
    expect(out).toBe('{\n  "a": 1.50,\n  "big": 12345678901234567890,\n  "e": [],\n  "o": {},\n  "s": "x\\"y,{"\n}');
  });

  it('selects with a JMESPath query', async () => {
    const dir = await project();
    const ctx = makeContext({ cwd: dir });
    expect(await call(jsonReadTool, { path: 'data.json', query: 'scripts.build' }, ctx)).toBe('"tsc"');
    expect(await call(jsonReadTool, { path: 'data.json', query: "items[?tag == 'a'].id" }, ctx)).toBe('[\n  1,\n  3\n]');
    expect(await call(jsonReadTool, { path: 'data.json', query: 'length(items)' }, ctx)).toBe('3');
    expect(await call(jsonReadTool, { path: 'data.json', query: 'nothing.here' }, ctx)).toMatch(/^null \(the query "nothing\.here" matched nothing/);
  });

  it('records the read, so json_write may replace the file', async () => {
    const dir = await project();
    const ctx = makeContext({ cwd: dir });
    await call(jsonReadTool, { path: 'data.json', query: 'name' }, ctx);
    const stamps = ctx.session.state.get(READ_STATE_KEY) as Map<string, FileStamp>;
    expect(stamps.get(path.join(dir, 'data.json'))?.mtimeMs).toBe((await stat(path.join(dir, 'data.json'))).mtimeMs);
    expect(await call(jsonWriteTool, { path: 'data.json', content: '{"name":"x"}' }, ctx)).toBe('Updated data.json (3 lines, 18 bytes)');
  });

  it('explains invalid JSON with line, column and the spot', async () => {
    const dir = await project('{\n  "a": 1,\n  "b": 2,\n}\n');
    await expect(call(jsonReadTool, { path: 'data.json' }, makeContext({ cwd: dir }))).rejects.toThrow(
      'data.json is not valid JSON: trailing comma before } at line 4, column 1:\n  }\n  ^',
    );
    await writeFile(path.join(dir, 'data.json'), "{'a': 1}");
    await expect(call(jsonReadTool, { path: 'data.json' }, makeContext({ cwd: dir }))).rejects.toThrow(
      /expected a property name in double quotes, found character "'" at line 1, column 2/,
    );
    await writeFile(path.join(dir, 'data.json'), '{"a": [1, 2}');
    await expect(call(jsonReadTool, { path: 'data.json' }, makeContext({ cwd: dir }))).rejects.toThrow(/expected ',' or '\]', found character "}" at line 1, column 12/);
  });

  it('explains invalid queries', async () => {
    const dir = await project();
    const ctx = makeContext({ cwd: dir });
    await expect(call(jsonReadTool, { path: 'data.json', query: 'items[' }, ctx)).rejects.toThrow(/^invalid JMESPath query "items\[": .*Examples:/);
    await expect(call(jsonReadTool, { path: 'data.json', query: 'nosuchfn(items)' }, ctx)).rejects.toThrow(/^invalid JMESPath query "nosuchfn\(items\)": Unknown function/);
  });

  it('cuts huge output with a note pointing to queries', async () => {
    const big = { rows: Array.from({ length: 5000 }, (_, i) => ({ index: i, label: `row ${i} ü` })) };
    const dir = await project(JSON.stringify(big));
    const out = String(await call(jsonReadTool, { path: 'data.json' }, makeContext({ cwd: dir })));
    expect(out.length).toBeLessThan(41_000);
    expect(out).toMatch(/\n\n\[Output cut: showing \d+ of 20004 lines of data\.json \(object with 1 key: rows\)\. Use query to select a part, e\.g\. "keys\(@\)"/);
  });

  it('handles unicode, a BOM, empty and missing files', async () => {
    const dir = await project('\uFEFF{"名前": "🙂"}');
    const ctx = makeContext({ cwd: dir });
    expect(await call(jsonReadTool, { path: 'data.json', query: '"名前"' }, ctx)).toBe('"🙂"');
    await writeFile(path.join(dir, 'empty.json'), '');
    await expect(call(jsonReadTool, { path: 'empty.json' }, ctx)).rejects.toThrow('empty.json is empty; it holds no JSON value.');
    await expect(call(jsonReadTool, { path: 'data.jsn' }, ctx)).rejects.toThrow('file not found: data.jsn. Did you mean data.json?');
  });

  it('refuses paths outside the working directory unless allowed', async () => {
    const dir = await project();
    const outside = await tempDir();
    const target = path.join(outside, 'x.json');
    await writeFile(target, '{"ok":true}');
    await expect(call(jsonReadTool, { path: target }, makeContext({ cwd: dir }))).rejects.toThrow(`access denied: ${target} is outside the working directory`);
    await symlink(target, path.join(dir, 'link.json'));
    await expect(call(jsonReadTool, { path: 'link.json' }, makeContext({ cwd: dir }))).rejects.toThrow('access denied: link.json (a symbolic link leads to');
    expect(await call(jsonReadTool, { path: target, query: 'ok' }, makeContext({ cwd: dir, allowedPaths: [outside] }))).toBe('true');
  });

  it.skipIf(isRoot)('reports permission denied (skipped as root, which ignores file modes)', async () => {
    const dir = await project();
    await chmod(path.join(dir, 'data.json'), 0o000);
    await expect(call(jsonReadTool, { path: 'data.json' }, makeContext({ cwd: dir }))).rejects.toThrow('permission denied for data.json');
    await chmod(path.join(dir, 'data.json'), 0o644);
  });

  it('rejects bad arguments at validation', () => {
    expect(jsonReadTool.create({}).parse({ path: '' }).ok).toBe(false);
    expect(jsonReadTool.create({}).parse({ path: 'a', query: '' }).ok).toBe(false);
  });
});

describe('json_write', () => {
  it('is exclusive', () => {
    expect(jsonWriteTool.create({}).concurrency).toBe('exclusive');
  });

  it('validates, pretty-prints with 2 spaces and creates parents', async () => {
    const dir = await tempDir();
    const out = await call(jsonWriteTool, { path: 'conf/deep/a.json', content: '{"b":[1,2.0],"a":{"x":null},"e":{}}' }, makeContext({ cwd: dir }));
    expect(out).toBe(`Created ${path.join('conf', 'deep', 'a.json')} (10 lines, 71 bytes)`);
    expect(await readFile(path.join(dir, 'conf/deep/a.json'), 'utf8')).toBe('{\n  "b": [\n    1,\n    2.0\n  ],\n  "a": {\n    "x": null\n  },\n  "e": {}\n}\n');
  });

  it('writes raw content unchanged', async () => {
    const dir = await tempDir();
    await call(jsonWriteTool, { path: 'a.json', content: '{"a":1}', raw: true }, makeContext({ cwd: dir }));
    expect(await readFile(path.join(dir, 'a.json'), 'utf8')).toBe('{"a":1}');
  });

  it('refuses invalid JSON and writes nothing', async () => {
    const dir = await tempDir();
    const ctx = makeContext({ cwd: dir });
    await expect(call(jsonWriteTool, { path: 'a.json', content: '{"a": 1,, "b": 2}' }, ctx)).rejects.toThrow(
      'content is not valid JSON, so nothing was written: expected a property name in double quotes, found character "," at line 1, column 9:\n  {"a": 1,, "b": 2}\n          ^',
    );
    await expect(call(jsonWriteTool, { path: 'a.json', content: '  ' }, ctx)).rejects.toThrow(/content is empty/);
    await expect(call(jsonWriteTool, { path: 'a.json', content: '{"a": "unterminated' }, ctx)).rejects.toThrow(/unterminated string at line 1, column 7/);
    await expect(stat(path.join(dir, 'a.json'))).rejects.toThrow();
  });

  it('guards existing files: read first, unchanged since', async () => {
    const dir = await project();
    const file = path.join(dir, 'data.json');
    const ctx = makeContext({ cwd: dir });
    await expect(call(jsonWriteTool, { path: 'data.json', content: '{}' }, ctx)).rejects.toThrow(
      'data.json has not been read yet. Read it with read or json_read first',
    );
    await call(jsonReadTool, { path: 'data.json' }, ctx);
    await writeFile(file, '{"changed":true}');
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await expect(call(jsonWriteTool, { path: 'data.json', content: '{}' }, ctx)).rejects.toThrow('data.json has changed since it was last read');
    expect(await readFile(file, 'utf8')).toBe('{"changed":true}');
  });

  it('keeps unicode and escapes as written', async () => {
    const dir = await tempDir();
    await call(jsonWriteTool, { path: 'u.json', content: '{"日本":"🙂","esc":"\\u00e9\\n"}' }, makeContext({ cwd: dir }));
    expect(await readFile(path.join(dir, 'u.json'), 'utf8')).toBe('{\n  "日本": "🙂",\n  "esc": "\\u00e9\\n"\n}\n');
  });

  it('refuses directories and paths outside the working directory unless allowed', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await mkdir(path.join(dir, 'folder'));
    const ctx = makeContext({ cwd: dir });
    await expect(call(jsonWriteTool, { path: 'folder', content: '{}' }, ctx)).rejects.toThrow('folder is a directory; give a file path.');
    const target = path.join(outside, 'x.json');
    await expect(call(jsonWriteTool, { path: target, content: '{}' }, ctx)).rejects.toThrow(`access denied: ${target} is outside the working directory`);
    expect(await call(jsonWriteTool, { path: target, content: '[]' }, makeContext({ cwd: dir, allowedPaths: [outside] }))).toBe(`Created ${target} (1 line, 3 bytes)`);
  });

  it.skipIf(isRoot)('reports permission denied (skipped as root, which ignores file modes)', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'locked'));
    await chmod(path.join(dir, 'locked'), 0o555);
    await expect(call(jsonWriteTool, { path: 'locked/a.json', content: '{}' }, makeContext({ cwd: dir }))).rejects.toThrow(/permission denied/);
    await chmod(path.join(dir, 'locked'), 0o755);
  });

  it('rejects bad arguments at validation', () => {
    expect(jsonWriteTool.create({}).parse({ path: 'a.json' }).ok).toBe(false);
    expect(jsonWriteTool.create({}).parse({ path: 'a.json', content: {} }).ok).toBe(false);
  });
});

describe('reindentJson', () => {
  it('re-indents nested values and keeps strings intact', () => {
    expect(reindentJson('[ { "a" : [ ] , "b":"[x]" } , 1 ]', '\t')).toBe('[\n\t{\n\t\t"a": [],\n\t\t"b": "[x]"\n\t},\n\t1\n]');
  });
});
