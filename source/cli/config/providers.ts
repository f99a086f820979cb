/**
 * Providers (backends) for `kt config provider`: the built-ins plus the
 * user's entries in llm_profiles.yaml.
 */
import type { Env } from '../../engine/home.js';
import { UsageError } from '../../engine/errors.js';
import { hasCredentials, readStoredKeys } from '../../engine/llm/keys.js';
import { ModelCatalog } from '../../engine/llm/profiles/catalog.js';
import { updateUserProfiles } from '../../engine/llm/profiles/store.js';
import { BACKEND_TYPES, type BackendType } from '../../engine/llm/profiles/types.js';
import { didYouMean } from '../../engine/util/close-match.js';

export interface ProviderRow {
  name: string;
  type: BackendType;
  baseURL?: string;
  apiKeyEnv?: string;
  builtin: boolean;
  available: boolean;
  description?: string;
}

export function providerRows(env: Env): ProviderRow[] {
  const catalog = ModelCatalog.load(env);
  const stored = readStoredKeys(env);
  return [...catalog.backends.values()].map((b) => {
    const row: ProviderRow = { name: b.name, type: b.type, builtin: b.builtin, available: hasCredentials(b, env, stored) };
    if (b.baseURL) row.baseURL = b.baseURL;
    if (b.apiKeyEnv) row.apiKeyEnv = b.apiKeyEnv;
    if (b.description) row.description = b.description;
    return row;
  });
}

export interface NewProvider {
  type: string;
  baseURL?: string;
  apiKeyEnv?: string;
  description?: string;
}

export function addProvider(name: string, spec: NewProvider, env: Env): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new UsageError(`invalid provider name '${name}': use letters, digits, '.', '_' or '-'`);
  if (!(BACKEND_TYPES as readonly string[]).includes(spec.type)) {
    throw new UsageError(`unknown provider type '${spec.type}'${didYouMean(spec.type, BACKEND_TYPES)}; types: ${BACKEND_TYPES.join(', ')}`);
  }
  if (spec.type !== 'gemini' && spec.type !== 'codex' && !spec.baseURL) throw new UsageError('--base-url is required for this provider type');
  if (spec.baseURL && !/^https?:\/\//.test(spec.baseURL)) throw new UsageError(`--base-url must be an http(s) URL (got '${spec.baseURL}')`);
  if (spec.apiKeyEnv && !/^[A-Z_][A-Z0-9_]*$/.test(spec.apiKeyEnv)) throw new UsageError(`--api-key-env must be an environment variable name such as MY_API_KEY`);
  updateUserProfiles(env, (data) => {
    const backends = (data.backends ??= {});
    backends[name] = {
      backend_type: spec.type,
      ...(spec.baseURL ? { base_url: spec.baseURL } : {}),
      ...(spec.apiKeyEnv ? { api_key_env: spec.apiKeyEnv } : {}),
      ...(spec.description ? { description: spec.description } : {}),
    };
  });
}

/** Delete a user provider; refuses built-ins and providers that presets still use. */
export function deleteProvider(name: string, env: Env): void {
  const catalog = ModelCatalog.load(env);
  const backend = catalog.backends.get(name);
  if (!backend) throw new UsageError(`unknown provider '${name}'${didYouMean(name, [...catalog.backends.keys()])}`);
  if (backend.builtin) throw new UsageError(`${name} is built in and cannot be deleted`);
  const users = catalog.presets.filter((p) => p.provider === name && !p.builtin).map((p) => `${p.provider}/${p.name}`);
  if (users.length) throw new UsageError(`presets still use ${name}: ${users.join(', ')}; delete them first (kt config llm delete)`);
  updateUserProfiles(env, (data) => {
    if (data.backends) delete data.backends[name];
    if (data.providers) delete data.providers[name];
  });
}
