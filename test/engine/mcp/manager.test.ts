/**
 * The MCP manager against real servers: server-everything and
 * server-filesystem from npm, and a small SDK server for list_changed,
 * crashes and cancellation. Everything runs over real stdio child processes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from '../../../source/engine/mcp/manager.js';
import { callMcp, flatName, mcpPromptSection, mcpToolsAsFlat } from '../../../source/engine/mcp/tools.js';
import { expectKilled, running } from '../../helpers/processes.js';
import { broken, everything, filesystem, testServer } from './servers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.close();
  manager = undefined;
});

const ctx = (signal = new AbortController().signal, progress: unknown[] = []) => ({ signal, emit: (p: unknown) => progress.push(p) });

describe('McpManager', () => {
  it('connects servers in parallel; a server that never starts is a warning with its stderr, not an error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kt-mcp-fs-'));
    writeFileSync(join(root, 'note.txt'), 'hello from a file');
    const warnings: string[] = [];
    manager = new McpManager({ onWarning: (m) => warnings.push(m), retryDelaysMs: [] });
    await manager.connectAll([everything(), filesystem(root), broken()]);
    const byName = Object.fromEntries(manager.status().map((s) => [s.name, s]));
    expect(byName.everything).toMatchObject({ state: 'connected' });
    expect(byName.everything!.tools).toBeGreaterThan(5);
    expect(byName.files).toMatchObject({ state: 'connected' });
    expect(byName.broken).toMatchObject({ state: 'failed', tools: 0, lastError: expect.stringMatching(/cannot open database: permission denied/) });
    expect(warnings).toEqual([expect.stringMatching(/^MCP server 'broken' failed to connect: .*\n.*cannot open database/s)]);

    const read = await callMcp(manager, 'files', 'read_text_file', { path: join(root, 'note.txt') }, ctx());
    expect(read.output).toContain('hello from a file');
    const echo = await callMcp(manager, 'everything', 'echo', { message: 'hi' }, ctx());
    expect(echo).toEqual({ output: 'Echo: hi' });
  });

  it('turns an image result into an image part and progress notifications into progress reports', async () => {
    manager = new McpManager();
    await manager.connectAll([everything()]);
    const image = await callMcp(manager, 'everything', 'get-tiny-image', {}, ctx());
    expect(Array.isArray(image.output)).toBe(true);
    expect(image.output).toContainEqual(expect.objectContaining({ type: 'image', mediaType: 'image/png', url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) }));

    const progress: Array<{ data?: { progress: number; total?: number } }> = [];
    const done = await callMcp(manager, 'everything', 'trigger-long-running-operation', { duration: 0.3, steps: 3 }, ctx(undefined, progress));
    expect(done.output).toMatch(/completed/i);
    // The server sends the last step's notification as it answers; the first two surely come before.
    expect(progress.map((p) => p.data).slice(0, 2)).toEqual([
      { progress: 1, total: 3 },
      { progress: 2, total: 3 },
    ]);
  });

  it('an aborted call sends notifications/cancelled: the server sees the cancellation', async () => {
    manager = new McpManager();
    await manager.connectAll([testServer()]);
    const abort = new AbortController();
    const pending = callMcp(manager, 'kt', 'wait', {}, { signal: abort.signal, emit: () => abort.abort(new Error('interrupted')) });
    await expect(pending).rejects.toThrow(/interrupted|abort/i);
    // Requests on one stdio stream are handled in order: the notification came first.
    expect((await callMcp(manager, 'kt', 'cancelled_count', {}, ctx())).output).toBe('1');
  });

  it('refreshes the tool set when the server says tools/list_changed', async () => {
    manager = new McpManager();
    await manager.connectAll([testServer()]);
    expect(manager.tools().get('kt')!.map((t) => t.name)).not.toContain('extra');
    const changed = new Promise<void>((resolve) => manager!.onChange(() => manager!.tools().get('kt')!.some((t) => t.name === 'extra') && resolve()));
    await callMcp(manager, 'kt', 'add_tool', {}, ctx());
    await changed;
    expect((await callMcp(manager, 'kt', 'extra', { word: 'later' }, ctx())).output).toBe('extra later');
  });

  it('a server that crashes mid-call fails the call, is marked failed with its stderr, and its tools go away', async () => {
    const warnings: string[] = [];
    manager = new McpManager({ onWarning: (m) => warnings.push(m), retryDelaysMs: [] });
    await manager.connectAll([testServer()]);
    const lost = new Promise<void>((resolve) => manager!.onChange(() => manager!.status()[0]!.state === 'failed' && resolve()));
    await expect(callMcp(manager, 'kt', 'crash', {}, ctx())).rejects.toThrow(/closed|exit/i);
    await lost;
    expect(manager.status()[0]).toMatchObject({ state: 'failed', lastError: expect.stringContaining('disk on fire') });
    expect(manager.tools().size).toBe(0);
    expect(warnings).toEqual([expect.stringMatching(/^MCP server 'kt' went away/)]);
    await expect(callMcp(manager, 'kt', 'cancelled_count', {}, ctx())).rejects.toThrow(/MCP server 'kt' is failed/);
  });

  it('a failed server is tried again and its tools appear when it connects', async () => {
    let attempts = 0;
    manager = new McpManager({
      retryDelaysMs: [1],
      connect: async (config, options) => {
        attempts++;
        const { connectMcp } = await import('../../../source/engine/mcp/client.js');
        return connectMcp(attempts === 1 ? broken(config.name) : config, options);
      },
    });
    const connected = new Promise<void>((resolve) => manager!.onChange(() => manager!.status()[0]?.state === 'connected' && resolve()));
    await manager.connectAll([everything()]);
    expect(manager.status()[0]!.state).toBe('failed');
    await connected;
    expect(attempts).toBe(2);
    expect(manager.tools().get('everything')!.length).toBeGreaterThan(5);
  });

  it('closing kills the server and the processes it started', async () => {
    manager = new McpManager();
    await manager.connectAll([testServer()]);
    const serverPid = manager.status()[0]!.pid!;
    const grandchild = Number((await callMcp(manager, 'kt', 'spawn_grandchild', {}, ctx())).output);
    expect(await running(grandchild)).toBe(true);
    await manager.close();
    await expectKilled(serverPid);
    await expectKilled(grandchild);
  });

  it('flat tools carry the server schema, are not read-only unless annotated, and the meta prompt lists parameters', async () => {
    manager = new McpManager();
    await manager.connectAll([testServer()]);
    const flat = mcpToolsAsFlat(manager, 'kt', manager.tools().get('kt')!);
    const count = flat.find((t) => t.name === 'kt__cancelled_count')!;
    expect(count.effect).toBeUndefined();
    expect(flat.find((t) => t.name === 'kt__crash')!.effect).toBe('execute');
    expect(count.parameters).toMatchObject({ type: 'object' });
    expect(flatName('my.server', 'a/b')).toBe('my_server__a_b');
    const section = mcpPromptSection(new Map([['kt', [{ name: 'extra', description: 'Appeared later', inputSchema: { type: 'object', properties: { word: { type: 'string', description: 'A word' } }, required: ['word'] } }]]]));
    expect(section).toContain('## Available MCP Tools');
    expect(section).toContain('mcp_call(server, tool, args)');
    expect(section).toContain('- `word` (string, required): A word');
  });
});
