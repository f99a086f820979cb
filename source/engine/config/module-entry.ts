/**
 * Trigger, input and output entries in a normal form. As in the original,
 * every key outside an entry's reserved set is an option for the module
 * (`{type: timer, interval: 600, prompt: ...}`); a nested `options:` mapping
 * is merged in too. The module's own schema checks the options at build,
 * where a bad one is reported with this entry's file and line.
 */
import type { ConfigLocation } from '../errors.js';
import type { YamlSource } from './yaml-source.js';

/** A configured trigger, input or output module. */
export interface ModuleConfig {
  /** A catalog type (`timer`, `webhook`, `file`), or `custom` for a module file. */
  kind: string;
  /** The entry's `name` (a trigger's stable id; the inheritance key). */
  name?: string;
  /** For `custom`: a JS module path relative to `folder`. */
  module?: string;
  /** For `custom`: the export to use (default export when absent). */
  exportName?: string;
  options: Record<string, unknown>;
  /** Folder of the config file that declared this entry. */
  folder: string;
  origin: ConfigLocation;
}

/** `output:` — the main output and the named ones the model writes to with `[/output_<name>]` blocks. */
export interface OutputConfig extends ModuleConfig {
  named: Record<string, ModuleConfig>;
}

const RESERVED = new Set(['type', 'name', 'module', 'class', 'options']);
const OUTPUT_RESERVED = new Set([...RESERVED, 'named_outputs', 'controller_direct']);

type Source = Pick<YamlSource, 'file' | 'locate'>;

export function normalizeModuleEntry(entry: unknown, keyPath: Array<string | number>, source: Source, folder: string, reserved = RESERVED): ModuleConfig {
  const pos = source.locate(keyPath);
  const origin: ConfigLocation = { file: source.file, keyPath, ...(pos ? { line: pos.line, column: pos.column } : {}) };
  if (typeof entry === 'string') return { kind: entry, options: {}, folder, origin };
  const record = entry as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  const nested = record.options;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) Object.assign(options, nested);
  for (const [key, value] of Object.entries(record)) if (!reserved.has(key)) options[key] = value;
  const module = typeof record.module === 'string' ? record.module : undefined;
  const kind = typeof record.type === 'string' ? record.type : module ? 'custom' : '';
  const config: ModuleConfig = { kind, options, folder, origin };
  if (typeof record.name === 'string') config.name = record.name;
  if (module) config.module = module;
  if (typeof record.class === 'string') config.exportName = record.class;
  return config;
}

export function normalizeTriggerEntries(entries: readonly unknown[] | undefined, source: Source, folder: string): ModuleConfig[] | undefined {
  return entries?.map((entry, index) => normalizeModuleEntry(entry, ['triggers', index], source, folder));
}

export function normalizeOutputEntry(entry: unknown, source: Source, folder: string): OutputConfig | undefined {
  if (entry === undefined) return undefined;
  const main = normalizeModuleEntry(entry, ['output'], source, folder, OUTPUT_RESERVED);
  const named: Record<string, ModuleConfig> = {};
  const declared = typeof entry === 'object' && entry ? (entry as Record<string, unknown>).named_outputs : undefined;
  if (declared && typeof declared === 'object') {
    for (const [name, value] of Object.entries(declared)) named[name] = { ...normalizeModuleEntry(value, ['output', 'named_outputs', name], source, folder), name };
  }
  return { ...main, kind: main.kind || 'stdout', named };
}
