/**
 * The MCP meta-tools: `mcp_list`, `mcp_call`, `mcp_connect`,
 * `mcp_disconnect`. With meta exposure the model reaches every MCP server
 * through these four instead of one tool per server tool; they are bound
 * automatically when a creature has `mcp_servers:`.
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { McpControl } from '../../engine/tools/runtime.js';
import type { ToolContext } from '../../engine/tools/tool.js';

export function mcpOf(ctx: ToolContext, name: string): McpControl {
  const mcp = ctx.runtime.mcp;
  if (!mcp) throw new ToolError(`${name}: this creature has no MCP servers (add them under mcp_servers: in its config)`, { tool: name });
  return mcp;
}

/** A failure of the server or the control, as an error result naming the tool. */
async function guarded<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError(`${name}: ${(error as Error).message}`, { tool: name });
  }
}

const listInput = builtinInput('mcp-meta.listInput', () =>
  z.object({ server: z.string().min(1).optional().describe('Only this server; default: every connected server.') }));

export const mcpListTool: ToolFactory = {
  name: 'mcp_list',
  description: 'MCP — list the tools of connected MCP servers (name, description, parameters) and the servers\' state',
  create: () =>
    tool({
      name: 'mcp_list',
      description: 'MCP — list the tools of connected MCP servers (name, description, parameters) and the servers\' state',
      doc: 'Lists each MCP server with its state (connected, failed with the reason, ...) and the tools of connected ones with their JSON parameters. Call a tool with mcp_call(server, tool, args).',
      input: listInput,
      execute: ({ server }, ctx) =>
        guarded('mcp_list', async () => {
          const mcp = mcpOf(ctx, 'mcp_list');
          const servers = mcp.servers().filter((s) => server === undefined || s.name === server);
          if (server !== undefined && !servers.length) throw new Error(`no MCP server '${server}' (known: ${mcp.servers().map((s) => s.name).join(', ') || 'none'})`);
          const lines: string[] = [];
          for (const s of servers) {
            lines.push(`## ${s.name} (${s.state}${s.state === 'connected' ? `, ${s.tools} tools` : ''})${s.lastError ? `: ${s.lastError.split('\n')[0]}` : ''}`);
            if (s.state !== 'connected') continue;
            for (const t of mcp.tools(s.name)) {
              lines.push(`- ${t.name}${t.description ? `: ${t.description.split('\n')[0]}` : ''}`);
              lines.push(`  parameters: ${JSON.stringify(t.inputSchema.properties ?? {})}${Array.isArray(t.inputSchema.required) && t.inputSchema.required.length ? ` required: ${JSON.stringify(t.inputSchema.required)}` : ''}`);
            }
          }
          return lines.length ? lines.join('\n') : 'No MCP servers.';
        }),
    }),
};

const callInput = builtinInput('mcp-meta.callInput', () =>
  z.object({
  server: z.string().min(1).describe('The MCP server, as mcp_list names it.'),
  tool: z.string().min(1).describe('The tool of that server.'),
  args: z.record(z.string(), z.unknown()).optional().describe('The tool\'s arguments, as a JSON object matching its parameters.'),
}));

export const mcpCallTool: ToolFactory = {
  name: 'mcp_call',
  description: 'MCP — call a tool of a connected MCP server: mcp_call(server, tool, args)',
  create: () =>
    tool({
      name: 'mcp_call',
      description: 'MCP — call a tool of a connected MCP server: mcp_call(server, tool, args)',
      doc: 'Calls one tool of a connected MCP server with a JSON object of arguments (see mcp_list for the tools and their parameters). Text, images and resources the tool returns come back as the result; interrupting cancels the call on the server.',
      input: callInput,
      // Any server tool may act on the world; the server's own read-only hints apply only to flat tools.
      effect: 'execute',
      execute: ({ server, tool: name, args }, ctx) => guarded('mcp_call', () => mcpOf(ctx, 'mcp_call').call(server, name, args ?? {}, ctx)),
    }),
};

const connectInput = builtinInput('mcp-meta.connectInput', () =>
  z.object({
  name: z.string().min(1).describe('The server\'s name (a name from the MCP catalog alone connects that entry).'),
  transport: z.enum(['stdio', 'streamable_http', 'streamable-http', 'http', 'sse']).optional().describe('stdio (default), streamable_http, or http/sse (legacy SSE).'),
  command: z.string().min(1).optional().describe('For stdio: the program to start.'),
  args: z.array(z.string()).optional().describe('For stdio: its arguments.'),
  url: z.string().min(1).optional().describe('For HTTP transports: the server\'s URL.'),
  env: z.record(z.string(), z.string()).optional().describe('For stdio: extra environment variables.'),
  headers: z.record(z.string(), z.string()).optional().describe('For HTTP transports: extra headers.'),
  connect_timeout: z.number().positive().optional().describe('Seconds to wait for the server (default 10).'),
}));

export const mcpConnectTool: ToolFactory = {
  name: 'mcp_connect',
  description: 'MCP — connect (or reconnect) an MCP server by catalog name or by command/url',
  create: () =>
    tool({
      name: 'mcp_connect',
      description: 'MCP — connect (or reconnect) an MCP server by catalog name or by command/url',
      doc: 'Connects an MCP server: a name from the global catalog, or a new server given by command (stdio) or url. A server that is already connected is reconnected. Its tools are usable through mcp_call right after.',
      input: connectInput,
      effect: 'execute',
      execute: (entry, ctx) =>
        guarded('mcp_connect', async () => {
          const given = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
          const asked = Object.keys(given).length === 1 ? entry.name : { connect_timeout: 10, ...given };
          const state = await mcpOf(ctx, 'mcp_connect').connect(asked);
          return `Connected MCP server '${state.name}' (${state.tools} tools${state.prompts ? `, ${state.prompts} prompts` : ''}).`;
        }),
    }),
};

const mcpDisconnectInput = builtinInput('mcp-meta.mcpDisconnect', () => z.object({ server: z.string().min(1).describe('The server to disconnect.') }));

export const mcpDisconnectTool: ToolFactory = {
  name: 'mcp_disconnect',
  description: 'MCP — disconnect an MCP server (its process stops; its tools go away)',
  create: () =>
    tool({
      name: 'mcp_disconnect',
      description: 'MCP — disconnect an MCP server (its process stops; its tools go away)',
      doc: 'Disconnects an MCP server: a stdio server\'s process (and what it started) is stopped, and its tools are no longer offered. mcp_connect brings it back.',
      input: mcpDisconnectInput,
      execute: ({ server }, ctx) =>
        guarded('mcp_disconnect', async () => {
          const mcp = mcpOf(ctx, 'mcp_disconnect');
          if (await mcp.disconnect(server)) return `Disconnected MCP server '${server}'.`;
          throw new Error(`no MCP server '${server}' (known: ${mcp.servers().map((s) => s.name).join(', ') || 'none'})`);
        }),
    }),
};
