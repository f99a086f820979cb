/**
 * `mcp_read_resource`: read a resource an MCP server offers (a file, a
 * record, an image) by its URI; without a URI, list what the servers offer.
 */
import { z } from 'zod';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { ToolError } from '../../engine/errors.js';
import { mcpOf } from './mcp-meta.js';

const input = builtinInput('mcp-resource', () =>
  z.object({
  server: z.string().min(1).optional().describe('The MCP server; required with uri.'),
  uri: z.string().min(1).optional().describe('The resource URI; leave out to list the resources.'),
}));

export const mcpReadResourceTool: ToolFactory = {
  name: 'mcp_read_resource',
  description: 'MCP — read a resource of an MCP server by URI, or list the resources',
  create: () =>
    tool({
      name: 'mcp_read_resource',
      description: 'MCP — read a resource of an MCP server by URI, or list the resources',
      doc: 'With server and uri: returns the resource (text as text, images as images). Without uri: lists the resources of that server, or of every connected server.',
      input,
      async execute({ server, uri }, ctx) {
        const mcp = mcpOf(ctx, 'mcp_read_resource');
        try {
          if (uri === undefined) {
            const list = await mcp.resources(server);
            if (!list.length) return 'No resources.';
            return list.map((r) => `${r.server}  ${r.uri}  ${r.name}${r.mimeType ? ` (${r.mimeType})` : ''}${r.description ? ` — ${r.description.split('\n')[0]}` : ''}`).join('\n');
          }
          if (server === undefined) throw new Error('name the server that offers the resource');
          const parts = await mcp.readResource(server, uri);
          return parts.every((p) => p.type === 'text') ? parts.map((p) => (p as { text: string }).text).join('\n') : { output: parts };
        } catch (error) {
          throw new ToolError(`mcp_read_resource: ${(error as Error).message}`, { tool: 'mcp_read_resource' });
        }
      },
    }),
};
