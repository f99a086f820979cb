/**
 * Load a creature: follow `base_config` to the root, validate each file on
 * its own (so errors point at the right file and line), merge base-first,
 * and assemble the system prompt chain. Pure: reads files, writes nothing.
 */
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { interpolate } from './interpolate.js';
import { locateCreature, type CreatureLocation } from './locate.js';
import { mergeLayer, type LayerConfig } from './merge.js';
import { normalizeModuleEntry, normalizeOutputEntry, normalizeTriggerEntries, type ModuleConfig, type OutputConfig } from './module-entry.js';
import type { Env } from '../home.js';
import type { PromptSource } from '../prompt/template.js';
import { packagePrompts } from './package-prompts.js';
import { packageIndex, type PackageIndex } from '../packages/registry.js';
import { normalizePluginEntries, type PluginConfig } from './plugin-entry.js';
import { hintOverridesOf } from './prompt-hints.js';
import { locationOf, promptChain, promptFolders, readContextFiles, resolveContextFiles } from './prompt-sources.js';
import type { CompactConfig, ControllerConfig, TerminationConfig } from './schema.js';
import { normalizeSubagentEntries, type SubagentConfig } from './subagent-entry.js';
import { normalizeToolEntries, type ToolConfig } from './tool-entry.js';
import { validateLayer, type ConfigWarning } from './validate.js';
import { resolveToolFormat, type ToolCallFormat } from '../parsing/format.js';
import { YamlSource } from './yaml-source.js';

export type { ConfigWarning } from './validate.js';

/** A creature config, resolved and merged, ready to build. */
export interface CreatureDefinition {
  name: string;
  description?: string;
  /** The creature's own folder (undefined for inline configs without a base dir). */
  folder: string;
  /** The config file the user pointed at; absent for inline configs. */
  configFile?: string;
  /** Every config file in the chain, base first. */
  layers: string[];
  /** The base prompt as written (templates not rendered): prompt files base → child, then the inline `system_prompt`. */
  systemPrompt: string;
  promptFiles: string[];
  /** The same prompt piece by piece, each with its file, for rendering at build with errors that point at the right line. */
  promptSources: PromptSource[];
  /** Where `{% include %}` looks: the creature's folders (child first), then package fragments by name. */
  promptIncludes: { folders: string[]; packages: Record<string, string> };
  /** `prompt_context_files`, read: template variable → the file's text. */
  promptContext: Record<string, string>;
  /** Framework hint blocks replaced, packages' then the creature's (see engine/prompt/hint-blocks.ts). */
  frameworkHintOverrides: Record<string, string>;
  controller: ControllerConfig;
  tools: ToolConfig[];
  /** Sub-agents it may hand tasks to, as configured (resolved against the catalog at build). */
  subagents: SubagentConfig[];
  termination: TerminationConfig;
  /** Plugins as configured (resolved against the plugin catalog, or loaded from their module, at build). */
  plugins: PluginConfig[];
  /** Plugin packs named by `default_plugins`. */
  defaultPlugins: string[];
  /** The `compact:` block as written (defaults are applied at build, where the model's context size is known). */
  compact?: CompactConfig;
  maxIterations?: number;
  maxSubagentDepth: number;
  /** Absolute folders outside the working directory that the file tools may use. */
  allowedPaths: string[];
  /** Package skills switched on (`*` = all). */
  skills: string[];
  skillIndexBudget?: number;
  /** How the model writes tool calls when not through native function calling (`tool_format: bracket | xml | {...}`). */
  toolFormat?: ToolCallFormat;
  /** Triggers as configured, `startup_trigger` included (resolved against the trigger catalog at build). */
  triggers: ModuleConfig[];
  /** `input:` as configured; absent means the surface's own input (`cli`). */
  input?: ModuleConfig;
  /** `output:` as configured; absent means the surface shows the answers (`stdout`). */
  output?: OutputConfig;
  /** The merged config, kept for session snapshots. */
  config: LayerConfig;
  warnings: ConfigWarning[];
}

export interface LoadOptions {
  env?: Env;
  /** Where relative references start (default: the process cwd). */
  cwd?: string;
  /** The build's view of the packages home (default: a fresh one), shared with the rest of the build. */
  packages?: PackageIndex;
}

export { DEFAULT_SYSTEM_PROMPT } from './prompt-sources.js';
const MAX_DEPTH = 10;

interface Layer {
  file: string;
  folder: string;
  source: Pick<YamlSource, 'file' | 'locate'>;
  config: LayerConfig;
}

/** Load a creature from a folder, a config file or an `@package/...` reference. */
export function loadCreature(ref: string, options: LoadOptions = {}): CreatureDefinition {
  const env = options.env ?? process.env;
  const packages = options.packages ?? packageIndex(env);
  const location = locateCreature(ref, options.cwd ?? process.cwd(), env, {}, packages);
  const warnings: ConfigWarning[] = [];
  const leaf = readLayer(location, env, warnings);
  const chain = followBases(leaf, env, warnings, packages);
  return assemble(chain, warnings, location.configFile, env, packages);
}

export interface DefineOptions extends LoadOptions {
  /** Where relative paths (base_config, prompt files, modules) start. */
  folder?: string;
  /**
   * Where the config was written, when it is part of a larger file (a
   * terrarium recipe's member): errors and warnings name that file and line.
   */
  source?: Pick<YamlSource, 'file' | 'locate'>;
}

/** Build a definition from an in-memory config object (same keys as config.yaml). */
export function defineCreature(config: Record<string, unknown>, options: DefineOptions = {}): CreatureDefinition {
  const env = options.env ?? process.env;
  const folder = resolve(options.folder ?? options.cwd ?? process.cwd());
  const warnings: ConfigWarning[] = [];
  const source = options.source ?? { file: '<inline config>', locate: () => undefined };
  const leaf = toLayer(interpolate(config, env), source, source.file, folder, warnings);
  const packages = options.packages ?? packageIndex(env);
  return assemble(followBases(leaf, env, warnings, packages), warnings, undefined, env, packages);
}

function readLayer(location: CreatureLocation, env: Env, warnings: ConfigWarning[]): Layer {
  const source = YamlSource.read(location.configFile);
  // An empty file is almost always a mistake (a wrong path, a save that failed), not a creature with every default.
  if (source.empty) throw new ConfigError('the config file is empty; a creature config needs at least one key (such as name:)', { file: location.configFile, line: 1 });
  return toLayer(interpolate(source.data, env), source, location.configFile, location.folder, warnings);
}

function toLayer(data: unknown, source: Pick<YamlSource, 'file' | 'locate'>, file: string, folder: string, warnings: ConfigWarning[]): Layer {
  const { tools: entries, subagents: agentEntries, plugins: pluginEntries, triggers: triggerEntries, input, output, ...rest } = validateLayer(data, source, warnings);
  const tools = normalizeToolEntries(entries, source, folder, warnings);
  const subagents = normalizeSubagentEntries(agentEntries, source, folder);
  const plugins = normalizePluginEntries(pluginEntries, source, folder);
  const triggers = normalizeTriggerEntries(triggerEntries, source, folder);
  const config: LayerConfig = { ...rest, ...(tools ? { tools } : {}), ...(subagents ? { subagents } : {}), ...(plugins ? { plugins } : {}), ...(triggers ? { triggers } : {}) };
  if (input !== undefined) config.input = normalizeModuleEntry(input, ['input'], source, folder);
  if (output !== undefined) config.output = normalizeOutputEntry(output, source, folder) as OutputConfig;
  // Resolved here, where the folder the paths are relative to is known.
  if (config.allowed_paths) config.allowed_paths = config.allowed_paths.map((p) => expandPath(p, folder));
  const layer = { file, folder, source, config };
  resolveContextFiles(layer);
  // One spelling from here on; the original's own name wins when a file has both.
  const { framework_hints: alias, framework_hint_overrides: own } = config;
  delete config.framework_hints;
  if (alias || own) {
    config.framework_hint_overrides = {
      ...(alias ? hintOverridesOf(alias, ['framework_hints'], source, warnings) : {}),
      ...(own ? hintOverridesOf(own, ['framework_hint_overrides'], source, warnings) : {}),
    };
  }
  return layer;
}

/** The inheritance chain, base first. */
function followBases(leaf: Layer, env: Env, warnings: ConfigWarning[], packages: PackageIndex): Layer[] {
  const chain = [leaf];
  const seen = new Set([leaf.file]);
  let current = leaf;
  while (current.config.base_config) {
    const where = locationOf(current, ['base_config']);
    if (chain.length > MAX_DEPTH) throw new ConfigError(`base_config chain is deeper than ${MAX_DEPTH} levels`, where);
    const location = locateCreature(current.config.base_config, current.folder, env, where, packages);
    if (seen.has(location.configFile)) {
      const cycle = [...chain.map((l) => l.file), location.configFile].join(' → ');
      throw new ConfigError(`base_config forms a cycle: ${cycle}`, where);
    }
    seen.add(location.configFile);
    current = readLayer(location, env, warnings);
    chain.push(current);
  }
  return chain.reverse();
}

function assemble(chain: Layer[], warnings: ConfigWarning[], configFile: string | undefined, env: Env, packageView: PackageIndex): CreatureDefinition {
  const leaf = chain[chain.length - 1] as Layer;
  const merged = chain.reduce<LayerConfig>((acc, layer) => mergeLayer(acc, layer.config), {} as LayerConfig);
  const controller: ControllerConfig = {
    ...pick(merged, ['tool_format', 'skill_mode', 'include_tools_in_prompt', 'include_hints_in_prompt', 'max_messages', 'ephemeral']),
    ...merged.controller,
  };
  const toolFormat = toolFormatOf(controller.tool_format, chain, leaf);
  const { text, files, sources } = promptChain(chain, merged.system_prompt);
  const packages = packagePrompts(env, warnings, packageView);
  const definition: CreatureDefinition = {
    name: merged.name ?? basename(leaf.folder),
    folder: leaf.folder,
    layers: chain.map((l) => l.file).filter((f) => f !== '<inline config>'),
    systemPrompt: text,
    promptFiles: files,
    promptSources: sources,
    promptIncludes: { folders: promptFolders(chain), packages: packages.fragments },
    promptContext: readContextFiles(merged.prompt_context_files),
    frameworkHintOverrides: { ...packages.hints, ...merged.framework_hint_overrides },
    controller,
    tools: merged.tools ?? [],
    subagents: merged.subagents ?? [],
    termination: merged.termination ?? {},
    plugins: merged.plugins ?? [],
    defaultPlugins: merged.default_plugins ?? [],
    maxSubagentDepth: merged.max_subagent_depth ?? 3,
    allowedPaths: merged.allowed_paths ?? [],
    skills: merged.skills ?? [],
    triggers: [...(merged.triggers ?? []), ...startupEntry(merged.startup_trigger, chain)],
    config: merged,
    warnings,
  };
  if (merged.description) definition.description = merged.description;
  if (configFile) definition.configFile = configFile;
  if (merged.max_iterations) definition.maxIterations = merged.max_iterations;
  if (merged.skill_index_budget_bytes !== undefined) definition.skillIndexBudget = merged.skill_index_budget_bytes;
  if (toolFormat) definition.toolFormat = toolFormat;
  if (merged.compact) definition.compact = merged.compact;
  if (merged.input) definition.input = merged.input;
  if (merged.output) definition.output = merged.output;
  return definition;
}

/** `startup_trigger: {prompt}` is a `startup` trigger named `startup`, located where it was written. */
function startupEntry(value: LayerConfig['startup_trigger'], chain: Layer[]): ModuleConfig[] {
  if (value === undefined) return [];
  const layer = [...chain].reverse().find((l) => l.config.startup_trigger !== undefined) ?? (chain[chain.length - 1] as Layer);
  const prompt = typeof value === 'string' ? value : value.prompt;
  return [{ kind: 'startup', name: 'startup', options: { prompt }, folder: layer.folder, origin: locationOf(layer, ['startup_trigger']) }];
}

/**
 * `native` (or nothing) means the provider's function calling; anything else
 * is a text format, checked here so a bad one fails at build time with its
 * file and line. Native is the default, unlike the original's bracket:
 * every provider we support has function calling, and it is more reliable.
 */
function toolFormatOf(value: ControllerConfig['tool_format'], chain: Layer[], leaf: Layer): ToolCallFormat | undefined {
  if (value === undefined || value === 'native') return undefined;
  try {
    return resolveToolFormat(value);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const layer = [...chain].reverse().find((l) => l.config.controller?.tool_format !== undefined || l.config.tool_format !== undefined) ?? leaf;
    const base = layer.config.controller?.tool_format !== undefined ? ['controller', 'tool_format'] : ['tool_format'];
    const field = error.keyPath?.slice(1) ?? [];
    throw new ConfigError(error.detail, locationOf(layer, [...base, ...field]), error.hint ? { hint: error.hint } : {});
  }
}

function expandPath(path: string, folder: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return resolve(folder, path);
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
