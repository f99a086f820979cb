/**
 * From a creature definition to working parts: tool bindings from the
 * catalog (or custom modules), the provider, and the controller settings.
 * Everything that can be misconfigured fails here, at build time.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CreatureDefinition } from '../config/loader.js';
import type { Env } from '../home.js';
import type { RetryPolicyConfig } from '../config/schema.js';
import type { ToolConfig } from '../config/tool-entry.js';
import { ConfigError } from '../errors.js';
import { isProvider, type Provider } from '../llm/provider.js';
import { createProvider } from '../llm/create.js';
import { DEFAULT_REQUEST_TIMEOUTS } from '../llm/request-timeouts.js';
import { resolveLLM, type ResolvedLLM } from '../llm/resolve.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../llm/retry.js';
import type { ToolCatalog, ToolFactory } from '../tools/catalog.js';
import type { Tool } from '../tools/tool.js';
import { didYouMean } from '../util/close-match.js';
import { deepMerge } from '../util/deep-merge.js';
import type { ControllerSettings, TurnLimits } from './controller.js';
import type { ToolBinding } from './executor.js';
import { importModule } from './module-export.js';

export async function bindTools(
  definition: CreatureDefinition,
  catalog: ToolCatalog,
  extra: readonly Tool[],
  cwd: string,
): Promise<ToolBinding[]> {
  const bindings = new Map<string, ToolBinding>();
  for (const entry of definition.tools) {
    const instead = entry.type === 'builtin' && !catalog.has(entry.name) ? ORIGINAL_ONLY_TOOLS[entry.name] : undefined;
    if (instead) {
      // A creature written for the original still runs: the tool is left out, with one warning saying what to use.
      definition.warnings.push({ message: `tool '${entry.name}' of the original KohakuTerrarium does not exist here and is left out: ${instead}`, ...locationOf(entry) });
      continue;
    }
    const tool = await toolFor(entry, catalog);
    const binding: ToolBinding = { tool };
    if (entry.timeoutMs !== undefined) binding.timeoutMs = entry.timeoutMs;
    if (entry.maxOutputBytes !== undefined) binding.maxOutputBytes = entry.maxOutputBytes;
    if (entry.workingDir !== undefined) binding.cwd = resolve(cwd, entry.workingDir);
    if (entry.env) binding.env = entry.env;
    bindings.set(tool.name, binding);
  }
  // Tools passed in code replace configured ones of the same name.
  for (const tool of extra) bindings.set(tool.name, { tool });
  return [...bindings.values()];
}

/** Tools the original had that this version does not, and what does their job here. */
const ORIGINAL_ONLY_TOOLS: Readonly<Record<string, string>> = {
  think: 'models reason in their own replies (and reasoning models natively)',
  image_gen: 'provider-native image generation is not supported yet',
  terrarium_create: 'run a team with kt terrarium run, or grow one with group_add_node',
  terrarium_status: 'use group_status',
  terrarium_stop: 'use group_stop_node',
  terrarium_send: 'use send_channel or group_send',
  terrarium_observe: 'use group_status',
  terrarium_history: 'use search_memory, or kt search',
  creature_start: 'use group_start_node',
  creature_stop: 'use group_stop_node',
};

function locationOf(entry: ToolConfig): { file?: string; keyPath?: Array<string | number>; line?: number } {
  const { file, keyPath, line } = entry.origin;
  return { ...(file ? { file } : {}), ...(keyPath ? { keyPath: [...keyPath] } : {}), ...(line ? { line } : {}) };
}

async function toolFor(entry: ToolConfig, catalog: ToolCatalog): Promise<Tool> {
  switch (entry.type) {
    case 'builtin': {
      const factory = catalog.get(entry.name);
      if (!factory) {
        throw new ConfigError(`unknown tool '${entry.name}'${didYouMean(entry.name, catalog.names())}`, entry.origin, {
          hint: `available tools: ${catalog.names().join(', ')}`,
        });
      }
      return factory.create(entry.options);
    }
    case 'trigger': {
      // A trigger's setup tool (add_timer, add_schedule, watch_channel, ...): registered in the tool catalog like any builtin.
      const factory = catalog.get(entry.name);
      if (!factory) {
        throw new ConfigError(`unknown trigger setup tool '${entry.name}'${didYouMean(entry.name, catalog.names())}`, entry.origin, {
          hint: 'setup tools: add_timer, add_schedule, watch_channel, list_triggers, delete_trigger',
        });
      }
      return factory.create(entry.options);
    }
    case 'package': {
      // Registered in the catalog by the package's kohaku.yaml (engine/packages/extensions.ts).
      const factory = catalog.get(entry.name);
      if (!factory) {
        throw new ConfigError(`no installed package provides a tool '${entry.name}'${didYouMean(entry.name, catalog.names())}`, entry.origin, {
          hint: 'kt list shows installed packages and kt info <name> the tools each provides',
        });
      }
      return factory.create(entry.options);
    }
    case 'custom':
      return loadCustomTool(entry);
    default:
      throw new ConfigError(`tool type '${entry.type}' is not available in this version yet`, {
        ...entry.origin,
        keyPath: [...(entry.origin.keyPath ?? []), 'type'],
      });
  }
}

/** A JS module exporting a Tool, a ToolFactory, or a function `(options) => Tool`. */
async function loadCustomTool(entry: ToolConfig): Promise<Tool> {
  if (!entry.module) throw new ConfigError(`custom tool '${entry.name}' needs a 'module' path`, entry.origin);
  const { path, exports: loaded } = await importModule(entry.folder, entry.module, entry.origin, 'tool');
  const exported = loaded[entry.exportName ?? 'default'];
  const tool = isTool(exported)
    ? exported
    : isFactory(exported)
      ? exported.create(entry.options)
      : typeof exported === 'function'
        ? (exported as (o: unknown) => unknown)(entry.options)
        : undefined;
  if (!isTool(tool)) {
    throw new ConfigError(`module ${path} has no tool export '${entry.exportName ?? 'default'}' (expected a tool(), a factory, or a function returning one)`, entry.origin);
  }
  return tool;
}

function isTool(value: unknown): value is Tool {
  const t = value as Tool | undefined;
  return !!t && typeof t === 'object' && typeof t.name === 'string' && typeof t.execute === 'function' && typeof t.parse === 'function';
}

function isFactory(value: unknown): value is ToolFactory {
  return !!value && typeof value === 'object' && typeof (value as ToolFactory).create === 'function';
}

export interface ChosenLLM {
  provider: Provider;
  /** Absent when the caller passed a Provider instance. */
  resolved?: ResolvedLLM;
}

/** The provider: an injected instance, or resolved from flags, config and profiles. */
export async function llmFor(definition: CreatureDefinition, llm: string | Provider | undefined, env: Env): Promise<ChosenLLM> {
  if (isProvider(llm)) return { provider: llm };
  const resolved = resolveLLM({
    ...(llm ? { explicit: llm } : {}),
    controller: definition.controller,
    env,
    ...(definition.configFile ? { where: { file: definition.configFile } } : {}),
  });
  const caching = definition.controller.prompt_caching;
  const provider = await createProvider(resolved, { env, ...(caching !== undefined ? { promptCaching: caching } : {}) });
  return { provider, resolved };
}

/** Request settings: the model preset's defaults, overridden by the creature's `controller` block. */
export function settingsFor(definition: CreatureDefinition, resolved?: ResolvedLLM): ControllerSettings {
  const c = definition.controller;
  const settings: ControllerSettings = {};
  const temperature = c.temperature ?? resolved?.temperature;
  const reasoningEffort = c.reasoning_effort ?? resolved?.reasoningEffort;
  const extraBody = mergeExtraBody(withServiceTier(resolved?.extraBody, c.service_tier, resolved), c.extra_body);
  if (temperature !== undefined) settings.temperature = temperature;
  if (c.max_tokens !== undefined) settings.maxTokens = c.max_tokens;
  if (reasoningEffort !== undefined) settings.reasoningEffort = reasoningEffort;
  if (extraBody) settings.extraBody = extraBody;
  settings.timeouts = {
    requestMs: c.request_timeout !== undefined ? c.request_timeout * 1000 : DEFAULT_REQUEST_TIMEOUTS.requestMs,
    idleMs: c.stream_idle_timeout !== undefined ? c.stream_idle_timeout * 1000 : DEFAULT_REQUEST_TIMEOUTS.idleMs,
  };
  return settings;
}

/**
 * `service_tier` (priority, flex, auto, ...) is a top-level request field for
 * OpenAI, Codex and Anthropic, so it travels in `extra_body` like the
 * presets' speed variations; Gemini has no such field and is not sent one.
 */
function withServiceTier(base: Record<string, unknown> | undefined, tier: string | undefined, resolved: ResolvedLLM | undefined): Record<string, unknown> | undefined {
  if (tier === undefined || resolved?.backend.type === 'gemini') return base;
  return { ...base, service_tier: tier };
}

/** The creature's `extra_body` over the profile's: nested keys merge, so an override can add one field. */
function mergeExtraBody(base: Record<string, unknown> | undefined, over: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!base) return over;
  if (!over) return base;
  return deepMerge(base, over);
}

export function limitsFor(definition: CreatureDefinition, maxTurns: number | undefined): TurnLimits {
  const t = definition.termination;
  const limits: TurnLimits = {};
  const steps = maxTurns ?? t.max_turns;
  if (steps) limits.maxSteps = steps;
  if (t.max_duration) limits.maxDurationMs = t.max_duration * 1000;
  if (t.keywords?.length) limits.keywords = t.keywords;
  return limits;
}

export function retryPolicyFor(config: RetryPolicyConfig | undefined, override: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  if (config?.max_retries !== undefined) policy.maxRetries = config.max_retries;
  if (config?.base_delay !== undefined) policy.baseDelayMs = config.base_delay * 1000;
  if (config?.max_delay !== undefined) policy.maxDelayMs = config.max_delay * 1000;
  if (config?.jitter !== undefined) policy.jitter = config.jitter;
  if (config?.retry_classes) policy.retryOn = config.retry_classes;
  return { ...policy, ...override };
}

/** The working directory must exist before anything runs in it. */
export function workingDirectory(pwd: string | undefined): string {
  const dir = resolve(pwd ?? process.cwd());
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new ConfigError(`working directory ${dir} does not exist`, { keyPath: ['pwd'] });
  return dir;
}
