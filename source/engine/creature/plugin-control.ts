/**
 * A creature's plugins at run time (`agent.plugins`, `/plugin`): list what
 * is loaded and what the catalog offers, switch plugins on and off, and set
 * one up again with new options. A catalog plugin that was never configured
 * is loaded (with its default options) the first time it is enabled.
 */
import { UsageError } from '../errors.js';
import type { PluginCatalog } from '../plugins/catalog.js';
import type { HookChain, PluginInfo } from '../plugins/chain.js';
import type { PluginCommand } from '../plugins/hooks.js';
import { loadPlugins, pluginOptions, type PluginHost } from '../plugins/load.js';

export interface PluginListing extends PluginInfo {
  /** False for a catalog plugin this creature has not loaded yet. */
  loaded: boolean;
}

export class PluginControl {
  constructor(
    private readonly chain: HookChain,
    private readonly host: PluginHost,
    private readonly catalog: PluginCatalog,
  ) {}

  /** Loaded plugins in priority order, then catalog plugins not loaded (off). */
  list(): PluginListing[] {
    const loaded = this.chain.list().map((p) => ({ ...p, loaded: true }));
    const names = new Set(loaded.map((p) => p.name));
    const available = this.catalog
      .names()
      .filter((name) => !names.has(name))
      .map((name) => {
        const definition = this.catalog.get(name);
        return {
          name,
          ...(definition.description ? { description: definition.description } : {}),
          priority: definition.priority ?? 50,
          enabled: false,
          hooks: [],
          loaded: false,
        };
      });
    return [...loaded, ...available];
  }

  async enable(name: string): Promise<void> {
    if (this.chain.setEnabled(name, true)) return;
    if (!this.catalog.has(name)) throw this.unknown(name);
    await loadPlugins(this.chain, [{ definition: this.catalog.get(name) }], this.host);
  }

  disable(name: string): void {
    if (!this.chain.setEnabled(name, false)) throw this.unknown(name);
  }

  /** Load `name` from the catalog with these options, replacing the loaded one. */
  async configure(name: string, options: Record<string, unknown>): Promise<void> {
    const definition = this.catalog.get(name);
    // Bad options are refused before the loaded plugin is taken out, so a failed change leaves it as it was.
    pluginOptions({ definition, options });
    await this.chain.remove(name);
    await loadPlugins(this.chain, [{ definition, options }], this.host);
  }

  /** Slash commands the enabled plugins offer (`/undo` from `checkpoint`), by name. */
  commands(): Record<string, PluginCommand & { plugin: string }> {
    return this.chain.commands();
  }

  has(name: string): boolean {
    return this.chain.loaded(name);
  }

  private unknown(name: string): UsageError {
    return new UsageError(`no plugin named '${name}'`, { hint: `known: ${this.list().map((p) => p.name).join(', ') || 'none'}` });
  }
}
