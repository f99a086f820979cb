/**
 * Which plugins a creature runs, from everywhere they can come from, in one
 * list: `default_plugins` packs, the config's `plugins:` (catalog names or
 * custom modules), then plugins given in code (`Agent.build(ref, {plugins})`,
 * `kt run --plugin`). A later source replaces an earlier plugin of the same
 * name, so code can re-option what a config set.
 */
import type { CreatureDefinition } from '../config/loader.js';
import type { PluginConfig } from '../config/plugin-entry.js';
import { ConfigError } from '../errors.js';
import type { AnyPlugin, PluginCatalog } from '../plugins/catalog.js';
import type { PluginSpec } from '../plugins/load.js';
import { importModule } from './module-export.js';

/** A plugin given in code: a definition, or a name or definition with options. */
export type PluginUse = AnyPlugin | { plugin: AnyPlugin | string; options?: Record<string, unknown>; enabled?: boolean };

export async function pluginSpecs(definition: CreatureDefinition, fromCode: readonly PluginUse[], catalog: PluginCatalog): Promise<PluginSpec[]> {
  const specs = new Map<string, PluginSpec>();
  const put = (spec: PluginSpec) => {
    specs.delete(spec.definition.name);
    specs.set(spec.definition.name, spec);
  };
  definition.defaultPlugins.forEach((pack, index) => {
    const location = { ...(definition.configFile ? { file: definition.configFile } : {}), keyPath: ['default_plugins', index] };
    for (const name of catalog.expandPack(pack, location)) put({ definition: catalog.get(name, location), location });
  });
  for (const entry of definition.plugins) put(await configured(entry, catalog));
  for (const use of fromCode) put(fromUse(use, catalog));
  return [...specs.values()];
}

async function configured(entry: PluginConfig, catalog: PluginCatalog): Promise<PluginSpec> {
  const base = entry.type === 'custom' || entry.module ? await loadModule(entry) : catalog.get(entry.name, entry.origin);
  const definition = entry.priority !== undefined ? { ...base, priority: entry.priority } : base;
  return { definition, options: entry.options, enabled: entry.enabled, location: entry.origin };
}

function fromUse(use: PluginUse, catalog: PluginCatalog): PluginSpec {
  if (isDefinition(use)) return { definition: use };
  const definition = typeof use.plugin === 'string' ? catalog.get(use.plugin) : use.plugin;
  return { definition, ...(use.options ? { options: use.options } : {}), ...(use.enabled !== undefined ? { enabled: use.enabled } : {}) };
}

/** A JS module exporting a `plugin()` definition (default export, or the one the entry names), or a function returning one. */
async function loadModule(entry: PluginConfig): Promise<AnyPlugin> {
  if (!entry.module) throw new ConfigError(`custom plugin '${entry.name}' needs a 'module' path`, entry.origin);
  const { path, exports: loaded } = await importModule(entry.folder, entry.module, entry.origin, 'plugin');
  const name = entry.exportName ?? 'default';
  let exported = loaded[name] ?? (entry.exportName ? undefined : loaded['plugin']);
  if (typeof exported === 'function' && !isDefinition(exported)) exported = (exported as () => unknown)();
  if (!isDefinition(exported)) {
    throw new ConfigError(`module ${path} has no plugin export '${name}' (expected plugin({ name, setup }) or a function returning one)`, entry.origin);
  }
  // The config's name is the one the creature knows it by (in /plugin and in its state).
  return exported.name === entry.name ? exported : { ...exported, name: entry.name };
}

function isDefinition(value: unknown): value is AnyPlugin {
  const v = value as AnyPlugin | undefined;
  return !!v && typeof v === 'object' && typeof v.name === 'string' && typeof v.setup === 'function';
}
