/**
 * A creature definition as a self-contained config object (the keys of
 * config.yaml): bases merged in, the prompt chain inlined, tool entries in
 * their YAML form. Sessions store it, so a creature can be rebuilt even when
 * its folder is gone.
 */
import type { CreatureDefinition } from './loader.js';
import type { ModuleConfig } from './module-entry.js';
import type { SubagentConfig } from './subagent-entry.js';
import type { ToolConfig } from './tool-entry.js';

export function configSnapshot(definition: CreatureDefinition): Record<string, unknown> {
  const { tools: _tools, subagents: _subagents, base_config: _base, system_prompt_file: _file, prompt_mode: _mode, no_inherit: _no, ...rest } = definition.config as Record<string, unknown>;
  const snapshot: Record<string, unknown> = { ...rest, name: definition.name, system_prompt: definition.systemPrompt };
  if (definition.tools.length) snapshot.tools = definition.tools.map(toolEntry);
  if (definition.subagents.length) snapshot.subagents = definition.subagents.map(subagentEntry);
  // The loader keeps trigger entries normalised (`kind`, `options`, `folder`): a config reads them with `type`.
  if (Array.isArray(rest.triggers)) snapshot.triggers = (rest.triggers as ModuleConfig[]).map(triggerEntry);
  return snapshot;
}

/** A normalised sub-agent back in config form (prompt files already read in). */
function subagentEntry(agent: SubagentConfig): string | Record<string, unknown> {
  const entry: Record<string, unknown> = { name: agent.name };
  if (agent.type === 'custom') entry.type = 'custom';
  if (agent.description !== undefined) entry.description = agent.description;
  if (agent.systemPrompt !== undefined) entry.system_prompt = agent.systemPrompt;
  if (agent.extraPrompt !== undefined) entry.extra_prompt = agent.extraPrompt;
  if (agent.tools) entry.tools = agent.tools;
  if (agent.maxTurns !== undefined) entry.max_turns = agent.maxTurns;
  if (agent.maxToolCalls !== undefined) entry.max_tool_calls = agent.maxToolCalls;
  if (agent.timeoutMs !== undefined) entry.timeout = agent.timeoutMs / 1000;
  if (agent.background !== undefined) entry.background = agent.background;
  if (agent.model !== undefined) entry.model = agent.model;
  if (agent.subagents) entry.subagents = agent.subagents;
  if (agent.canModify !== undefined) entry.can_modify = agent.canModify;
  return Object.keys(entry).length === 1 ? agent.name : entry;
}

/** A normalised trigger entry back in config form. */
function triggerEntry(entry: ModuleConfig): Record<string, unknown> {
  return {
    type: entry.kind,
    ...(entry.name !== undefined ? { name: entry.name } : {}),
    ...(entry.module ? { module: entry.kind === 'custom' ? `${entry.folder}/${entry.module}` : entry.module } : {}),
    ...(entry.exportName ? { class: entry.exportName } : {}),
    ...entry.options,
  };
}

/** A normalised tool back in the form a config file would write it. */
function toolEntry(tool: ToolConfig): string | Record<string, unknown> {
  const entry: Record<string, unknown> = { name: tool.name };
  if (tool.type !== 'builtin') entry.type = tool.type;
  if (tool.module) entry.module = tool.type === 'custom' ? `${tool.folder}/${tool.module}` : tool.module;
  if (tool.exportName) entry.class = tool.exportName;
  if (tool.timeoutMs !== undefined) entry.timeout = tool.timeoutMs / 1000;
  if (tool.maxOutputBytes !== undefined) entry.max_output = tool.maxOutputBytes;
  if (tool.workingDir !== undefined) entry.working_dir = tool.workingDir;
  if (tool.env) entry.env = tool.env;
  Object.assign(entry, tool.options);
  return Object.keys(entry).length === 1 ? tool.name : entry;
}
