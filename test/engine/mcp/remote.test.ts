/**
 * Remote MCP servers: server-everything over streamable HTTP and over the
 * legacy SSE transport, on loopback, with headers from `${VAR}`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from '../../../source/engine/mcp/manager.js';
import { callMcp } from '../../../source/engine/mcp/tools.js';
import { everythingScript } from './servers.js';

let child: ChildProcess | undefined;
let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  child?.kill('SIGKILL');
  child = undefined;
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Start server-everything with `transport`; resolves once it says it listens. */
async function startEverything(transport: 'streamableHttp' | 'sse'): Promise<number> {
  const port = await freePort();
  child = spawn(process.execPath, [everythingScript, transport], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let said = '';
    child!.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (new RegExp(`port ${port}`).test(said)) resolve();
    });
    child!.on('exit', (code) => reject(new Error(`server-everything ${transport} exited (${code}): ${said}`)));
  });
  return port;
}

describe('remote MCP servers', () => {
  it('streamable HTTP: connects, lists and calls; ${VAR} in url and headers comes from the environment', async () => {
    const port = await startEverything('streamableHttp');
    manager = new McpManager({ env: { MCP_PORT: String(port), TOKEN: 'secret-1' } });
    await manager.connectAll([{ name: 'remote', transport: 'streamable_http', url: 'http://127.0.0.1:${MCP_PORT}/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } }]);
    expect(manager.status()[0]).toMatchObject({ state: 'connected' });
    const echo = await callMcp(manager, 'remote', 'echo', { message: 'over http' }, { signal: new AbortController().signal, emit: () => undefined });
    expect(echo.output).toBe('Echo: over http');
  });

  it('legacy SSE (transport: sse)', async () => {
    const port = await startEverything('sse');
    manager = new McpManager();
    await manager.connectAll([{ name: 'old', transport: 'sse', url: `http://127.0.0.1:${port}/sse` }]);
    expect(manager.status()[0]).toMatchObject({ state: 'connected' });
    const echo = await callMcp(manager, 'old', 'echo', { message: 'over sse' }, { signal: new AbortController().signal, emit: () => undefined });
    expect(echo.output).toBe('Echo: over sse');
  });

  it('an unset ${VAR} fails that server with a message naming the variable', async () => {
    const warnings: string[] = [];
    manager = new McpManager({ env: {}, onWarning: (m) => warnings.push(m), retryDelaysMs: [] });
    await manager.connectAll([{ name: 'gh', transport: 'streamable_http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer ${GITHUB_TOKEN}' } }]);
    expect(warnings).toEqual([expect.stringContaining("MCP server 'gh' headers.Authorization: ${GITHUB_TOKEN} is not set in the environment")]);
  });
});
