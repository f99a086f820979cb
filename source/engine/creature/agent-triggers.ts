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
import { ConfigError } from '../errors.js';
import type { EventDraft } from '../events.js';
import type { TriggerControl } from '../tools/runtime.js';
import { triggerCatalog as defaultCatalog, type TriggerCatalog } from '../triggers/catalog.js';
import { TriggerManager } from '../triggers/manager.js';
import type { TriggerRow } from '../triggers/persist.js';
import type { FireOutcome, Trigger, TriggerEnv, TriggerFire, TriggerInfo } from '../triggers/trigger.js';
import type { CreatureContext } from './context.js';
import { importModule } from './module-export.js';

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

/**
 * A trigger from the user's module. The export may be a trigger object
 * (`{kind, start}`), a definition (`{kind, options, create}`), a class, or a
 * factory function; the last three get the entry's options.
 */
async function customTrigger(entry: ModuleConfig, env: TriggerEnv): Promise<Trigger> {
  if (!entry.module) throw new ConfigError('a custom trigger needs a module (a JS file exporting the trigger)', entry.origin);
  const { path, exports } = await importModule(entry.folder, entry.module, entry.origin, 'trigger');
  const exportName = entry.exportName ?? 'default';
  const value = exports[exportName];
  const bad = (why: string) =>
    new ConfigError(`${path} ${why}`, entry.origin, {
      hint: 'export a trigger ({ kind, start(ctx) }), a definition ({ kind, options, create(options) }), a class or a factory function',
    });
  if (value === undefined) throw bad(`has no export '${exportName}'`);
  let made: unknown = value;
  if (typeof value === 'function') {
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
    made = isClass ? new (value as new (o: unknown, e: TriggerEnv) => unknown)(entry.options, env) : (value as (o: unknown, e: TriggerEnv) => unknown)(entry.options, env);
  } else if (isRecord(value) && typeof value.create === 'function' && isRecord(value.options) && typeof (value.options as { safeParse?: unknown }).safeParse === 'function') {
    const parsed = (value.options as { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: Array<{ message: string; path: PropertyKey[] }> } } }).safeParse(entry.options);
    if (!parsed.success) {
      const issue = parsed.error?.issues[0];
      throw new ConfigError(`bad options for trigger '${entry.name ?? entry.module}': ${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid'}`, entry.origin);
    }
    made = (value.create as (o: unknown, e: TriggerEnv) => unknown)(parsed.data, env);
  }
  made = await made;
  if (!isRecord(made) || typeof made.start !== 'function') throw bad(`export '${exportName}' is not a trigger (it has no start(ctx) method)`);
  if (typeof made.kind !== 'string') (made as { kind: string }).kind = entry.name ?? 'custom';
  return made as unknown as Trigger;
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  used.add(id);
  return id;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
