/**
 * Key management shared by `kt login` and `kt config key`.
 */
import type { Env } from '../../engine/home.js';
import { UsageError } from '../../engine/errors.js';
import { KeyStore } from '../../engine/llm/key-store.js';
import { lookupKey, maskKey, readStoredKeys } from '../../engine/llm/keys.js';
import { ModelCatalog } from '../../engine/llm/profiles/catalog.js';
import type { Backend } from '../../engine/llm/profiles/types.js';
import { didYouMean } from '../../engine/util/close-match.js';

/** The provider a key is for; refuses unknown names and providers that take no key. */
export function providerForKey(name: string, env: Env): Backend {
  const catalog = ModelCatalog.load(env);
  const backend = catalog.backends.get(name);
  if (!backend) {
    const names = [...catalog.backends.values()].filter((b) => b.apiKeyEnv).map((b) => b.name);
    throw new UsageError(`unknown provider '${name}'${didYouMean(name, [...names, 'codex'])}; providers with keys: ${names.join(', ')}, and codex (kt login codex)`);
  }
  if (backend.type === 'codex') throw new UsageError('codex uses a ChatGPT sign-in: run kt login codex');
  if (!backend.apiKeyEnv) throw new UsageError(`${backend.name} needs no API key`);
  return backend;
}

export async function saveKey(provider: string, key: string, env: Env): Promise<{ path: string; masked: string; replaced: boolean }> {
  const store = await KeyStore.open(env);
  const replaced = store.get(provider) !== undefined;
  store.set(provider, key);
  return { path: store.path, masked: maskKey(key), replaced };
}

export interface KeyStatus {
  provider: string;
  envVar: string;
  source: 'stored' | 'env' | 'missing';
  masked?: string;
}

export function keyStatuses(env: Env): KeyStatus[] {
  const catalog = ModelCatalog.load(env);
  const stored = readStoredKeys(env);
  return [...catalog.backends.values()]
    .filter((b) => b.apiKeyEnv)
    .map((backend) => {
      const found = lookupKey(backend, env, stored);
      const status: KeyStatus = { provider: backend.name, envVar: backend.apiKeyEnv as string, source: found?.source ?? 'missing' };
      if (found) status.masked = maskKey(found.key);
      return status;
    });
}
