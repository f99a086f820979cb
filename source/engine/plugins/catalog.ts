/**
 * The plugin catalog: plugins a config can name without a module path.
 * `builtins/` registers the ones that ship (budget, permgate, ...); a package
 * registers its own the same way. The engine looks names up here and never
 * imports a concrete plugin.
 */
import { ConfigError, type ConfigLocation } from '../errors.js';
import { closeMatches } from '../util/close-match.js';
import type { PluginDefinition } from './define.js';

// Options differ per plugin and each definition checks its own with its schema, so the catalog holds them untyped.
export type AnyPlugin = PluginDefinition<any>;

export class PluginCatalog {
  private readonly definitions = new Map<string, AnyPlugin>();
  private readonly packs = new Map<string, string[]>();

  register(definition: AnyPlugin, { override = false } = {}): void {
    if (this.definitions.has(definition.name) && !override) throw new Error(`a plugin named '${definition.name}' is already registered`);
    this.definitions.set(definition.name, definition);
  }

  /** A `default_plugins` pack: one name standing for several plugins (`auto-compact` → `compact.auto`). */
  registerPack(name: string, plugins: string[]): void {
    this.packs.set(name, plugins);
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  names(): string[] {
    return [...this.definitions.keys()].sort();
  }

  /** The definition for `name`, or a ConfigError with close matches. */
  get(name: string, location?: ConfigLocation): AnyPlugin {
    const found = this.definitions.get(name);
    if (found) return found;
    const near = closeMatches(name, this.names());
    throw new ConfigError(`unknown plugin '${name}'${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : ''}`, location, {
      hint: `known plugins: ${this.names().join(', ') || 'none'}; a custom one is { name, module: ./plugins/x.js }`,
    });
  }

  /** The plugins a pack stands for; a plugin name stands for itself. */
  expandPack(name: string, location?: ConfigLocation): string[] {
    const pack = this.packs.get(name);
    if (pack) return pack;
    this.get(name, location);
    return [name];
  }
}

/** The process-wide catalog that `builtins/` fills. */
export const pluginCatalog = new PluginCatalog();
