/**
 * Fill the engine's registries with what ships in the box: the built-in
 * tools, triggers and sub-agents and the bundled `@kt-biome` creature pack. Importing this module
 * registers them (idempotently); the library entry and the CLI both do.
 */
import { registerBundledPackage } from '../engine/packages/registry.js';
import { subagentCatalog } from '../engine/creature/subagent-catalog.js';
import { pluginCatalog } from '../engine/plugins/catalog.js';
import { toolCatalog } from '../engine/tools/catalog.js';
import { triggerCatalog } from '../engine/triggers/catalog.js';
import { ioCatalog } from '../engine/io/catalog.js';
import { registerBuiltinIo } from './io/index.js';
import { rememberYamlParses } from '../engine/util/known-yaml.js';
import { packParses } from './pack-parses.js';
import { bundledBiomeRoot } from './package-root.js';
import { registerBuiltinPlugins } from './plugins/index.js';
import { registerBuiltinSubagents } from './subagents/index.js';
import { registerBuiltinTools } from './tools/index.js';
import { registerBuiltinTriggers } from './triggers/index.js';

export { builtinToolFactories, registerBuiltinTools } from './tools/index.js';
export { builtinSubagents, registerBuiltinSubagents } from './subagents/index.js';
export { builtinPlugins, registerBuiltinPlugins } from './plugins/index.js';
export { builtinTriggers, registerBuiltinTriggers } from './triggers/index.js';
export { bundledBiomeRoot, packageRoot } from './package-root.js';
export { builtinInputs, builtinOutputs, registerBuiltinIo } from './io/index.js';

let installed = false;

/** Register built-in tools, sub-agents and bundled packages. Safe to call more than once. */
export function installBuiltins(): void {
  if (installed) return;
  installed = true;
  registerBuiltinTools(toolCatalog);
  registerBuiltinSubagents(subagentCatalog);
  registerBuiltinPlugins(pluginCatalog);
  registerBuiltinTriggers(triggerCatalog);
  registerBuiltinIo(ioCatalog);
  rememberYamlParses(packParses);
  registerBundledPackage('kt-biome', bundledBiomeRoot());
}

installBuiltins();
