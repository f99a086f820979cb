/**
 * MCP tools as creature tools. Flat exposure makes each server tool a
 * normal tool named `<server>__<tool>` with the server's JSON schema; its
 * results (text, images, resources) become content parts, its progress
 * becomes `tool.progress`, and aborting the call sends the server
 * `notifications/cancelled` (the SDK does, from the signal).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ContentPart } from '../llm/messages.js';
import type { JsonSchema } from '../llm/provider.js';
import type { Tool, ToolContext, ToolResultObject } from '../tools/tool.js';
import type { McpTool } from './client.js';
import type { McpManager } from './manager.js';

/** Provider tool names are `[A-Za-z0-9_-]{1,64}`. */
export function flatName(server: string, tool: string): string {
  return `${server}__${tool}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

export function mcpToolsAsFlat(manager: McpManager, server: string, tools: readonly McpTool[]): Tool[] {
  return tools.map((t) => flatTool(manager, server, t));
}

function flatTool(manager: McpManager, server: string, t: McpTool): Tool<Record<string, unknown>> {
  const readOnly = t.annotations?.readOnlyHint === true;
  return {
    name: flatName(server, t.name),
    description: firstLine(t.description ?? t.title ?? `${t.name} from MCP server ${server}`),
    doc: `${t.description ?? t.name}\n\n(MCP tool '${t.name}' of server '${server}')`,
    parameters: t.inputSchema as JsonSchema,
    // Servers answer concurrent requests; nothing on our side needs a lane.
    concurrency: 'parallel',
    // Not read-only unless the server says so: approvals treat it like a command.
    ...(readOnly ? {} : { effect: 'execute' as const }),
    parse: (args) =>
      args === undefined || args === null
        ? { ok: true, value: {} }
        : typeof args === 'object' && !Array.isArray(args)
          ? { ok: true, value: args as Record<string, unknown> }
          : { ok: false, error: 'arguments must be a JSON object' },
    execute: (input, ctx) => callMcp(manager, server, t.name, input, ctx),
  };
}

/** One call with progress and cancellation, its result as a tool result. */
export async function callMcp(manager: McpManager, server: string, tool: string, args: Record<string, unknown>, ctx: Pick<ToolContext, 'signal' | 'emit'>): Promise<ToolResultObject> {
  const result = await manager.call(server, tool, args, {
    signal: ctx.signal,
    onProgress: (p) => ctx.emit({ ...(p.message ? { text: p.message } : {}), data: { progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}) } }),
  });
  return resultToOutput(result);
}

export function resultToOutput(result: CallToolResult): ToolResultObject {
  const parts: ContentPart[] = [];
  for (const item of result.content ?? []) {
    if (item.type === 'text') parts.push({ type: 'text', text: item.text });
    else if (item.type === 'image') parts.push({ type: 'image', url: `data:${item.mimeType};base64,${item.data}`, mediaType: item.mimeType });
    else if (item.type === 'audio') parts.push({ type: 'text', text: `[audio ${item.mimeType}, ${Math.round((item.data.length * 3) / 4)} bytes]` });
    else if (item.type === 'resource_link') parts.push({ type: 'text', text: `[resource ${item.uri}${item.name ? ` (${item.name})` : ''}${item.description ? `: ${item.description}` : ''}]` });
    else if (item.type === 'resource') parts.push(...resourcePart(item.resource));
  }
  if (!parts.length && result.structuredContent !== undefined) parts.push({ type: 'text', text: JSON.stringify(result.structuredContent, null, 2) });
  const onlyText = parts.every((p) => p.type === 'text');
  const output = onlyText ? parts.map((p) => (p as { text: string }).text).join('\n') : parts;
  return { output, ...(result.isError ? { isError: true } : {}) };
}

/** A resource's contents: text as text, images as image parts, other blobs as a note of their size. */
export function resourcePart(resource: { uri: string; mimeType?: string | undefined; text?: string; blob?: string }): ContentPart[] {
  if (typeof resource.text === 'string') return [{ type: 'text', text: resource.text }];
  const blob = resource.blob ?? '';
  if (resource.mimeType?.startsWith('image/')) return [{ type: 'image', url: `data:${resource.mimeType};base64,${blob}`, mediaType: resource.mimeType }];
  return [{ type: 'text', text: `[resource ${resource.uri}: ${resource.mimeType ?? 'binary'}, ${Math.round((blob.length * 3) / 4)} bytes]` }];
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * The "Available MCP Tools" prompt section for meta exposure: per server,
 * each tool with its parameters, and how to call them.
 */
export function mcpPromptSection(tools: ReadonlyMap<string, readonly McpTool[]>, options: { flat?: boolean } = {}): string | undefined {
  if (![...tools.values()].some((list) => list.length)) return undefined;
  // Flat tools need a section only in text call formats, where the prompt is the model's only list of tools.
  const lines = options.flat
    ? ['## Available MCP Tools', '', 'Each is a tool of its own, called like any other tool by the name shown.']
    : ['## Available MCP Tools', '', 'Call these with `mcp_call(server, tool, args)`; `mcp_list` shows the current list.'];
  for (const [server, list] of tools) {
    if (!list.length) continue;
    lines.push('', `### ${server}`);
    for (const t of list) {
      lines.push(`- **${options.flat ? flatName(server, t.name) : t.name}**${t.description ? `: ${firstLine(t.description)}` : ''}`);
      const props = (t.inputSchema.properties ?? {}) as Record<string, { type?: unknown; description?: string }>;
      const required = new Set(t.inputSchema.required ?? []);
      for (const [param, schema] of Object.entries(props)) {
        const type = Array.isArray(schema.type) ? schema.type.join('|') : String(schema.type ?? 'any');
        lines.push(`  - \`${param}\` (${type}${required.has(param) ? ', required' : ''})${schema.description ? `: ${firstLine(schema.description)}` : ''}`);
      }
    }
  }
  return lines.join('\n');
}
