/**
 * Identity and settings: the models and providers kt knows, and API keys.
 * Keys are write-only: they are stored and removed here, and only whether a
 * provider has one is ever returned. With user accounts each user has a key
 * file of their own (never the host's, never another user's).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configHome, KeyStore, ModelCatalog, type Env } from '../../index.js';

export function listModels(env: Env) {
  const catalog = ModelCatalog.load(env);
  return catalog.presets.map((p) => ({
    id: `${p.provider}/${p.name}`,
    provider: p.provider,
    model: p.model,
    ...(p.maxContext ? { maxContext: p.maxContext } : {}),
    builtin: p.builtin,
  }));
}

/** Where keys live: the host's key store (kt login's), or a user's own file. */
export interface KeyVault {
  has(provider: string): boolean;
  set(provider: string, key: string): Promise<void>;
  delete(provider: string): Promise<boolean>;
  /** The keys as environment variables for a creature this user starts. */
  asEnv(env: Env): Record<string, string>;
}

export function listProviders(env: Env, vault: KeyVault) {
  const catalog = ModelCatalog.load(env);
  return [...catalog.backends.values()].map((b) => ({ name: b.name, type: b.type, hasKey: vault.has(b.name) || Boolean(b.apiKeyEnv && env[b.apiKeyEnv]) }));
}

/** The host's own keys (single-user servers): the same file `kt login` writes. */
export function hostVault(env: Env): KeyVault {
  return {
    has: (provider) => {
      try {
        return Boolean(readJson(KeyStorePath(env))[provider]);
      } catch {
        return false;
      }
    },
    set: async (provider, key) => (await KeyStore.open(env)).set(provider, key),
    delete: async (provider) => (await KeyStore.open(env)).delete(provider),
    asEnv: () => ({}),
  };
}

function KeyStorePath(env: Env): string {
  return join(configHome(env), 'api_keys.json');
}

/** One user's keys in a 0600 JSON file of their own; creatures they start see them as the providers' key variables. */
export function userVault(file: string): KeyVault {
  const read = () => (existsSync(file) ? readJson(file) : {});
  const write = (keys: Record<string, string>) => {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.tmp`;
    writeFileSync(temp, JSON.stringify(keys), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  };
  return {
    has: (provider) => Boolean(read()[provider]),
    set: async (provider, key) => write({ ...read(), [provider]: key }),
    delete: async (provider) => {
      const keys = read();
      if (!(provider in keys)) return false;
      delete keys[provider];
      write(keys);
      return true;
    },
    asEnv: (env) => {
      const keys = read();
      const catalog = ModelCatalog.load(env);
      const out: Record<string, string> = {};
      for (const b of catalog.backends.values()) if (b.apiKeyEnv && keys[b.name]) out[b.apiKeyEnv] = keys[b.name] as string;
      return out;
    },
  };
}

function readJson(file: string): Record<string, string> {
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, string>) : {};
}
