/**
 * `base_config` inheritance, applied one layer at a time (base first):
 * - scalars: the child wins; a missing or null child value never overrides;
 * - mappings (`controller`, `termination`, ...): shallow merge;
 * - identity lists (`tools`, `subagents`, `plugins`, `mcp_servers`,
 *   `triggers`): union by entry name, a child entry replacing its base entry
 *   in place, new entries appended;
 * - other lists: replaced;
 * - `no_inherit: [keys]` drops the base value of those keys;
 * - identity keys (`name`, `description`, `version`) are never inherited.
 * The system prompt chain is assembled separately (see prompt-chain.ts).
 */
import type { CreatureLayer } from './schema.js';
import { IDENTITY_LISTS } from './schema.js';
import type { PluginConfig } from './plugin-entry.js';
import type { SubagentConfig } from './subagent-entry.js';
import type { ToolConfig } from './tool-entry.js';
import type { ModuleConfig, OutputConfig } from './module-entry.js';

export type LayerConfig = Omit<CreatureLayer, 'tools' | 'subagents' | 'plugins' | 'triggers' | 'input' | 'output'> & {
  tools?: ToolConfig[];
  subagents?: SubagentConfig[];
  plugins?: PluginConfig[];
  triggers?: ModuleConfig[];
  input?: ModuleConfig;
  output?: OutputConfig;
};

const NOT_INHERITED = new Set(['name', 'version', 'description', 'base_config', 'no_inherit', 'prompt_mode', 'system_prompt_file']);
const IDENTITY = new Set<string>(IDENTITY_LISTS);

export function mergeLayer(base: LayerConfig, child: LayerConfig): LayerConfig {
  const out: Record<string, unknown> = {};
  const b = base as Record<string, unknown>;
  const c = child as Record<string, unknown>;
  const dropped = new Set(child.no_inherit ?? []);
  if (child.prompt_mode === 'replace') dropped.add('system_prompt');

  for (const key of new Set([...Object.keys(b), ...Object.keys(c)])) {
    const childValue = c[key];
    const baseValue = NOT_INHERITED.has(key) || dropped.has(key) ? undefined : b[key];
    if (childValue === undefined || childValue === null) {
      if (baseValue !== undefined) out[key] = baseValue;
      continue;
    }
    if (IDENTITY.has(key) && Array.isArray(baseValue) && Array.isArray(childValue)) {
      out[key] = mergeByName(baseValue, childValue);
    } else if (isPlainObject(baseValue) && isPlainObject(childValue)) {
      out[key] = { ...baseValue, ...childValue };
    } else {
      out[key] = childValue;
    }
  }
  return out as LayerConfig;
}

/** Union by `name`; the child's entry takes the base entry's place. */
export function mergeByName<T>(base: readonly T[], child: readonly T[]): T[] {
  const out = [...base];
  for (const item of child) {
    const name = entryName(item);
    const at = name === undefined ? -1 : out.findIndex((existing) => entryName(existing) === name);
    if (at >= 0) out[at] = item;
    else out.push(item);
  }
  return out;
}

function entryName(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (isPlainObject(item) && typeof item.name === 'string') return item.name;
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
