/**
 * The trigger catalog: trigger kinds a config, a setup tool or a package can
 * name. `builtins/` registers the ones that ship; the engine looks kinds up
 * here and never imports a concrete trigger.
 */
import { KindRegistry } from '../kind-registry.js';
import type { TriggerDefinition } from './trigger.js';

// Options differ per kind and each definition checks its own with its schema, so the catalog holds them untyped.
export type AnyTriggerDefinition = TriggerDefinition<any>;

export class TriggerCatalog extends KindRegistry<AnyTriggerDefinition> {
  constructor() {
    super({ what: 'trigger', folder: 'triggers', duplicate: (kind) => `a trigger kind '${kind}' is already registered` });
  }
}

/** The process-wide catalog that `builtins/` fills. */
export const triggerCatalog = new TriggerCatalog();
