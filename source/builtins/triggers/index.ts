/**
 * The triggers that ship: registered in the trigger catalog by kind, so a
 * config's `triggers:` entry, a setup tool or `agent.addTrigger` can name them.
 */
import { type TriggerCatalog, triggerCatalog } from '../../engine/triggers/catalog.js';
import type { AnyTriggerDefinition } from '../../engine/triggers/catalog.js';
import { channelTrigger } from './channel.js';
import { contextTrigger } from './context.js';
import { fileWatchTrigger } from './file-watch.js';
import { cronTrigger, schedulerTrigger } from './scheduler.js';
import { startupTrigger } from './startup.js';
import { timerDefinition } from './timer.js';
import { webhookTrigger } from './webhook.js';

export { channelTrigger, contextTrigger, cronTrigger, fileWatchTrigger, schedulerTrigger, startupTrigger, timerDefinition, webhookTrigger };
export { parseDuration } from './duration.js';

export const builtinTriggers: AnyTriggerDefinition[] = [
  timerDefinition(),
  schedulerTrigger,
  cronTrigger,
  contextTrigger,
  channelTrigger,
  startupTrigger,
  webhookTrigger,
  fileWatchTrigger,
];

/** Register the built-in kinds; kinds already taken (a package's own on purpose) are left alone. */
export function registerBuiltinTriggers(catalog: TriggerCatalog = triggerCatalog): void {
  for (const definition of builtinTriggers) if (!catalog.has(definition.kind)) catalog.register(definition);
}
