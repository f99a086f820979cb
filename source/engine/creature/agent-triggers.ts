/**
 * A creature's triggers, wired at build: the manager, the channel hub the
 * creature listens on (its own, with its direct channel, unless a terrarium
 * hands it a shared one), the configured triggers resolved against the
 * catalog (or loaded from their module), and the port setup tools use.
 *
 * Fires become turns in the Agent's lane, which exists only once the Agent
 * does: `delivery.deliver` is pointed at it by the Agent's constructor, and
 * until then a fire is refused (nothing can fire before `start()` anyway).
 */
import { ChannelHub } from '../channels/hub.js';
import type { CreatureDefinition } from '../config/loader.js';
import type { ModuleConfig } from '../config/module-entry.js';
import type { EventDraft } from '../events.js';
import type { TriggerControl } from '../tools/runtime.js';
import { triggerCatalog as defaultCatalog, type TriggerCatalog } from '../triggers/catalog.js';
import { TriggerManager } from '../triggers/manager.js';
import type { TriggerRow } from '../triggers/persist.js';
import type { FireOutcome, Trigger, TriggerEnv, TriggerFire, TriggerInfo } from '../triggers/trigger.js';
import type { CreatureContext } from './context.js';
import { isRecord, moduleInstance } from './module-instance.js';

/** Session state group of the creature's triggers (one row per trigger). */
const STATE_KEY = 'trigger';

export interface TriggerWiring {
  manager: TriggerManager;
  channels: ChannelHub;
  delivery: { deliver: (fire: TriggerFire, trigger: TriggerInfo) => FireOutcome };
  control: TriggerControl;
  catalog: TriggerCatalog;
}

export interface TriggerWiringInput {
  definition: CreatureDefinition;
  cwd: string;
  context: CreatureContext;
  emit(draft: EventDraft): void;
  catalog?: TriggerCatalog;
  channels?: ChannelHub;
}

export function wireTriggers(input: TriggerWiringInput): TriggerWiring {
  const { definition, context } = input;
  const catalog = input.catalog ?? defaultCatalog;
  const channels = input.channels ?? new ChannelHub(() => context.clock.now());
  // A creature always listens on its own direct channel.
  channels.define(definition.name, { description: `direct messages to ${definition.name}` });
  const delivery: TriggerWiring['delivery'] = { deliver: () => ({ accepted: false }) };
  const manager = new TriggerManager({
    creature: definition.name,
    clock: context.clock,
    channels,
    env: { folder: definition.folder, cwd: input.cwd },
    catalog,
    store: {
      load: () => context.session.records<TriggerRow>(STATE_KEY),
      save: (id, row) => context.session.setRecord(STATE_KEY, id, row),
    },
    deliver: (fire, trigger) => delivery.deliver(fire, trigger),
    emit: input.emit,
  });
  const control: TriggerControl = {
    creature: definition.name,
    add: (kind, options, settings = {}) => manager.addKind(kind, options, { origin: 'tool', ...(settings.name ? { name: settings.name } : {}) }),
    remove: (id) => manager.remove(id),
    list: () => manager.list(),
    channels: () => channels.list().map((c) => c.name),
    now: () => context.clock.now(),
  };
  return { manager, channels, delivery, control, catalog };
}

/** Resolve the configured triggers and register them (they start with the creature). Bad entries throw ConfigError. */
export async function addConfigTriggers(wiring: TriggerWiring, definition: CreatureDefinition, cwd: string): Promise<void> {
  const used = new Set<string>();
  for (const entry of definition.triggers) {
    const id = uniqueId(entry.name ?? entry.kind, used);
    const add = { id, name: entry.name ?? id, origin: 'config' as const, location: entry.origin };
    if (entry.kind === 'custom' || entry.module) {
      const trigger = await customTrigger(entry, { folder: entry.folder, cwd });
      await wiring.manager.add(trigger, add);
    } else {
      await wiring.manager.addKind(entry.kind, entry.options, add);
    }
  }
}

/** A trigger from the user's module (see module-instance.ts for the export forms). */
function customTrigger(entry: ModuleConfig, env: TriggerEnv): Promise<Trigger> {
  return moduleInstance<Trigger>(entry, env, {
    what: 'trigger',
    missingModule: 'a custom trigger needs a module (a JS file exporting the trigger)',
    hint: 'export a trigger ({ kind, start(ctx) }), a definition ({ kind, options, create(options) }), a class or a factory function',
    optionsOf: `trigger '${entry.name ?? entry.module}'`,
    mismatch: (made) => (isRecord(made) && typeof made.start === 'function' ? undefined : 'is not a trigger (it has no start(ctx) method)'),
  });
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  used.add(id);
  return id;
}
