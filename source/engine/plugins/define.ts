/**
 * What a plugin is: a name, a priority, where it applies, a schema for its
 * options, and a `setup` that makes one instance of its hooks per creature.
 *
 * Instances, not a shared object: two creatures (or a creature and its
 * sub-agents' chains) each get their own hooks and their own state, so a
 * budget counted for one never leaks into another.
 */
import type { z } from 'zod';
import type { EventDraft } from '../events.js';
import type { Pricing } from '../llm/profiles/types.js';
import type { PluginHooks } from './hooks.js';

/** Where a plugin applies; absent lists mean everywhere. */
export interface AppliesTo {
  /** Creature or sub-agent names (the last entry of the agent path). */
  agents?: readonly string[];
  /** Regular expressions matched against the model id (`provider/preset@variation`). */
  models?: ReadonlyArray<string | RegExp>;
}

/** State kept in the session, under the plugin's own namespace. */
export interface PluginState {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/** A question put to whoever answers for the creature (a person, a web page, a test). */
export interface InteractionPort {
  request(kind: 'approval' | 'ask' | 'confirm' | 'select', payload: Record<string, unknown>, signal?: AbortSignal): Promise<unknown>;
}

/** The creature's compactor as plugins see it. */
export interface CompactionPort {
  /** Start a compaction when `promptTokens` passes `threshold` (a fraction of the window; default the creature's own). */
  request(promptTokens: number, options?: { threshold?: number; minMessages?: number }): Promise<{ started: boolean; reason?: string }>;
}

/** What the creature gives each plugin instance. */
export interface PluginContext<Options = Record<string, unknown>> {
  /** The plugin's name. */
  name: string;
  options: Options;
  /** The creature this instance serves. */
  agentName: string;
  cwd: string;
  state: PluginState;
  /** Emit an event on the creature's stream (a warning, a status line). */
  emit(draft: EventDraft): void;
  /** Present when the creature has someone to ask. */
  interactions?: InteractionPort;
  /** The creature's clock (epoch ms); tests pass a fake one. */
  now(): number;
  /** What a model costs per million tokens, when known (`provider/preset` as hooks report it). */
  pricing?(model: string): Pricing | undefined;
  /** Present when the creature can compact its conversation. */
  compaction?: CompactionPort;
}

export interface PluginDefinition<Options = Record<string, unknown>> {
  name: string;
  description?: string;
  /** Lower runs first in `pre*` hooks and last in `post*` hooks (default 50). */
  priority?: number;
  appliesTo?: AppliesTo;
  /** Validates the options from config or code; its defaults fill what is missing. */
  options?: z.ZodType<Options>;
  setup(context: PluginContext<Options>): PluginHooks | Promise<PluginHooks>;
}

export const DEFAULT_PRIORITY = 50;

/**
 * Define a plugin. The identity function, there for the types: options are
 * inferred from the schema, hooks are checked against `PluginHooks`.
 *
 * @example
 *   export default plugin({
 *     name: 'no-rm',
 *     setup: () => ({
 *       preToolExecute(args, info) {
 *         if (info.toolName === 'bash' && String((args as { command?: string }).command).includes('rm -rf'))
 *           throw new PluginBlockError('rm -rf is not allowed here');
 *       },
 *     }),
 *   });
 */
export function plugin<Options = Record<string, unknown>>(definition: PluginDefinition<Options>): PluginDefinition<Options> {
  return definition;
}
