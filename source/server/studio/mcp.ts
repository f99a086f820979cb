/**
 * The global MCP catalog from the settings page: the same file and entries
 * `kt config mcp` manages. Secrets never leave the server: every `env` value
 * and header value is masked in what is returned, and an entry sent back
 * with a masked value keeps the stored one (so an edit round-trips).
 */
import { ConfigError, connectMcp, mcpCatalogPath, readMcpCatalog, writeMcpCatalog, type Env, type McpServerConfig } from '../../index.js';
import { NotFoundError } from './errors.js';

/** What stands for a secret value in answers; sent back, it means "keep the stored value". */
export const MASKED = '********';

const mask = (record: Record<string, string> | undefined) => (record ? Object.fromEntries(Object.keys(record).map((k) => [k, MASKED])) : undefined);

function masked(server: McpServerConfig): McpServerConfig {
  const env = mask(server.env);
  const headers = mask(server.headers);
  return { ...server, ...(env ? { env } : {}), ...(headers ? { headers } : {}) };
}

export function listMcp(env: Env): { servers: McpServerConfig[]; file: string } {
  return { servers: readMcpCatalog(env).servers.map(masked), file: mcpCatalogPath(env) };
}

/** Add `entry`, or replace the entry of the same name in place. */
export function putMcp(entry: McpServerConfig, env: Env): { server: McpServerConfig; replaced: boolean } {
  const { servers } = readMcpCatalog(env);
  const index = servers.findIndex((s) => s.name === entry.name);
  const old = index >= 0 ? servers[index] : undefined;
  const full: McpServerConfig = { ...entry };
  const envValues = unmask(entry.env, old?.env, 'env');
  if (envValues) full.env = envValues;
  const headers = unmask(entry.headers, old?.headers, 'headers');
  if (headers) full.headers = headers;
  if (full.transport === 'stdio' && !full.command) throw new ConfigError(`MCP server '${entry.name}': a stdio server needs a command`, { keyPath: ['command'] });
  if (full.transport !== 'stdio' && !full.url) throw new ConfigError(`MCP server '${entry.name}': a ${full.transport} server needs a url`, { keyPath: ['url'] });
  writeMcpCatalog(index >= 0 ? servers.map((s, i) => (i === index ? full : s)) : [...servers, full], env);
  return { server: masked(full), replaced: index >= 0 };
}

function unmask(sent: Record<string, string> | undefined, stored: Record<string, string> | undefined, key: string): Record<string, string> | undefined {
  if (!sent) return undefined;
  return Object.fromEntries(
    Object.entries(sent).map(([k, v]) => {
      if (v !== MASKED) return [k, v];
      const kept = stored?.[k];
      if (kept === undefined) throw new ConfigError('the masked value stands for a stored one, and none is stored; send the value', { keyPath: [key, k] });
      return [k, kept];
    }),
  );
}

export function deleteMcp(name: string, env: Env): void {
  const { servers } = readMcpCatalog(env);
  if (!servers.some((s) => s.name === name)) throw new NotFoundError(`MCP server '${name}'`);
  writeMcpCatalog(
    servers.filter((s) => s.name !== name),
    env,
  );
}

export interface McpTestResult {
  name: string;
  ok: boolean;
  tools: string[];
  error?: string;
}

/** Start (or reach) the server, list its tools, close it; failures are a result, not an error. */
export async function testMcp(name: string, env: Env, cwd: string, timeoutMs = 20_000): Promise<McpTestResult> {
  const server = readMcpCatalog(env).servers.find((s) => s.name === name);
  if (!server) throw new NotFoundError(`MCP server '${name}'`);
  try {
    const connection = await connectMcp(server, { env, cwd, timeoutMs: server.connect_timeout ? server.connect_timeout * 1000 : timeoutMs });
    try {
      const tools = await connection.listTools();
      return { name, ok: true, tools: tools.map((t) => t.name) };
    } finally {
      await connection.close();
    }
  } catch (error) {
    return { name, ok: false, tools: [], error: (error as Error).message };
  }
}
