/**
 * The plugins that ship with kohakuterrarium, registered by name so a
 * creature config can list them without a module path.
 */
import type { PluginCatalog } from '../../engine/plugins/catalog.js';
import { budgetPlugin } from './budget.js';
import { checkpointPlugin } from './checkpoint.js';
import { circuitBreakerPlugin } from './circuit-breaker.js';
import { compactAutoPlugin } from './compact-auto.js';
import { contextFilesPlugin } from './context-files.js';
import { costTrackerPlugin } from './cost-tracker.js';
import { eventLoggerPlugin } from './event-logger.js';
import { permgatePlugin } from './permgate.js';
import { sandboxPlugin } from './sandbox.js';
import { terminationGoalPlugin } from './termination-goal.js';

export const builtinPlugins = [
  budgetPlugin,
  eventLoggerPlugin,
  costTrackerPlugin,
  compactAutoPlugin,
  permgatePlugin,
  sandboxPlugin,
  checkpointPlugin,
  circuitBreakerPlugin,
  contextFilesPlugin,
  terminationGoalPlugin,
] as const;

export function registerBuiltinPlugins(catalog: PluginCatalog): void {
  for (const definition of builtinPlugins) if (!catalog.has(definition.name)) catalog.register(definition);
  catalog.registerPack('auto-compact', ['compact.auto']);
}
