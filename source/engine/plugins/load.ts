/**
 * Loading plugins into a chain: validate each one's options against its
 * schema, make its instance with `setup`, then run every `onLoad`.
 *
 * A plugin that cannot load is a build error (ConfigError naming the plugin
 * and, when it came from a config file, the file, key and line); a bad
 * option names the option. Nothing half-loaded is left in the chain.
 */
import { ConfigError, type ConfigLocation } from '../errors.js';
import type { EventDraft } from '../events.js';
import type { Pricing } from '../llm/profiles/types.js';
import type { HookChain } from './chain.js';
import type { AnyPlugin } from './catalog.js';
import type { CompactionPort, InteractionPort, PluginContext, PluginDefinition, PluginState } from './define.js';

/** One plugin to load, with its options and where it was configured. */
export interface PluginSpec {
  definition: AnyPlugin;
  options?: unknown;
  /** Loaded but off until `/plugin enable` (default true). */
  enabled?: boolean;
  /** Where the entry sits in a config file, for error messages. */
  location?: ConfigLocation;
}

/** What the creature offers its plugins. */
export interface PluginHost {
  agentName: string;
  cwd: string;
  emit(draft: EventDraft): void;
  /** The creature's persistent state (the session's state table, or memory). */
  state: { get<T>(key: string): T | undefined; set(key: string, value: unknown): void };
  interactions?: InteractionPort;
  now(): number;
  pricing?(model: string): Pricing | undefined;
  compaction?: CompactionPort;
}

/** A plugin's view of the creature's state: its keys live under `plugin:<name>:`. */
export function namespacedState(host: PluginHost['state'], name: string): PluginState {
  const prefix = `plugin:${name}:`;
  return {
    get: <T>(key: string) => host.get<T>(prefix + key),
    set: (key, value) => host.set(prefix + key, value),
  };
}

/** Validate a plugin's options; the parsed value (defaults filled) or a ConfigError naming the option. */
export function pluginOptions(spec: PluginSpec): unknown {
  const { definition } = spec;
  const raw = spec.options ?? {};
  if (!definition.options) return raw;
  // jitless: validated once, so compiling zod's fast path (new Function per object schema) costs more than it saves.
  const parsed = definition.options.safeParse(raw, { jitless: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const more = parsed.error.issues.length - 1;
  const optionPath = ['options', ...(issue?.path ?? [])].filter((p): p is string | number => typeof p !== 'symbol');
  throw new ConfigError(
    `plugin '${definition.name}': ${issue?.message ?? 'invalid options'}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`,
    { ...spec.location, keyPath: [...(spec.location?.keyPath ?? []), ...optionPath] },
  );
}

export async function loadPlugins(chain: HookChain, specs: readonly PluginSpec[], host: PluginHost): Promise<void> {
  const names = new Set<string>();
  const made: Array<{ spec: PluginSpec; hooks: Awaited<ReturnType<PluginDefinition['setup']>> }> = [];
  for (const spec of specs) {
    const { name } = spec.definition;
    if (names.has(name)) throw new ConfigError(`plugin '${name}' is listed twice`, spec.location);
    names.add(name);
    const context: PluginContext<unknown> = {
      name,
      options: pluginOptions(spec),
      agentName: host.agentName,
      cwd: host.cwd,
      state: namespacedState(host.state, name),
      emit: host.emit,
      now: host.now,
      ...(host.pricing ? { pricing: host.pricing } : {}),
      ...(host.compaction ? { compaction: host.compaction } : {}),
      ...(host.interactions ? { interactions: host.interactions } : {}),
    };
    try {
      made.push({ spec, hooks: await spec.definition.setup(context) });
    } catch (error) {
      throw new ConfigError(`plugin '${name}' failed to set up: ${(error as Error).message}`, spec.location, { cause: error });
    }
  }
  for (const { spec, hooks } of made) {
    try {
      if (spec.enabled ?? true) await hooks.onLoad?.();
    } catch (error) {
      throw new ConfigError(`plugin '${spec.definition.name}' failed to load: ${(error as Error).message}`, spec.location, { cause: error });
    }
  }
  for (const { spec, hooks } of made) chain.add(spec.definition, hooks, spec.enabled ?? true);
}
