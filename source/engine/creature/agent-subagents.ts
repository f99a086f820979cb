/**
 * What `Agent.build` prepares for a creature's sub-agents: their complete
 * definitions, each one's tools (built from the catalog, so a misconfigured
 * one fails at build time, not mid-task), and each one's provider.
 */
import type { CreatureDefinition } from '../config/loader.js';
import type { Env } from '../home.js';
import type { ToolConfig } from '../config/tool-entry.js';
import { ConfigError } from '../errors.js';
import type { Provider } from '../llm/provider.js';
import type { ToolCatalog } from '../tools/catalog.js';
import { bindTools, llmFor } from './assemble.js';
import type { ToolBinding } from './executor.js';
import type { SubagentCatalog, SubagentDefinition } from './subagent-catalog.js';
import { resolveSubagents } from './subagent-resolve.js';

export interface PreparedSubagents {
  /** Every sub-agent, nested ones included. */
  definitions: Map<string, SubagentDefinition>;
  /** The ones the creature itself can call (its config's list). */
  direct: SubagentDefinition[];
  toolsFor(definition: SubagentDefinition): ToolBinding[];
  providerFor(definition: SubagentDefinition): Provider;
}

export async function prepareSubagents(
  definition: CreatureDefinition,
  parts: { tools: ToolCatalog; subagents: SubagentCatalog; cwd: string; env: Env; provider: Provider; only?: Provider; toolNames: readonly string[] },
): Promise<PreparedSubagents> {
  const resolved = resolveSubagents(definition.subagents, parts.subagents);
  const tools = new Map<string, ToolBinding[]>();
  const providers = new Map<string, Provider>();
  for (const [index, agent] of resolved.entries()) {
    // Nested built-ins come after the configured ones; errors point at the last entry.
    const origin = (definition.subagents[Math.min(index, definition.subagents.length - 1)] as (typeof definition.subagents)[number]).origin;
    if (parts.toolNames.includes(agent.name)) {
      throw new ConfigError(`sub-agent '${agent.name}' has the name of one of this creature's tools; rename one of them`, origin);
    }
    // The creature's own entry for a tool keeps its options (timeouts, working_dir ...); others are plain built-ins.
    const own = new Map(definition.tools.map((t) => [t.name, t]));
    const configs: ToolConfig[] = agent.tools.map((name) => own.get(name) ?? { name, type: 'builtin', options: {}, folder: definition.folder, origin });
    try {
      tools.set(agent.name, await bindTools({ ...definition, tools: configs }, parts.tools, [], parts.cwd));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(`sub-agent '${agent.name}': ${error.detail}`, origin, error.hint ? { hint: error.hint } : {});
    }
    if (agent.model && !parts.only) providers.set(agent.name, (await llmFor(definition, agent.model, parts.env)).provider);
  }
  return {
    definitions: new Map(resolved.map((d) => [d.name, d])),
    direct: resolved.slice(0, definition.subagents.length),
    toolsFor: (agent) => tools.get(agent.name) ?? [],
    providerFor: (agent) => providers.get(agent.name) ?? parts.provider,
  };
}
