/**
 * Model presets and the default model, shared by `kt config llm` and
 * `kt model`. User presets live in llm_profiles.yaml; built-ins can be
 * shadowed there but not deleted.
 */
import type { Env } from '../../engine/home.js';
import { ConfigError, UsageError } from '../../engine/errors.js';
import { hasCredentials, readStoredKeys } from '../../engine/llm/keys.js';
import { ModelCatalog } from '../../engine/llm/profiles/catalog.js';
import type { PresetEntry } from '../../engine/llm/profiles/schema.js';
import { updateUserProfiles } from '../../engine/llm/profiles/store.js';
import type { Preset } from '../../engine/llm/profiles/types.js';
import { resolveLLM } from '../../engine/llm/resolve.js';
import { didYouMean } from '../../engine/util/close-match.js';

export interface ModelRow {
  id: string;
  model: string;
  provider: string;
  maxContext?: number;
  aliases: string[];
  builtin: boolean;
  /** The installed package that brought it (`llm_presets:` of its kohaku.yaml). */
  package?: string;
  /** Credentials for its provider are present. */
  available: boolean;
  isDefault: boolean;
  variations: string[];
}

export function modelRows(env: Env, options: { all: boolean }): ModelRow[] {
  const catalog = ModelCatalog.load(env);
  const stored = readStoredKeys(env);
  const defaultId = currentDefault(env);
  return catalog.presets
    .filter((p) => options.all || !p.builtin)
    .map((p) => {
      const backend = catalog.backends.get(p.provider);
      const id = `${p.provider}/${p.name}`;
      const row: ModelRow = {
        id,
        model: p.model,
        provider: p.provider,
        aliases: p.aliases ?? [],
        builtin: p.builtin,
        available: backend ? hasCredentials(backend, env, stored) : false,
        isDefault: defaultId === id,
        variations: Object.entries(p.variationGroups ?? {}).map(([g, o]) => `${g}=${Object.keys(o).join('|')}`),
      };
      if (p.maxContext) row.maxContext = p.maxContext;
      if (p.package) row.package = p.package;
      return row;
    });
}

/** The canonical id the default resolves to now, or undefined when nothing resolves. */
export function currentDefault(env: Env): string | undefined {
  try {
    const resolved = resolveLLM({ env });
    return resolved.preset ? `${resolved.backend.name}/${resolved.preset.name}` : resolved.id;
  } catch {
    return undefined;
  }
}

/** Where the default comes from, for display. */
export function defaultDescription(env: Env): string {
  try {
    const resolved = resolveLLM({ env });
    const why = resolved.source === 'default_model' ? 'set with kt model default' : 'picked from the credentials present';
    return `${resolved.id} (${why})`;
  } catch (error) {
    return `none: ${(error as Error).message}`;
  }
}

/** Set `default_model` after checking that the name resolves to a known model. */
export function setDefaultModel(name: string, env: Env): string {
  const catalog = ModelCatalog.load(env);
  const resolved = resolveChecked(name, env, catalog);
  updateUserProfiles(env, (data) => {
    data.default_model = name;
  });
  return resolved;
}

function resolveChecked(name: string, env: Env, catalog: ModelCatalog): string {
  try {
    return resolveLLM({ explicit: name, env, catalog }).id;
  } catch (error) {
    // A missing key is fine here: the user may add it after choosing the model.
    if (error instanceof ConfigError && (error.code === 'MISSING_API_KEY' || error.code === 'MISSING_LOGIN')) return name;
    throw error;
  }
}

export function findPreset(name: string, env: Env): Preset {
  const catalog = ModelCatalog.load(env);
  const slash = name.indexOf('/');
  const preset = slash > 0 ? catalog.preset(name.slice(0, slash), name.slice(slash + 1)) : catalog.presetsNamed(name)[0];
  if (!preset) throw new UsageError(`unknown model '${name}'${didYouMean(name, catalog.names())}`);
  return preset;
}

/** What `kt config llm add` takes: a preset without its name (given apart) and variations. */
export type NewPreset = Omit<Preset, 'name' | 'builtin' | 'variationGroups'>;

export function addPreset(name: string, preset: NewPreset, env: Env): string {
  const catalog = ModelCatalog.load(env);
  if (!catalog.backends.has(preset.provider)) {
    const names = [...catalog.backends.keys()];
    throw new UsageError(`unknown provider '${preset.provider}'${didYouMean(preset.provider, names)}; add it first with kt config provider add`);
  }
  const entry: PresetEntry = { model: preset.model };
  if (preset.maxContext) entry.max_context = preset.maxContext;
  if (preset.maxOutput) entry.max_output = preset.maxOutput;
  if (preset.temperature !== undefined) entry.temperature = preset.temperature;
  if (preset.reasoningEffort) entry.reasoning_effort = preset.reasoningEffort as PresetEntry['reasoning_effort'];
  if (preset.extraBody) entry.extra_body = preset.extraBody;
  if (preset.aliases?.length) entry.aliases = preset.aliases;
  updateUserProfiles(env, (data) => {
    const presets = (data.presets ??= {});
    const group = presets[preset.provider];
    const grouped = group && typeof group.model !== 'string' ? (group as Record<string, PresetEntry>) : {};
    grouped[name] = entry;
    presets[preset.provider] = grouped;
  });
  return `${preset.provider}/${name}`;
}

/** Delete a user preset; built-ins cannot be deleted. */
export function deletePreset(name: string, env: Env): string {
  const preset = findPreset(name, env);
  if (preset.builtin) throw new UsageError(`${preset.provider}/${preset.name} is built in and cannot be deleted`);
  if (preset.package) throw new UsageError(`${preset.provider}/${preset.name} comes from the package ${preset.package}; kt uninstall ${preset.package} removes it`);
  updateUserProfiles(env, (data) => {
    const presets = data.presets ?? {};
    const group = presets[preset.provider];
    if (group && typeof group.model !== 'string') delete (group as Record<string, PresetEntry>)[preset.name];
    if (group && typeof group.model !== 'string' && !Object.keys(group).length) delete presets[preset.provider];
    if (presets[preset.name] && typeof presets[preset.name]?.model === 'string') delete presets[preset.name];
    if (data.default_model === name || data.default_model === `${preset.provider}/${preset.name}`) delete data.default_model;
  });
  return `${preset.provider}/${preset.name}`;
}
