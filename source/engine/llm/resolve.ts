/**
 * Decide which model a creature talks to, and build its provider.
 *
 * Order: an explicit choice (`--llm`, `Agent.build({llm})`) > the creature's
 * `controller.llm` > `controller.model` > the default model. A choice is a
 * preset name (or alias) or `provider/model`. Everything that can be wrong —
 * an unknown name, a missing key — fails here, at build time, not mid-turn.
 */
import { ConfigError, type ConfigLocation } from '../errors.js';
import type { ControllerConfig } from '../config/schema.js';
import type { Env } from '../config/paths.js';
import { didYouMean } from '../util/close-match.js';
import { BUILTIN_BACKENDS, BUILTIN_PRESETS, DEFAULT_MODEL, type BackendSpec, type PresetSpec } from './catalog.js';
import type { Provider } from './provider.js';

export interface ResolvedLLM {
  /** Canonical `provider/model`. */
  id: string;
  backend: BackendSpec;
  model: string;
  baseURL?: string;
  apiKey: string;
  maxContext?: number;
  maxOutput?: number;
}

export interface ResolveInput {
  /** `--llm` or the library's `llm` option. */
  explicit?: string;
  controller?: ControllerConfig;
  env?: Env;
  /** Where `controller.llm` was written, for error messages. */
  where?: ConfigLocation;
}

export function resolveLLM(input: ResolveInput): ResolvedLLM {
  const env = input.env ?? process.env;
  const controller = input.controller ?? {};
  const [choice, where] = input.explicit
    ? [input.explicit, {} as ConfigLocation]
    : controller.llm
      ? [controller.llm, input.where ?? {}]
      : controller.model
        ? [modelChoice(controller), input.where ?? {}]
        : [DEFAULT_MODEL, {}];

  const { backend, model, preset } = parseChoice(choice, where);
  const envBase = backend.baseURLEnv ? env[backend.baseURLEnv] : undefined;
  const baseURL = controller.base_url ?? (envBase?.trim() ? envBase.trim() : undefined) ?? backend.baseURL;
  const keyEnv = controller.api_key_env ?? backend.apiKeyEnv;
  const apiKey = keyEnv ? (env[keyEnv] ?? '').trim() : '';
  if (keyEnv && !apiKey) {
    throw new ConfigError(`no API key for ${backend.name}: set the ${keyEnv} environment variable`, where, {
      code: 'MISSING_API_KEY',
      hint: `export ${keyEnv}=...`,
    });
  }
  const resolved: ResolvedLLM = { id: `${backend.name}/${model}`, backend, model, apiKey };
  if (baseURL) resolved.baseURL = baseURL;
  if (preset?.maxContext) resolved.maxContext = preset.maxContext;
  if (preset?.maxOutput) resolved.maxOutput = preset.maxOutput;
  return resolved;
}

/** Build the provider for a resolved choice; SDKs are imported only here, on demand. */
export async function createProvider(llm: ResolvedLLM): Promise<Provider> {
  switch (llm.backend.type) {
    case 'openai': {
      const { OpenAICompatibleProvider } = await import('./openai/adapter.js');
      return new OpenAICompatibleProvider({
        model: llm.model,
        apiKey: llm.apiKey || 'not-needed',
        provider: llm.backend.name,
        ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
        ...(llm.maxContext ? { maxContext: llm.maxContext } : {}),
      });
    }
    default:
      throw new ConfigError(`the ${llm.backend.type} backend (${llm.id}) is not available in this version yet; use an OpenAI-compatible model`);
  }
}

function modelChoice(controller: ControllerConfig): string {
  const model = controller.model as string;
  if (model.includes('/')) return model;
  if (controller.provider) return `${controller.provider}/${model}`;
  const preset = BUILTIN_PRESETS.find((p) => p.model === model);
  return preset ? preset.name : `openai/${model}`;
}

function parseChoice(choice: string, where: ConfigLocation): { backend: BackendSpec; model: string; preset?: PresetSpec } {
  const slash = choice.indexOf('/');
  if (slash > 0) {
    const name = choice.slice(0, slash);
    const model = choice.slice(slash + 1);
    const backend = BUILTIN_BACKENDS.find((b) => b.name === name);
    if (!backend) {
      const names = BUILTIN_BACKENDS.map((b) => b.name);
      throw new ConfigError(`unknown provider '${name}' in '${choice}'${didYouMean(name, names)}; known: ${names.join(', ')}`, where);
    }
    if (!model) throw new ConfigError(`'${choice}' names no model; write ${name}/<model>`, where);
    const preset = BUILTIN_PRESETS.find((p) => p.backend === name && p.model === model);
    return preset ? { backend, model, preset } : { backend, model };
  }
  const preset = BUILTIN_PRESETS.find((p) => p.name === choice || p.aliases?.includes(choice));
  if (!preset) {
    const names = BUILTIN_PRESETS.flatMap((p) => [p.name, ...(p.aliases ?? [])]);
    throw new ConfigError(`unknown model '${choice}'${didYouMean(choice, names)}; use a preset name or provider/model (e.g. openai/gpt-4o-mini)`, where);
  }
  const backend = BUILTIN_BACKENDS.find((b) => b.name === preset.backend) as BackendSpec;
  return { backend, model: preset.model, preset };
}
