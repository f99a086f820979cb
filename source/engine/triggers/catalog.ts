/**
 * The trigger catalog: trigger kinds a config, a setup tool or a package can
 * name. `builtins/` registers the ones that ship; the engine looks kinds up
 * here and never imports a concrete trigger.
 */
import { ConfigError, type ConfigLocation } from '../errors.js';
import { closeMatches } from '../util/close-match.js';
import type { TriggerDefinition } from './trigger.js';

// Options differ per kind and each definition checks its own with its schema, so the catalog holds them untyped.
export type AnyTriggerDefinition = TriggerDefinition<any>;

export class TriggerCatalog {
  private readonly definitions = new Map<string, AnyTriggerDefinition>();

  register(definition: AnyTriggerDefinition, { override = false } = {}): void {
    if (this.definitions.has(definition.kind) && !override) throw new Error(`a trigger kind '${definition.kind}' is already registered`);
    this.definitions.set(definition.kind, definition);
  }

  has(kind: string): boolean {
    return this.definitions.has(kind);
  }

  kinds(): string[] {
    return [...this.definitions.keys()].sort();
  }

  /** The definition of `kind`, or a ConfigError with close matches. */
  get(kind: string, location?: ConfigLocation): AnyTriggerDefinition {
    const found = this.definitions.get(kind);
    if (found) return found;
    const near = closeMatches(kind, this.kinds());
    throw new ConfigError(`unknown trigger type '${kind}'${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : ''}`, location, {
      hint: `known trigger types: ${this.kinds().join(', ') || 'none'}; a custom one is { type: custom, module: ./triggers/x.js }`,
    });
  }
}

/** The process-wide catalog that `builtins/` fills. */
export const triggerCatalog = new TriggerCatalog();
