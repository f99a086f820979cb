/**
 * Sub-agent entries in a normal form. A bare string names a built-in
 * sub-agent; a mapping either adjusts a built-in (same name: its keys
 * override) or, with a `system_prompt` / `prompt_file` and a name no
 * built-in has, defines one inline. Prompt files are read here, relative to
 * the config file that names them, so a missing one fails with its line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigLocation } from '../errors.js';
import type { SubagentEntry } from './schema.js';
import type { YamlSource } from './yaml-source.js';

export interface SubagentConfig {
  name: string;
  /** `builtin` adjusts (or just names) a built-in; `custom` is defined by this entry alone. */
  type: 'builtin' | 'custom';
  description?: string;
  /** The whole prompt (replaces a built-in's). */
  systemPrompt?: string;
  /** Added after the prompt. */
  extraPrompt?: string;
  tools?: string[];
  maxTurns?: number;
  maxToolCalls?: number;
  timeoutMs?: number;
  background?: boolean;
  model?: string;
  subagents?: string[];
  canModify?: boolean;
  temperature?: number;
  origin: ConfigLocation;
}

export function normalizeSubagentEntries(
  entries: readonly SubagentEntry[] | undefined,
  source: Pick<YamlSource, 'file' | 'locate'>,
  folder: string,
): SubagentConfig[] | undefined {
  if (!entries) return undefined;
  return entries.map((entry, index) => {
    const at = (...keys: Array<string | number>): ConfigLocation => {
      const keyPath = ['subagents', index, ...keys];
      const pos = source.locate(keyPath);
      return { file: source.file, keyPath, ...(pos ? { line: pos.line, column: pos.column } : {}) };
    };
    const origin = at();
    if (typeof entry === 'string') return { name: entry, type: 'builtin', origin };
    const read = (key: 'prompt_file' | 'extra_prompt_file', file: string) => {
      try {
        return readFileSync(resolve(folder, file), 'utf8').trim();
      } catch {
        throw new ConfigError(`prompt file '${file}' not found (looked in ${folder})`, at(key));
      }
    };
    const systemPrompt = entry.system_prompt ?? (entry.prompt_file ? read('prompt_file', entry.prompt_file) : undefined);
    const extraPrompt = entry.extra_prompt ?? (entry.extra_prompt_file ? read('extra_prompt_file', entry.extra_prompt_file) : undefined);
    const config: SubagentConfig = {
      name: entry.name,
      // Without an explicit type: a prompt of its own makes it custom, unless it overrides a built-in of that name (decided at build).
      type: entry.type === 'custom' ? 'custom' : 'builtin',
      origin,
    };
    if (entry.type === undefined && systemPrompt !== undefined) config.type = 'custom';
    if (entry.description !== undefined) config.description = entry.description;
    if (systemPrompt !== undefined) config.systemPrompt = systemPrompt;
    if (extraPrompt !== undefined) config.extraPrompt = extraPrompt;
    if (entry.tools) config.tools = entry.tools;
    if (entry.max_turns !== undefined) config.maxTurns = entry.max_turns;
    if (entry.max_tool_calls !== undefined) config.maxToolCalls = entry.max_tool_calls;
    if (entry.timeout !== undefined) config.timeoutMs = entry.timeout * 1000;
    if (entry.background !== undefined) config.background = entry.background;
    if (entry.model !== undefined) config.model = entry.model;
    if (entry.subagents) config.subagents = entry.subagents;
    if (entry.can_modify !== undefined) config.canModify = entry.can_modify;
    if (entry.temperature !== undefined) config.temperature = entry.temperature;
    return config;
  });
}
