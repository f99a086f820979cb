/**
 * MCP server entries: the global catalog `<config home>/mcp_servers.yaml`
 * (a list of entries with `name`, or a mapping name → entry) and a
 * creature's `mcp_servers:` list, whose items are a catalog name, or an
 * entry (with only `name` it too refers to the catalog). Same keys as the
 * original, plus `headers`; `${VAR}` in url, args, env and headers is
 * filled from the environment when the server is connected.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { lazySchema } from '../util/lazy-schema.js';
import { ConfigError } from '../errors.js';
import { configHome, ensurePrivateDir, writePrivateFile, type Env } from '../home.js';
import { validateDocument, type ConfigWarning } from '../config/validate.js';
import { YamlSource } from '../config/yaml-source.js';
import { mcpServerSchema, type McpServerConfig, type McpServerRef } from '../config/mcp-schema.js';

export { MCP_TRANSPORTS, mcpExposureSchema, mcpServerRefSchema, mcpServerSchema } from '../config/mcp-schema.js';
export type { McpExposure, McpServerConfig, McpServerRef } from '../config/mcp-schema.js';

export const FLAT_TOOL_LIMIT = 40;

const catalogSchema = lazySchema(() => z.union([z.array(mcpServerSchema), z.record(z.string(), mcpServerSchema.omit({ name: true }).extend({ name: z.string().optional() }))]));

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

/**
 * Replace the catalog with `servers` (a list, in the given order). The file
 * is private (0600): entries may carry tokens in `env` and `headers`.
 */
export function writeMcpCatalog(servers: readonly McpServerConfig[], env: Env = process.env): void {
  const file = mcpCatalogPath(env);
  ensurePrivateDir(configHome(env));
  const temp = `${file}.${process.pid}.tmp`;
  writePrivateFile(temp, servers.length ? stringify(servers.map((s) => mcpServerSchema.parse(s))) : '[]\n');
  renameSync(temp, file);
}

/**
 * A creature's `mcp_servers:` made concrete: names come from the catalog
 * (read only when a name is used); an entry with more than a name stands
 * alone, and one whose name is also in the catalog overrides its keys.
 */
export function resolveMcpServers(refs: readonly McpServerRef[], env: Env = process.env, onMissing?: (error: ConfigError) => void): McpServerConfig[] {
  let catalog: Map<string, McpServerConfig> | undefined;
  const fromCatalog = (name: string): McpServerConfig | undefined => {
    catalog ??= new Map(readMcpCatalog(env).servers.map((s) => [s.name, s]));
    return catalog.get(name);
  };
  // A later entry of the same name (a child config's, after inheritance) replaces the earlier one in place.
  const out = new Map<string, McpServerConfig>();
  for (const ref of refs) {
    const name = typeof ref === 'string' ? ref : ref.name;
    const own = typeof ref === 'string' ? undefined : ref;
    const standsAlone = own !== undefined && (own.command !== undefined || own.url !== undefined);
    const base = standsAlone ? undefined : fromCatalog(name);
    if (!standsAlone && !base) {
      const error = new ConfigError(`mcp_servers: '${name}' is not in the MCP catalog (${mcpCatalogPath(env)}) and has no command or url; add it with \`kt config mcp add ${name}\``);
      if (!onMissing) throw error;
      onMissing(error);
      continue;
    }
    const merged = { ...(base ?? {}), ...Object.fromEntries(Object.entries(own ?? {}).filter(([, v]) => v !== undefined)), name };
    out.set(name, mcpServerSchema.parse({ transport: 'stdio', ...merged }));
  }
  return [...out.values()];
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** `${VAR}` and `${VAR:-default}` from `env`; a variable that is unset and has no default is an error naming it. */
export function interpolate(text: string, env: Env, where: string): string {
  return text.replace(VAR, (_, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`${where}: \${${name}} is not set in the environment`);
  });
}

/** The entry with every `${VAR}` filled in (url, command, args, env, headers). */
export function interpolateServer(server: McpServerConfig, env: Env): McpServerConfig {
  const at = (key: string) => `MCP server '${server.name}' ${key}`;
  const map = (record: Record<string, string> | undefined, key: string) =>
    record ? Object.fromEntries(Object.entries(record).map(([k, v]) => [k, interpolate(v, env, at(`${key}.${k}`))])) : undefined;
  const filled: McpServerConfig = { ...server };
  if (server.command) filled.command = interpolate(server.command, env, at('command'));
  if (server.args) filled.args = server.args.map((a, i) => interpolate(a, env, at(`args[${i}]`)));
  if (server.url) filled.url = interpolate(server.url, env, at('url'));
  const envFilled = map(server.env, 'env');
  if (envFilled) filled.env = envFilled;
  const headers = map(server.headers, 'headers');
  if (headers) filled.headers = headers;
  return filled;
}
