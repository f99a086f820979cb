/**
 * Decide which model a creature talks to, and with which credentials.
 *
 * Order: an explicit choice (`--llm`, `Agent.build({llm})`) > the creature's
 * `controller.llm` > `controller.model` > `default_model` in llm_profiles.yaml
 * > the first built-in flagship whose credentials are present. A choice is a
 * preset name or alias, `provider/name`, or `provider/<any model id>`, with
 * optional variations (`@reasoning=low`). Everything that can be wrong — an
 * unknown name, a missing key — fails here, at build time, not mid-turn.
 */
import type { Env } from '../home.js';
import type { ControllerConfig } from '../config/schema.js';
import type { ConfigWarning } from '../config/validate.js';
import { ConfigError, type ConfigLocation } from '../errors.js';
import { didYouMean } from '../util/close-match.js';
import { hasCredentials, lookupKey, readStoredKeys, rememberKnownKeys, type KeySource } from './keys.js';
import { AUTO_DEFAULTS, PROVIDER_PRIORITY } from './profiles/builtin.js';
import { ModelCatalog } from './profiles/catalog.js';
import type { Backend, Preset } from './profiles/types.js';
import { applyVariations, parseSelector } from './profiles/variations.js';

export type Credential =
  | { kind: 'key'; key: string; source: KeySource; envVar?: string }
  | { kind: 'oauth' }
  | { kind: 'none' };

export type ChoiceSource = '--llm' | 'controller.llm' | 'controller.model' | 'default_model' | 'auto';

export interface ResolvedLLM {
  /** Canonical `provider/name[@group=option,...]` (or `provider/model` without a preset). */
  id: string;
  backend: Backend;
  /** Model id as sent to the API. */
  model: string;
  preset?: Preset;
  baseURL?: string;
  credential: Credential;
  maxContext?: number;
  maxOutput?: number;
  /** Request defaults from the preset and its variations; creature settings override them. */
  temperature?: number;
  reasoningEffort?: string;
  extraBody?: Record<string, unknown>;
  /** Where the choice came from. */
  source: ChoiceSource;
  /** Problems in the model presets that did not stop the choice (a bad entry in llm_profiles.yaml or a package's llm_presets, left out). */
  warnings?: ConfigWarning[];
}

export interface ResolveInput {
  /** `--llm` or the library's `llm` option. */
  explicit?: string;
  controller?: ControllerConfig;
  env?: Env;
  /** Where the creature's `controller` block was written, for error messages. */
  where?: ConfigLocation;
  /** Defaults to built-ins plus the user's llm_profiles.yaml. */
  catalog?: ModelCatalog;
}

export function resolveLLM(input: ResolveInput): ResolvedLLM {
  const env = input.env ?? process.env;
  const catalog = input.catalog ?? ModelCatalog.load(env);
  const stored = readStoredKeys(env);
  const controller = input.controller ?? {};
  const choice = chooseSpec(input, catalog, env, stored);
  const where = choice.where;

  const { base, selections } = parseSelector(choice.spec);
  if (choice.source === 'controller.llm' || choice.source === 'controller.model') selections.push(...configuredVariations(controller, selections));
  let { backend, preset, model } = locate(base, catalog, env, stored, where, controller);
  let suffix = '';
  if (preset && selections.length) ({ preset, suffix } = applyVariations(preset, selections, where));
  else if (selections.length) throw new ConfigError(`'${choice.spec}' picks variations, but ${backend.name}/${model} is not a preset`, where);

  const envBase = backend.baseURLEnv ? env[backend.baseURLEnv]?.trim() : undefined;
  const baseURL = controller.base_url ?? (envBase || undefined) ?? backend.baseURL;
  const resolved: ResolvedLLM = {
    id: `${backend.name}/${preset ? preset.name : model}${suffix}`,
    backend,
    model,
    credential: credentialFor(backend, env, stored, controller.api_key_env, where),
    source: choice.source,
  };
  if (preset) resolved.preset = preset;
  if (baseURL) resolved.baseURL = baseURL;
  if (preset?.maxContext) resolved.maxContext = preset.maxContext;
  if (preset?.maxOutput) resolved.maxOutput = preset.maxOutput;
  if (preset?.temperature !== undefined) resolved.temperature = preset.temperature;
  if (preset?.reasoningEffort) resolved.reasoningEffort = preset.reasoningEffort;
  if (preset?.extraBody) resolved.extraBody = preset.extraBody;
  if (catalog.warnings.length) resolved.warnings = [...catalog.warnings];
  return resolved;
}

/**
 * `variation_selections: {group: option}` and the shorthand `variation: option`
 * add to the selector of the creature's own model choice; a group the selector
 * already picks (`llm: x@reasoning=low`) keeps its pick.
 */
function configuredVariations(controller: ControllerConfig, picked: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [group, option] of Object.entries(controller.variation_selections ?? {})) {
    if (!picked.some(([g]) => g === group)) out.push([group, option]);
  }
  if (controller.variation && !picked.some(([, o]) => o === controller.variation)) out.push(['', controller.variation]);
  return out;
}

interface Choice {
  spec: string;
  source: ChoiceSource;
  where: ConfigLocation;
}

function chooseSpec(input: ResolveInput, catalog: ModelCatalog, env: Env, stored: Record<string, string>): Choice {
  const controller = input.controller ?? {};
  const at = (key: string): ConfigLocation => (input.where ? { ...input.where, keyPath: ['controller', key] } : {});
  if (input.explicit) return { spec: input.explicit, source: '--llm', where: {} };
  if (controller.llm) return { spec: controller.llm, source: 'controller.llm', where: at('llm') };
  if (controller.model) return { spec: modelSpec(controller.model, controller.provider, catalog), source: 'controller.model', where: at('model') };
  if (catalog.defaultModel) return { spec: catalog.defaultModel, source: 'default_model', where: { file: catalog.profilesFile, keyPath: ['default_model'] } };
  for (const candidate of AUTO_DEFAULTS) {
    const backend = catalog.backends.get(candidate.slice(0, candidate.indexOf('/')));
    if (backend && hasCredentials(backend, env, stored)) return { spec: candidate, source: 'auto', where: {} };
  }
  throw new ConfigError('no model selected and no credentials found', {}, {
    code: 'NO_MODEL',
    hint: 'run kt login <provider> (openai, anthropic, gemini, openrouter, codex, ...), or pass --llm provider/model',
  });
}

/**
 * `controller.model` is an API model id (optionally `provider/` and `@variations`):
 * find the preset serving it, else assume an OpenAI-compatible model.
 */
function modelSpec(model: string, provider: string | undefined, catalog: ModelCatalog): string {
  const at = model.indexOf('@');
  const id = at < 0 ? model : model.slice(0, at);
  const variation = at < 0 ? '' : model.slice(at);
  if (id.includes('/') && catalog.backends.has(id.slice(0, id.indexOf('/')))) return model;
  if (provider) return `${provider}/${id}${variation}`;
  const preset = catalog.presetForModel(id);
  return `${preset ? `${preset.provider}/${preset.name}` : `openai/${id}`}${variation}`;
}

function locate(
  base: string,
  catalog: ModelCatalog,
  env: Env,
  stored: Record<string, string>,
  where: ConfigLocation,
  controller: ControllerConfig,
): { backend: Backend; preset?: Preset; model: string } {
  const slash = base.indexOf('/');
  if (slash > 0) {
    const name = base.slice(0, slash);
    const rest = base.slice(slash + 1);
    const backend = catalog.backends.get(name) ?? (controller.base_url ? customBackend(name) : undefined);
    if (!backend) {
      const names = [...catalog.backends.keys()];
      throw new ConfigError(`unknown provider '${name}' in '${base}'${didYouMean(name, names)}; providers: ${names.join(', ')}`, where, {
        hint: 'add one with kt config provider add',
      });
    }
    if (!rest) throw new ConfigError(`'${base}' names no model; write ${name}/<model>`, where);
    // A preset on this provider, else any model id the provider serves.
    const preset = catalog.preset(name, rest) ?? catalog.presetForModel(rest, name);
    return preset ? { backend, preset, model: preset.model } : { backend, model: rest };
  }
  const candidates = catalog.presetsNamed(base);
  if (!candidates.length) {
    throw new ConfigError(`unknown model '${base}'${didYouMean(base, catalog.names())}`, where, {
      hint: 'see kt model list, or write provider/model (e.g. openai/gpt-5.4-mini)',
    });
  }
  const rank = (p: Preset) => {
    const i = PROVIDER_PRIORITY.indexOf(p.provider);
    return i < 0 ? PROVIDER_PRIORITY.length : i;
  };
  const ordered = [...candidates].sort((a, b) => rank(a) - rank(b));
  const usable = ordered.find((p) => {
    const backend = catalog.backends.get(p.provider);
    return backend !== undefined && hasCredentials(backend, env, stored);
  });
  const preset = usable ?? (ordered[0] as Preset);
  const backend = catalog.backends.get(preset.provider);
  if (!backend) throw new ConfigError(`preset '${preset.name}' names provider '${preset.provider}', which is not defined`, where);
  return { backend, preset, model: preset.model };
}

/** `controller.base_url` with a provider name nobody defined: an OpenAI-compatible endpoint. */
function customBackend(name: string): Backend {
  return { name, type: 'openai', builtin: false };
}

function credentialFor(backend: Backend, env: Env, stored: Record<string, string>, envOverride: string | undefined, where: ConfigLocation): Credential {
  // Every key this process could hold is masked from events and errors, not only the one in use.
  rememberKnownKeys(env, envOverride ? [envOverride] : backend.apiKeyEnv ? [backend.apiKeyEnv] : []);
  if (backend.type === 'codex') {
    if (!hasCredentials(backend, env, stored)) {
      throw new ConfigError('not signed in to ChatGPT for codex models', where, { code: 'MISSING_LOGIN', hint: 'run kt login codex' });
    }
    return { kind: 'oauth' };
  }
  const envVar = envOverride ?? backend.apiKeyEnv;
  if (!envVar) return { kind: 'none' };
  const found = lookupKey(backend, env, stored, envOverride);
  if (!found) {
    throw new ConfigError(`no API key for ${backend.name}: set ${envVar} or run kt login ${backend.name}`, where, { code: 'MISSING_API_KEY' });
  }
  return { kind: 'key', key: found.key, source: found.source, ...(found.envVar ? { envVar: found.envVar } : {}) };
}
