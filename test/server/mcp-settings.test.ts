/**
 * The MCP catalog from the settings routes: the file `kt config mcp` reads,
 * secrets masked on the way out and kept on a round-trip, entries validated
 * by the engine's schema, and a test against the real server-everything.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpCatalogPath, readMcpCatalog } from '../../source/index.js';
import { broken, everything } from '../engine/mcp/servers.js';
import { api, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('/api/settings/mcp', () => {
  it('adds, lists with secrets masked, keeps a masked value on replace, and deletes', async () => {
    expect((await api(h, 'GET', '/api/settings/mcp')).json.servers).toEqual([]);
    const entry = { name: 'remote', transport: 'streamable_http', url: 'https://mcp.example.test/mcp', headers: { Authorization: 'Bearer sk-secret-header' }, env: {} };
    const added = await api(h, 'POST', '/api/settings/mcp', entry);
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ replaced: false, server: { name: 'remote', headers: { Authorization: '********' } } });
    const stdio = await api(h, 'POST', '/api/settings/mcp', { name: 'local', command: 'node', args: ['x.js'], env: { API_TOKEN: 'tok-secret-env' } });
    expect(stdio.json.server).toMatchObject({ transport: 'stdio', env: { API_TOKEN: '********' } });

    const listed = await api(h, 'GET', '/api/settings/mcp');
    expect(listed.json.servers.map((s: { name: string }) => s.name)).toEqual(['remote', 'local']);
    expect(listed.json.file).toBe(mcpCatalogPath(h.env));
    const text = JSON.stringify(listed.json);
    expect(text).not.toContain('sk-secret-header');
    expect(text).not.toContain('tok-secret-env');
    // What `kt config mcp` reads: the real values.
    expect(readMcpCatalog(h.env).servers.find((s) => s.name === 'local')?.env).toEqual({ API_TOKEN: 'tok-secret-env' });

    // The dashboard sends the listed entry back, edited: masked values keep what is stored, new ones replace it.
    const local = listed.json.servers.find((s: { name: string }) => s.name === 'local');
    const replaced = await api(h, 'POST', '/api/settings/mcp', { ...local, args: ['y.js'], env: { ...local.env, EXTRA: 'plain' } });
    expect(replaced.json.replaced).toBe(true);
    expect(readMcpCatalog(h.env).servers.find((s) => s.name === 'local')).toMatchObject({ args: ['y.js'], env: { API_TOKEN: 'tok-secret-env', EXTRA: 'plain' } });
    // Order is kept on replace.
    expect(readMcpCatalog(h.env).servers.map((s) => s.name)).toEqual(['remote', 'local']);

    expect((await api(h, 'DELETE', '/api/settings/mcp/remote')).status).toBe(200);
    expect(readMcpCatalog(h.env).servers.map((s) => s.name)).toEqual(['local']);
    expect((await api(h, 'DELETE', '/api/settings/mcp/remote')).status).toBe(404);
    await api(h, 'DELETE', '/api/settings/mcp/local');
  });

  it('refuses a bad entry with one line naming the field, and writes nothing', async () => {
    const before = readCatalogText(h);
    const cases: Array<[unknown, string]> = [
      [{ name: 'bad name', command: 'x' }, 'json.name'],
      [{ name: 'ok', transport: 'carrier-pigeon', command: 'x' }, 'json.transport'],
      [{ name: 'ok', command: 'x', env: { A: 1 } }, 'json.env.A'],
      [{ name: 'ok', command: 'x', surprise: true }, 'json'],
      [{ name: 'ok', transport: 'stdio' }, 'command'],
      [{ name: 'ok', transport: 'sse' }, 'url'],
      [{ name: 'ok', command: 'x', env: { T: '********' } }, 'env.T'],
    ];
    for (const [body, field] of cases) {
      const res = await api(h, 'POST', '/api/settings/mcp', body);
      expect(`${JSON.stringify(body)} → ${res.status} ${res.json.error.field}`).toBe(`${JSON.stringify(body)} → 400 ${field}`);
      expect(res.json.error.message).not.toContain('\n');
      expect(res.json.error.line).toBeUndefined();
    }
    expect(readCatalogText(h)).toBe(before);
  });

  it('tests a server: the real server-everything lists its tools; a broken one reports why', async () => {
    await api(h, 'POST', '/api/settings/mcp', everything());
    const ok = await api(h, 'POST', '/api/settings/mcp/everything/test');
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ name: 'everything', ok: true });
    expect(ok.json.tools).toEqual(expect.arrayContaining(['echo']));

    await api(h, 'POST', '/api/settings/mcp', broken());
    const bad = await api(h, 'POST', '/api/settings/mcp/broken/test');
    expect(bad.status).toBe(200);
    expect(bad.json).toMatchObject({ name: 'broken', ok: false, tools: [] });
    expect(bad.json.error).toContain('permission denied');

    expect((await api(h, 'POST', '/api/settings/mcp/absent/test')).status).toBe(404);
  }, 60_000);
});

function readCatalogText(h: Harness): string {
  try {
    return readFileSync(mcpCatalogPath(h.env), 'utf8');
  } catch {
    return '';
  }
}
