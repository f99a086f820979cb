/**
 * From a creature's `subagents:` entries to complete definitions: a name
 * picks a built-in from the catalog, keys in the entry override it, and an
 * entry with a prompt of its own and a name no built-in has defines one
 * inline. Problems are ConfigErrors pointing at the entry.
 */
import type { SubagentConfig } from '../config/subagent-entry.js';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../util/close-match.js';
import type { SubagentCatalog, SubagentDefinition } from './subagent-catalog.js';

/**
 * The creature's sub-agents, in config order, plus (after them) built-ins
 * that one of them names as its own sub-agent without the creature listing
 * it: those are only reachable through their parent sub-agent.
 */
export function resolveSubagents(configs: readonly SubagentConfig[], catalog: SubagentCatalog): SubagentDefinition[] {
  const resolved = configs.map((config) => resolveOne(config, catalog));
  const byName = new Map(resolved.map((d) => [d.name, d]));
  for (let i = 0; i < resolved.length; i++) {
    const definition = resolved[i] as SubagentDefinition;
    const origin = (configs[Math.min(i, configs.length - 1)] as SubagentConfig).origin;
    for (const nested of definition.subagents ?? []) {
      if (byName.has(nested)) continue;
      const builtin = catalog.get(nested);
      if (!builtin) {
        throw new ConfigError(`sub-agent '${definition.name}' lists sub-agent '${nested}', which neither this creature nor the catalog has${didYouMean(nested, [...byName.keys(), ...catalog.names()])}`, origin);
      }
      byName.set(nested, builtin);
      resolved.push(builtin);
    }
  }
  return resolved;
}

function resolveOne(config: SubagentConfig, catalog: SubagentCatalog): SubagentDefinition {
  const builtin = catalog.get(config.name);
  if (config.type === 'builtin' && !builtin) {
    throw new ConfigError(`unknown sub-agent '${config.name}'${didYouMean(config.name, catalog.names())}`, config.origin, {
      hint: `built-in sub-agents: ${catalog.names().join(', ') || '(none)'}; or define one inline with a system_prompt`,
    });
  }
  // A custom entry that reuses a built-in's name starts from nothing: it is its own sub-agent.
  const base: SubagentDefinition = config.type === 'builtin' && builtin
    ? builtin
    : { name: config.name, description: `Hand a task to the ${config.name} sub-agent.`, systemPrompt: '', tools: [], canModify: false };
  const systemPrompt = [config.systemPrompt ?? base.systemPrompt, config.extraPrompt].filter((p) => p?.trim()).join('\n\n');
  if (!systemPrompt.trim()) {
    throw new ConfigError(`sub-agent '${config.name}' has no prompt: give it a system_prompt or prompt_file`, config.origin);
  }
  const definition: SubagentDefinition = {
    ...base,
    systemPrompt,
    ...(config.description !== undefined ? { description: config.description } : {}),
    ...(config.tools ? { tools: config.tools } : {}),
    ...(config.maxTurns !== undefined ? { maxTurns: config.maxTurns } : {}),
    ...(config.maxToolCalls !== undefined ? { maxToolCalls: config.maxToolCalls } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.background !== undefined ? { background: config.background } : {}),
    ...(config.model !== undefined ? { model: config.model } : {}),
    ...(config.subagents ? { subagents: config.subagents } : {}),
    ...(config.canModify !== undefined ? { canModify: config.canModify } : {}),
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
  };
  return definition;
}
