/**
 * The keys of an MCP server entry, shared by the global catalog
 * (`mcp_servers.yaml`) and a creature's `mcp_servers:` list. Here rather
 * than in engine/mcp so the creature schema can use them without a cycle.
 */
import { z } from 'zod';
import { lazySchema } from '../util/lazy-schema.js';

export const MCP_TRANSPORTS = ['stdio', 'streamable_http', 'streamable-http', 'http', 'sse'] as const;

export const mcpServerSchema = lazySchema(() => z.strictObject({
  name: z.string().min(1).regex(/^[A-Za-z0-9_-]+$/, 'a server name is letters, digits, _ and -'),
  transport: z.enum(MCP_TRANSPORTS).default('stdio'),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  /** Working folder of a stdio server (default: the creature's). */
  cwd: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  /** HTTP headers for remote servers (`Authorization: Bearer ${TOKEN}`). */
  headers: z.record(z.string(), z.string()).optional(),
  /** Seconds. */
  connect_timeout: z.number().positive().optional(),
  /** Seconds a tool call may take (default 300; progress from the server restarts the clock). */
  call_timeout: z.number().positive().optional(),
}));

export type McpServerConfig = z.output<typeof mcpServerSchema>;

/** One item of a creature's `mcp_servers:`: a catalog name, or an entry (only `name` → the catalog's). */
export const mcpServerRefSchema = lazySchema(() => z.union([z.string().min(1), mcpServerSchema.extend({ transport: z.enum(MCP_TRANSPORTS).optional() })]));

export type McpServerRef = z.output<typeof mcpServerRefSchema>;

/** `mcp_exposure:` — how a creature sees MCP tools; `auto` is flat up to 40 tools in all, meta above. */
export const mcpExposureSchema = lazySchema(() => z.enum(['auto', 'flat', 'meta']));
export type McpExposure = z.output<typeof mcpExposureSchema>;
