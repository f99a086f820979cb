/**
 * Plugin entries in a normal form. A bare string names a plugin from the
 * catalog (built-in or registered by a package); a mapping may add options,
 * switch it off, change its priority, or point at a custom module.
 */
import type { ConfigLocation } from '../errors.js';
import type { PluginEntry } from './schema.js';
import type { YamlSource } from './yaml-source.js';

export interface PluginConfig {
  name: string;
  type: 'builtin' | 'custom' | 'package';
  /** For `custom`: a JS module path relative to `folder`. */
  module?: string;
  /** For `custom`: the export to use (default export when absent). */
  exportName?: string;
  options: Record<string, unknown>;
  enabled: boolean;
  priority?: number;
  /** Folder of the config file that declared this entry. */
  folder: string;
  origin: ConfigLocation;
}

export function normalizePluginEntries(
  entries: readonly PluginEntry[] | undefined,
  source: Pick<YamlSource, 'file' | 'locate'>,
  folder: string,
): PluginConfig[] | undefined {
  if (!entries) return undefined;
  return entries.map((entry, index) => {
    const keyPath = ['plugins', index];
    const pos = source.locate(keyPath);
    const origin: ConfigLocation = { file: source.file, keyPath, ...(pos ? { line: pos.line, column: pos.column } : {}) };
    if (typeof entry === 'string') return { name: entry, type: 'builtin', options: {}, enabled: true, folder, origin };
    const plugin: PluginConfig = {
      name: entry.name,
      type: entry.type ?? (entry.module ? 'custom' : 'builtin'),
      options: entry.options ?? {},
      enabled: entry.enabled ?? true,
      folder,
      origin,
    };
    if (entry.module) plugin.module = entry.module;
    const exportName = entry.class ?? entry.class_name;
    if (exportName) plugin.exportName = exportName;
    if (entry.priority !== undefined) plugin.priority = entry.priority;
    return plugin;
  });
}
