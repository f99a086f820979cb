/**
 * A creature's MCP servers (`mcp_servers:`), wired in after its parts: the
 * servers connect in parallel while the creature is built, their tools go
 * into the executor as one replaceable source (flat exposure) or stay behind
 * the meta-tools with an "Available MCP Tools" prompt section (meta), and
 * every change a server announces updates both before the next round.
 */
import type { CreatureDefinition } from '../config/loader.js';
import type { Env } from '../home.js';
import { FLAT_TOOL_LIMIT, resolveMcpServers, type McpExposure, type McpServerRef } from '../mcp/config.js';
import { mcpControl } from '../mcp/control.js';
import { McpManager } from '../mcp/manager.js';
import { mcpPromptSection, mcpToolsAsFlat } from '../mcp/tools.js';
import { toolCatalog, type ToolCatalog } from '../tools/catalog.js';
import type { ToolRuntime } from '../tools/runtime.js';
import type { Executor, ToolBinding } from './executor.js';
import { toolEnvironment } from './tool-env.js';

/** The meta-tools, registered by `builtins/` (engine code names them, never imports them). */
export const MCP_META_TOOLS = ['mcp_list', 'mcp_call', 'mcp_connect', 'mcp_disconnect'] as const;
export const MCP_RESOURCE_TOOL = 'mcp_read_resource';

export interface McpWiring {
  definition: CreatureDefinition;
  env: Env;
  cwd: string;
  executor: Executor;
  runtime: ToolRuntime;
  catalog: ToolCatalog;
  setPromptSection(key: string, text: string | undefined): void;
  warn(message: string): void;
}

export interface AttachedMcp {
  manager: McpManager;
  exposure: 'flat' | 'meta';
  close(): Promise<void>;
}

/** The parts of a built creature the wiring uses. */
export function mcpWiringOf(internals: { definition: CreatureDefinition; env: Env; cwd: string; parts: { executor: Executor; runtime: ToolRuntime } }, options: { catalog?: ToolCatalog }): Omit<McpWiring, 'setPromptSection' | 'warn'> {
  return { definition: internals.definition, env: internals.env, cwd: internals.cwd, executor: internals.parts.executor, runtime: internals.parts.runtime, catalog: options.catalog ?? toolCatalog };
}

/** Connect the creature's MCP servers; undefined when it has none. */
export async function attachMcp(wiring: McpWiring): Promise<AttachedMcp | undefined> {
  const { definition, env, executor } = wiring;
  const refs = (definition.config.mcp_servers ?? []) as McpServerRef[];
  if (!refs.length) return undefined;
  // A name missing from the catalog is a warning like a server that fails: the creature runs without it.
  const servers = resolveMcpServers(refs, env, (error) => wiring.warn(error.message));
  const controller = definition.controller;
  const childEnv = toolEnvironment(env, {
    ...(controller.env_passthrough ? { passthrough: controller.env_passthrough } : {}),
    ...(controller.env_deny ? { deny: controller.env_deny } : {}),
    ...(controller.api_key_env ? { keyVariable: controller.api_key_env } : {}),
  });
  const manager = new McpManager({ env, childEnv, cwd: wiring.cwd, onWarning: (message) => wiring.warn(message) });
  await manager.connectAll(servers);
  const exposure = decideExposure(definition.config.mcp_exposure as McpExposure | undefined, manager);
  wiring.runtime.mcp = mcpControl(manager, env);

  const helpers = [...(exposure === 'meta' ? MCP_META_TOOLS : []), MCP_RESOURCE_TOOL].filter((name) => wiring.catalog.has(name));
  executor.replaceSource('mcp-meta', helpers.map((name): ToolBinding => ({ tool: wiring.catalog.create(name) })));
  const refresh = () => {
    if (exposure === 'flat') {
      const bindings = [...manager.tools()].flatMap(([server, tools]) => mcpToolsAsFlat(manager, server, tools).map((tool): ToolBinding => ({ tool })));
      executor.replaceSource('mcp', bindings);
      // Text call formats know tools only from the prompt, which was written before the servers connected.
      if (definition.toolFormat) wiring.setPromptSection('mcp', mcpPromptSection(manager.tools(), { flat: true }));
    } else {
      wiring.setPromptSection('mcp', mcpPromptSection(manager.tools()));
    }
  };
  refresh();
  manager.onChange(refresh);
  return { manager, exposure, close: () => manager.close() };
}

/** `auto` (the default) is flat while the connected servers offer at most 40 tools in all; decided once, at build. */
function decideExposure(asked: McpExposure | undefined, manager: McpManager): 'flat' | 'meta' {
  if (asked === 'flat' || asked === 'meta') return asked;
  const total = [...manager.tools().values()].reduce((n, tools) => n + tools.length, 0);
  return total > FLAT_TOOL_LIMIT ? 'meta' : 'flat';
}
