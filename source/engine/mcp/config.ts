/**
 * MCP server entries: the global catalog `<config home>/mcp_servers.yaml`
 * (a list of entries with `name`, or a mapping name → entry) and, later, a
 * creature's `mcp_servers:` list. Same keys as the original.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configHome, type Env } from '../home.js';
import { validateDocument, type ConfigWarning } from '../config/validate.js';
import { YamlSource } from '../config/yaml-source.js';

export const mcpServerSchema = z.strictObject({
  name: z.string().min(1),
  transport: z.enum(['stdio', 'streamable_http', 'streamable-http', 'http', 'sse']).default('stdio'),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  url: z.string().url().optional(),
  /** Seconds. */
  connect_timeout: z.number().positive().optional(),
});

export type McpServerConfig = z.output<typeof mcpServerSchema>;

const catalogSchema = z.union([z.array(mcpServerSchema), z.record(z.string(), mcpServerSchema.omit({ name: true }).extend({ name: z.string().optional() }))]);

export function mcpCatalogPath(env: Env = process.env): string {
  return join(configHome(env), 'mcp_servers.yaml');
}

/** The global MCP catalog; absent file → no servers. Errors name file, key and line. */
export function readMcpCatalog(env: Env = process.env): { servers: McpServerConfig[]; warnings: ConfigWarning[] } {
  const file = mcpCatalogPath(env);
  const warnings: ConfigWarning[] = [];
  if (!existsSync(file)) return { servers: [], warnings };
  const source = YamlSource.read(file);
  const data = source.data ?? [];
  const wrapped = validateDocument(z.strictObject({ servers: catalogSchema }), { servers: data }, { file, locate: (path) => source.locate(path.slice(1)) }, warnings, 'mcp_servers.yaml');
  const servers = Array.isArray(wrapped.servers)
    ? wrapped.servers
    : Object.entries(wrapped.servers).map(([name, entry]) => ({ ...entry, name: entry.name ?? name }));
  return { servers, warnings };
}
