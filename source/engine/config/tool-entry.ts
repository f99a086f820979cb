/**
 * Tool entries in a normal form. A bare string is a builtin by name (the
 * original crashed on this form; here it is the common case). In the dict
 * form, keys the executor owns are lifted out and every other key becomes
 * an option for the tool's factory.
 */
import { formatKeyPath, type ConfigLocation } from '../errors.js';
import { editDistance } from '../util/close-match.js';
import type { ToolEntry } from './schema.js';
import type { ConfigWarning } from './validate.js';
import type { YamlSource } from './yaml-source.js';

export interface ToolConfig {
  name: string;
  type: 'builtin' | 'custom' | 'package' | 'trigger';
  /** For `custom`: a JS module path relative to the creature folder. */
  module?: string;
  /** For `custom`: the export to use (default export when absent). */
  exportName?: string;
  options: Record<string, unknown>;
  timeoutMs?: number;
  maxOutputBytes?: number;
  workingDir?: string;
  env?: Record<string, string>;
  /** Folder of the config file that declared this entry. */
  folder: string;
  /** Where the entry was written, for build-time errors. */
  origin: ConfigLocation;
}

const RESERVED = new Set([
  'name',
  'type',
  'module',
  'class',
  'doc',
  'timeout',
  'max_output',
  'working_dir',
  'env',
  'options',
  'notify_controller_on_background_complete',
]);

export function normalizeToolEntries(
  entries: readonly ToolEntry[] | undefined,
  source: Pick<YamlSource, 'file' | 'locate'>,
  folder: string,
  warnings: ConfigWarning[] = [],
): ToolConfig[] | undefined {
  if (!entries) return undefined;
  return entries.map((entry, index) => {
    const keyPath = ['tools', index];
    const pos = source.locate(keyPath);
    const origin: ConfigLocation = { file: source.file, keyPath, ...(pos ? { line: pos.line, column: pos.column } : {}) };
    if (typeof entry === 'string') return { name: entry, type: 'builtin', options: {}, folder, origin };

    const options: Record<string, unknown> = {};
    const nested = (entry as Record<string, unknown>).options;
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) Object.assign(options, nested);
    for (const [key, value] of Object.entries(entry)) {
      if (RESERVED.has(key)) continue;
      options[key] = value;
      warnIfMisspelled(key, [...keyPath, key], source, warnings);
    }

    const tool: ToolConfig = { name: entry.name, type: entry.type ?? (entry.module ? 'custom' : 'builtin'), options, folder, origin };
    if (entry.module) tool.module = entry.module;
    if (entry.class) tool.exportName = entry.class;
    if (entry.timeout !== undefined) tool.timeoutMs = entry.timeout * 1000;
    if (entry.max_output !== undefined) tool.maxOutputBytes = entry.max_output;
    if (entry.working_dir !== undefined) tool.workingDir = entry.working_dir;
    if (entry.env) tool.env = entry.env;
    return tool;
  });
}

/**
 * Any key can be a tool option, so an unknown one is not an error; but one a
 * letter or two away from a key the executor owns (`timout`) is almost
 * surely that key mistyped, and would otherwise be silently lost.
 */
function warnIfMisspelled(key: string, keyPath: Array<string | number>, source: Pick<YamlSource, 'file' | 'locate'>, warnings: ConfigWarning[]): void {
  if (key.length < 3) return;
  const near = [...RESERVED].filter((reserved) => editDistance(key.toLowerCase(), reserved) <= (key.length < 6 ? 1 : 2));
  if (!near.length) return;
  const pos = source.locate(keyPath);
  warnings.push({
    message: `key '${formatKeyPath(keyPath)}' is not a tool setting and is passed to the tool as an option (did you mean: ${near.join(', ')}?)`,
    file: source.file,
    keyPath,
    ...(pos ? { line: pos.line } : {}),
  });
}
