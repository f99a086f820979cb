/**
 * API keys: where they are looked up (a stored key first, then the
 * provider's environment variable) and how they are shown (masked, never
 * whole). Stored keys live in `<config home>/api_keys.json`, written through
 * `conf` with mode 0600 (see key-store.ts); reading needs only the JSON, so a
 * plain `kt run` does not load conf.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { configHome, type Env } from '../home.js';
import { ConfigError } from '../errors.js';
import { rememberSecret } from '../util/redact.js';
import { BUILTIN_BACKENDS } from './profiles/builtin.js';
import type { Backend } from './profiles/types.js';

export function keysPath(env: Env = process.env): string {
  return join(configHome(env), 'api_keys.json');
}

/** Every stored key by provider name; an absent file is an empty set. */
export function readStoredKeys(env: Env = process.env): Record<string, string> {
  const file = keysPath(env);
  if (!existsSync(file)) return {};
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not a JSON object');
    const keys = Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));
    // Whatever kt has read, it must never print or save.
    for (const key of Object.values(keys)) rememberSecret(key);
    return keys;
  } catch (error) {
    throw new ConfigError(`cannot read stored API keys: ${(error as Error).message}`, { file }, { hint: 'fix or delete the file, then run kt login again' });
  }
}

export type KeySource = 'stored' | 'env';

export interface FoundKey {
  key: string;
  source: KeySource;
  /** The environment variable it came from, for `env`. */
  envVar?: string;
}

/** A stored key first, then the backend's environment variable. */
export function lookupKey(backend: Backend, env: Env, stored: Record<string, string> = readStoredKeys(env), envVarOverride?: string): FoundKey | undefined {
  const saved = stored[backend.name]?.trim();
  rememberSecret(saved);
  if (saved) return { key: saved, source: 'stored' };
  const envVar = envVarOverride ?? backend.apiKeyEnv;
  const fromEnv = envVar ? env[envVar]?.trim() : undefined;
  rememberSecret(fromEnv);
  return fromEnv && envVar ? { key: fromEnv, source: 'env', envVar } : undefined;
}

/**
 * Teach the redactor (engine/util/redact.ts) every credential kt can know of
 * before anything runs: the stored keys and the key variables of the known
 * providers (plus any `extraEnvVars`, for user-defined backends). A damaged
 * key file is left for the code that uses it to report.
 */
export function rememberKnownKeys(env: Env = process.env, extraEnvVars: readonly string[] = []): void {
  try {
    readStoredKeys(env);
  } catch {
    // reported where the keys are actually needed
  }
  for (const backend of BUILTIN_BACKENDS) if (backend.apiKeyEnv) rememberSecret(env[backend.apiKeyEnv]);
  for (const name of extraEnvVars) rememberSecret(env[name]);
}

/** The environment variables holding the keys of the providers kt knows out of the box. */
export function knownKeyVariables(): string[] {
  return BUILTIN_BACKENDS.flatMap((backend) => (backend.apiKeyEnv ? [backend.apiKeyEnv] : []));
}

/** `sk-a…wxyz`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '•'.repeat(key.length);
  return `${key.slice(0, 4)}…${key.slice(-4)}`;
}

/** Whether ChatGPT (Codex) sign-in tokens exist: ours, or the Codex CLI's. */
export function hasCodexLogin(env: Env = process.env): boolean {
  const home = env.HOME || homedir();
  return existsSync(join(configHome(env), 'codex-auth.json')) || existsSync(join(home, '.codex', 'auth.json'));
}

/** Whether a request to this backend could authenticate right now. Keyless backends count as unknown (false). */
export function hasCredentials(backend: Backend, env: Env, stored: Record<string, string> = readStoredKeys(env)): boolean {
  if (backend.type === 'codex') return hasCodexLogin(env);
  if (!backend.apiKeyEnv) return false;
  return lookupKey(backend, env, stored) !== undefined;
}
