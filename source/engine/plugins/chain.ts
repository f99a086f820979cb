/**
 * The chain runner: every hook call of a creature goes through here.
 *
 * Plugins are kept per hook, sorted by priority (registration order breaks
 * ties), so a hook nobody implements costs one map lookup and `has()` lets a
 * caller skip building the hook's arguments at all.
 *
 * Failure policy: a `PluginBlockError` from a `pre*` hook propagates (the
 * caller turns it into the operation's result). Any other error is reported
 * as a `warning` event and that plugin is skipped for the call; a plugin that
 * fails `maxErrors` calls in a row is disabled, with one more warning, so a
 * broken plugin cannot take the creature down with it.
 */
import { PluginBlockError } from '../errors.js';
import type { AgentEvent, EventDraft } from '../events.js';
import { monotonicMs } from '../util/clock.js';
import { appliesCheck, type AppliesCheck } from './applies.js';
import { DEFAULT_PRIORITY, type PluginDefinition } from './define.js';
import type {
  HookName,
  HookScope,
  PluginCommand,
  PluginHooks,
  TerminationContext,
  TerminationVote,
  TransformHook,
  TransformInfo,
  TransformValue,
} from './hooks.js';

/** A loaded plugin instance as the chain holds it. */
interface Entry {
  name: string;
  description: string | undefined;
  priority: number;
  order: number;
  enabled: boolean;
  applies: AppliesCheck;
  hooks: PluginHooks;
  failures: number;
}

/** One line of `/plugin list`. */
export interface PluginInfo {
  name: string;
  description?: string;
  priority: number;
  enabled: boolean;
  hooks: HookName[];
}

export interface ChainOptions {
  /** Where warnings about failing plugins go (the creature's emitter). */
  emit(draft: EventDraft): void;
  /** The creature's name and current model, for `appliesTo` on hooks that carry no scope. */
  scope(): { agent: string; model: string };
  /** Consecutive failures after which a plugin is disabled (default 3). */
  maxErrors?: number;
}

/** Vote of the first plugin that asked to stop. */
export interface TerminationVerdict extends TerminationVote {
  plugin: string;
}

type AnyFn = (this: PluginHooks, ...args: unknown[]) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export class HookChain {
  private readonly entries: Entry[] = [];
  private byHook = new Map<HookName, Entry[]>();
  private readonly timings = new Map<string, number>();
  private readonly maxErrors: number;
  private delivering = false;
  private readonly backlog: AgentEvent[] = [];

  constructor(private readonly options: ChainOptions) {
    this.maxErrors = options.maxErrors ?? 3;
  }

  /** Add a loaded instance. Disabled plugins are listed but never called until enabled. */
  add(definition: Pick<PluginDefinition<never>, 'name' | 'description' | 'priority' | 'appliesTo'>, hooks: PluginHooks, enabled = true): void {
    if (this.entries.some((e) => e.name === definition.name)) throw new Error(`plugin '${definition.name}' is already loaded`);
    this.entries.push({
      name: definition.name,
      description: definition.description,
      priority: definition.priority ?? DEFAULT_PRIORITY,
      order: this.entries.length,
      enabled,
      applies: appliesCheck(definition.appliesTo),
      hooks,
      failures: 0,
    });
    this.reindex();
  }

  get size(): number {
    return this.entries.length;
  }

  /** True when an enabled plugin implements `hook`. */
  has(hook: HookName): boolean {
    return this.byHook.has(hook);
  }

  list(): PluginInfo[] {
    return [...this.entries]
      .sort(byPriority)
      .map((e) => ({
        name: e.name,
        ...(e.description ? { description: e.description } : {}),
        priority: e.priority,
        enabled: e.enabled,
        hooks: (Object.keys(e.hooks) as HookName[]).filter((k) => typeof e.hooks[k] === 'function'),
      }));
  }

  /** Take a plugin out of the chain (its `onUnload` runs); false when none has that name. */
  async remove(name: string): Promise<boolean> {
    const at = this.entries.findIndex((e) => e.name === name);
    if (at < 0) return false;
    const [entry] = this.entries.splice(at, 1);
    this.reindex();
    try {
      await entry?.hooks.onUnload?.();
    } catch (error) {
      if (entry) this.failed(entry, 'onUnload', error);
    }
    return true;
  }

  /** Whether a plugin of this name is loaded (enabled or not). */
  loaded(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  /** Turn a plugin on or off at run time. False when no plugin has that name. */
  setEnabled(name: string, enabled: boolean): boolean {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) return false;
    entry.enabled = enabled;
    if (enabled) entry.failures = 0;
    this.reindex();
    return true;
  }

  /**
   * Run a transform hook through every plugin that implements it: each one
   * sees the value the previous one returned. `pre*` hooks run lowest
   * priority first, `post*` hooks highest first.
   */
  async transform<H extends TransformHook>(hook: H, value: TransformValue<H>, info: TransformInfo<H>): Promise<TransformValue<H>> {
    const list = this.byHook.get(hook);
    if (!list) return value;
    const pre = hook.startsWith('pre');
    const scope = info as HookScope;
    const agent = scope.agentPath[scope.agentPath.length - 1] ?? '';
    const started = monotonicMs();
    try {
      for (let i = pre ? 0 : list.length - 1; pre ? i < list.length : i >= 0; pre ? i++ : i--) {
        const entry = list[i] as Entry;
        if (!entry.enabled || !entry.applies(agent, scope.model)) continue;
        try {
          let out = (entry.hooks[hook] as AnyFn).call(entry.hooks, value, info);
          if (isThenable(out)) out = await out;
          if (out !== undefined) value = out as TransformValue<H>;
          entry.failures = 0;
        } catch (error) {
          if (pre && error instanceof PluginBlockError) {
            error.plugin ??= entry.name;
            throw error;
          }
          this.failed(entry, hook, error);
        }
      }
    } finally {
      this.time(hook, started);
    }
    return value;
  }

  /** Tell every plugin that implements a callback hook; failures become warnings. */
  async notify(hook: 'onLoad' | 'onUnload' | 'onAgentStart' | 'onAgentStop' | 'onInterrupt'): Promise<void>;
  async notify(hook: 'onTaskPromoted', jobId: string, toolName: string): Promise<void>;
  async notify(hook: 'onCompactEnd', summary: string, messagesRemoved: number): Promise<void>;
  async notify(hook: HookName, ...args: unknown[]): Promise<void> {
    const list = this.byHook.get(hook);
    if (!list) return;
    const { agent, model } = this.options.scope();
    const started = monotonicMs();
    for (const entry of list) {
      if (!entry.enabled || !entry.applies(agent, model)) continue;
      try {
        const out = (entry.hooks[hook] as AnyFn).call(entry.hooks, ...args);
        if (isThenable(out)) await out;
        entry.failures = 0;
      } catch (error) {
        this.failed(entry, hook, error);
      }
    }
    this.time(hook, started);
  }

  /**
   * Hand an event to `onEvent` hooks. Synchronous and never re-entered: an
   * event emitted while plugins are looking at another (a warning about one
   * of them) waits until they are done, so order is kept and nothing recurses.
   */
  event(event: AgentEvent): void {
    const list = this.byHook.get('onEvent');
    if (!list) return;
    this.backlog.push(event);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.backlog.shift(); next; next = this.backlog.shift()) {
        for (const entry of this.byHook.get('onEvent') ?? []) {
          if (!entry.enabled) continue;
          try {
            entry.hooks.onEvent?.(next);
          } catch (error) {
            this.failed(entry, 'onEvent', error);
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  /** Ask `onCompactStart` hooks; the name of the first plugin that vetoes, or undefined. */
  async vetoCompaction(contextTokens: number): Promise<string | undefined> {
    const list = this.byHook.get('onCompactStart');
    if (!list) return undefined;
    const { agent, model } = this.options.scope();
    for (const entry of list) {
      if (!entry.enabled || !entry.applies(agent, model)) continue;
      try {
        let out: unknown = entry.hooks.onCompactStart?.(contextTokens);
        if (isThenable(out)) out = await out;
        entry.failures = 0;
        if (out === false) return entry.name;
      } catch (error) {
        this.failed(entry, 'onCompactStart', error);
      }
    }
    return undefined;
  }

  /** System-prompt sections from plugins, in priority order. */
  promptSections(): string[] {
    const out: string[] = [];
    this.each('promptContent', (entry) => {
      const text = entry.hooks.promptContent?.();
      if (text) out.push(text);
    });
    return out;
  }

  /** The first plugin voting to end the turn, if any. */
  termination(context: TerminationContext): TerminationVerdict | undefined {
    let verdict: TerminationVerdict | undefined;
    this.each('terminationCheck', (entry) => {
      if (verdict) return;
      const vote = entry.hooks.terminationCheck?.(context);
      if (vote?.stop) verdict = { ...vote, plugin: entry.name };
    });
    return verdict;
  }

  /** Services plugins offer to tools, merged; a later (higher-priority-number) plugin wins a name clash. */
  services(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.each('runtimeServices', (entry) => Object.assign(out, entry.hooks.runtimeServices?.()));
    return out;
  }

  /** Slash commands plugins offer, by name; the first plugin (in priority order) to claim a name keeps it. */
  commands(): Record<string, PluginCommand & { plugin: string }> {
    const out: Record<string, PluginCommand & { plugin: string }> = {};
    this.each('commands', (entry) => {
      for (const [name, command] of Object.entries(entry.hooks.commands?.() ?? {})) out[name] ??= { ...command, plugin: entry.name };
    });
    return out;
  }

  /** Milliseconds spent in each hook since the last call, or undefined when none ran. */
  drainTimings(): Record<string, number> | undefined {
    if (!this.timings.size) return undefined;
    const out: Record<string, number> = {};
    for (const [hook, ms] of this.timings) out[hook] = Math.round(ms * 1000) / 1000;
    this.timings.clear();
    return out;
  }

  private each(hook: HookName, fn: (entry: Entry) => void): void {
    const list = this.byHook.get(hook);
    if (!list) return;
    const { agent, model } = this.options.scope();
    for (const entry of list) {
      if (!entry.enabled || !entry.applies(agent, model)) continue;
      try {
        fn(entry);
        entry.failures = 0;
      } catch (error) {
        this.failed(entry, hook, error);
      }
    }
  }

  private failed(entry: Entry, hook: HookName, error: unknown): void {
    entry.failures++;
    const reason = error instanceof Error ? error.message : String(error);
    this.options.emit({ type: 'warning', code: 'PLUGIN_ERROR', message: `plugin '${entry.name}' failed in ${hook}: ${reason}; skipped for this call` });
    if (entry.failures >= this.maxErrors && entry.enabled) {
      entry.enabled = false;
      this.reindex();
      this.options.emit({
        type: 'warning',
        code: 'PLUGIN_DISABLED',
        message: `plugin '${entry.name}' failed ${entry.failures} times in a row and is disabled; /plugin enable ${entry.name} turns it back on`,
      });
    }
  }

  private time(hook: string, started: number): void {
    this.timings.set(hook, (this.timings.get(hook) ?? 0) + monotonicMs() - started);
  }

  private reindex(): void {
    const next = new Map<HookName, Entry[]>();
    for (const entry of [...this.entries].sort(byPriority)) {
      if (!entry.enabled) continue;
      for (const hook of Object.keys(entry.hooks) as HookName[]) {
        if (typeof entry.hooks[hook] !== 'function') continue;
        const list = next.get(hook);
        if (list) list.push(entry);
        else next.set(hook, [entry]);
      }
    }
    this.byHook = next;
  }
}

function byPriority(a: Entry, b: Entry): number {
  return a.priority - b.priority || a.order - b.order;
}
