/**
 * kt's own settings (not a creature's): a small JSON file in the config home,
 * written through `conf` like the key store. Reading is a plain JSON read so
 * `kt` with no arguments does not load conf just to find its default creature.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../../engine/errors.js';
import { configHome, ensurePrivateDir, type Env } from '../../engine/home.js';

/** What `kt` with no arguments runs when no default_creature is set. */
export const DEFAULT_CREATURE = '@kt-biome/creatures/swe';

/** The settings kt knows, with what each means (for errors and help). */
export const SETTINGS = {
  default_creature: `the creature \`kt\` with no arguments runs (default ${DEFAULT_CREATURE})`,
} as const;

export type SettingKey = keyof typeof SETTINGS;

export function settingsPath(env: Env = process.env): string {
  return join(configHome(env), 'settings.json');
}

/** Every stored setting; an absent file is none. A malformed file is an error naming it, never cleared. */
export function readSettings(env: Env = process.env): Partial<Record<SettingKey, string>> {
  const file = settingsPath(env);
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read kt settings: ${(error as Error).message}`, { file }, { hint: 'fix or delete the file' });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError('kt settings must be a JSON object', { file });
  const out: Partial<Record<SettingKey, string>> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key in SETTINGS && typeof value === 'string' && value.trim()) out[key as SettingKey] = value;
  }
  return out;
}

/** The creature `kt` with no arguments starts. */
export function defaultCreature(env: Env = process.env): string {
  return readSettings(env).default_creature ?? DEFAULT_CREATURE;
}

export function settingKey(key: string | undefined): SettingKey {
  if (key && key in SETTINGS) return key as SettingKey;
  const known = Object.keys(SETTINGS).join(', ');
  throw new UsageError(key ? `unknown setting '${key}'; known: ${known}` : `missing setting name; known: ${known}`);
}

/** Store (or, with `undefined`, remove) one setting. */
export async function writeSetting(key: SettingKey, value: string | undefined, env: Env = process.env): Promise<void> {
  readSettings(env); // a malformed file is reported, not overwritten
  ensurePrivateDir(configHome(env));
  const { default: Conf } = await import('conf');
  const store = new Conf<Record<string, string>>({
    cwd: configHome(env),
    configName: 'settings',
    projectName: 'kohakuterrarium',
    configFileMode: 0o600,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  });
  if (value === undefined) store.delete(key);
  else store.set(key, value);
}
