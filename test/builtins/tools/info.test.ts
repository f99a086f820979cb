import { describe, expect, it } from 'vitest';
import { infoTool } from '../../../source/builtins/tools/info.js';
import type { ToolRuntime } from '../../../source/engine/tools/runtime.js';
import { call, makeContext, result } from './context.js';

const docs: Record<string, string> = {
  bash: 'Run a shell command.\n\nDetails...',
  web_fetch: 'Fetch a page.',
  web_search: 'Search the web.',
  explore: 'Sub-agent: read-only search.',
};

const runtime: ToolRuntime = {
  describe: (name) => docs[name],
  describable: () => Object.keys(docs),
};

describe('info', () => {
  it('returns the full documentation of a name', async () => {
    const out = await call(infoTool, { name: 'bash' }, makeContext({ runtime }));
    expect(result(out)).toEqual({ text: 'Run a shell command.\n\nDetails...', isError: false });
    expect(result(await call(infoTool, { name: ' explore ' }, makeContext({ runtime }))).text).toBe('Sub-agent: read-only search.');
  });

  it('takes a name that differs only in case', async () => {
    expect(result(await call(infoTool, { name: 'Bash' }, makeContext({ runtime }))).text).toMatch(/^Run a shell command/);
  });

  it('suggests close names for an unknown one', async () => {
    await expect(call(infoTool, { name: 'web_fetc' }, makeContext({ runtime }))).rejects.toThrow('nothing named "web_fetc" (did you mean: web_fetch?)');
  });

  it('lists the known names when nothing is close', async () => {
    await expect(call(infoTool, { name: 'zzzzzzzzzz' }, makeContext({ runtime }))).rejects.toThrow('nothing named "zzzzzzzzzz". Known names: bash, explore, web_fetch, web_search');
    const bare: ToolRuntime = { describe: () => undefined };
    await expect(call(infoTool, { name: 'x' }, makeContext({ runtime: bare }))).rejects.toThrow(/^nothing named "x"$/);
  });

  it('fails clearly without a runtime that has docs', async () => {
    await expect(call(infoTool, { name: 'bash' }, makeContext({ runtime: {} }))).rejects.toThrow(/no documentation is available here/);
  });

  it('rejects bad arguments', () => {
    const tool = infoTool.create({});
    expect(tool.parse({}).ok).toBe(false);
    expect(tool.parse({ name: '' }).ok).toBe(false);
    expect(tool.parse({ name: 3 }).ok).toBe(false);
  });
});
