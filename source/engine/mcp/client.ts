/**
 * Connecting to one MCP server through the official SDK, over stdio or
 * streamable HTTP, with a connect timeout. The SDK is imported on first use.
 */
import { ConfigError } from '../errors.js';
import type { McpServerConfig } from './config.js';

export interface McpConnection {
  serverName: string;
  serverVersion?: string;
  listTools(): Promise<Array<{ name: string; description?: string }>>;
  close(): Promise<void>;
}

export async function connectMcp(server: McpServerConfig, options: { timeoutMs?: number; env?: Record<string, string | undefined> } = {}): Promise<McpConnection> {
  const [{ Client }] = await Promise.all([import('@modelcontextprotocol/sdk/client/index.js')]);
  const client = new Client({ name: 'kohakuterrarium', version: '1' });
  const transport = await transportFor(server, options.env ?? process.env);
  const timeoutMs = options.timeoutMs ?? (server.connect_timeout ? server.connect_timeout * 1000 : 20_000);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(transport),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const info = client.getServerVersion();
  const connection: McpConnection = {
    serverName: info?.name ?? server.name,
    listTools: async () => (await client.listTools()).tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}) })),
    close: () => client.close(),
  };
  if (info?.version) connection.serverVersion = info.version;
  return connection;
}

async function transportFor(server: McpServerConfig, env: Record<string, string | undefined>) {
  if (server.transport === 'stdio') {
    if (!server.command) throw new ConfigError(`MCP server '${server.name}' uses stdio but names no command`);
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const childEnv = Object.fromEntries(Object.entries({ ...env, ...server.env }).filter((e): e is [string, string] => e[1] !== undefined));
    return new StdioClientTransport({ command: server.command, args: server.args ?? [], env: childEnv, stderr: 'pipe' });
  }
  if (!server.url) throw new ConfigError(`MCP server '${server.name}' uses ${server.transport} but names no url`);
  if (server.transport === 'sse' || server.transport === 'http') {
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    return new SSEClientTransport(new URL(server.url));
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  return new StreamableHTTPClientTransport(new URL(server.url));
}
