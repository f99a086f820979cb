/**
 * The `McpControl` a creature lends its tools (the `mcp_*` meta-tools):
 * the manager's servers and tools in plain shapes, and `connect` taking an
 * `mcp_servers:` entry as the model writes it.
 */
import { ConfigError } from '../errors.js';
import type { Env } from '../home.js';
import type { McpControl, McpServerView } from '../tools/runtime.js';
import { mcpServerRefSchema, resolveMcpServers } from './config.js';
import type { McpManager } from './manager.js';
import { callMcp, resourcePart } from './tools.js';

export function mcpControl(manager: McpManager, env: Env): McpControl {
  const view = (name: string): McpServerView => {
    const status = manager.status().find((s) => s.name === name);
    if (!status) throw new Error(`no MCP server '${name}'`);
    return status;
  };
  return {
    servers: () => manager.status(),
    tools: (server) => {
      if (server !== undefined) manager.connection(server);
      return [...manager.tools()]
        .filter(([name]) => server === undefined || name === server)
        .flatMap(([name, tools]) =>
          tools.map((t) => ({
            server: name,
            name: t.name,
            ...(t.description ? { description: t.description } : {}),
            inputSchema: t.inputSchema as Record<string, unknown>,
            readOnly: t.annotations?.readOnlyHint === true,
          })),
        );
    },
    call: (server, tool, args, ctx) => callMcp(manager, server, tool, args, ctx),
    connect: async (entry) => {
      const parsed = mcpServerRefSchema.safeParse(entry);
      if (!parsed.success) throw new ConfigError(`not an MCP server entry: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ')}`);
      const [config] = resolveMcpServers([parsed.data], env);
      if (!config) throw new Error('no server to connect');
      await manager.connect(config);
      return view(config.name);
    },
    disconnect: (server) => manager.disconnect(server),
    readResource: async (server, uri) => (await manager.connection(server).readResource(uri)).contents.flatMap((c) => resourcePart(c as { uri: string; mimeType?: string; text?: string; blob?: string })),
    prompts: () =>
      [...manager.prompts()].flatMap(([server, prompts]) =>
        prompts.map((p) => ({
          server,
          name: p.name,
          ...(p.description ? { description: p.description } : {}),
          arguments: (p.arguments ?? []).map((a) => ({ name: a.name, required: a.required === true, ...(a.description ? { description: a.description } : {}) })),
        })),
      ),
    getPrompt: async (server, name, args) => {
      const result = await manager.connection(server).getPrompt(name, args);
      // The prompt's messages become one message from the person; resources and images are named, not inlined.
      return result.messages
        .map((m) => {
          const c = m.content;
          const text = c.type === 'text' ? c.text : c.type === 'resource' ? ('text' in c.resource ? c.resource.text : `[resource ${c.resource.uri}]`) : `[${c.type}]`;
          return m.role === 'assistant' ? `(assistant) ${text}` : text;
        })
        .join('\n\n');
    },
    resources: async (server) => {
      const names = server !== undefined ? [server] : [...manager.tools().keys()];
      const lists = await Promise.all(
        names.map(async (name) =>
          (await manager.connection(name).listResources()).map((r) => ({
            server: name,
            uri: r.uri,
            name: r.name,
            ...(r.mimeType ? { mimeType: r.mimeType } : {}),
            ...(r.description ? { description: r.description } : {}),
          })),
        ),
      );
      return lists.flat();
    },
  };
}
