/**
 * Reading and writing `<config home>/llm_profiles.yaml`. Reads report a
 * malformed file with its file, line and key; writes are atomic (temp file
 * + rename) so a crash never leaves half a file.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { configHome, ensurePrivateDir, writePrivateFile, type Env } from '../../home.js';
import { validateDocument, type ConfigWarning } from '../../config/validate.js';
import { YamlSource } from '../../config/yaml-source.js';
import { PROFILES_VERSION, profilesFileSchema, type BackendEntry, type PresetEntry, type ProfilesFile } from './schema.js';
import type { Backend, Preset } from './types.js';

export function profilesPath(env: Env = process.env): string {
  return join(configHome(env), 'llm_profiles.yaml');
}

export interface UserProfiles {
  file: string;
  defaultModel?: string;
  backends: Backend[];
  presets: Preset[];
  warnings: ConfigWarning[];
}

/** The user's profiles; an absent file is an empty set. */
export function readUserProfiles(env: Env = process.env): UserProfiles {
  const file = profilesPath(env);
  const out: UserProfiles = { file, backends: [], presets: [], warnings: [] };
  if (!existsSync(file)) return out;
  const source = YamlSource.read(file);
  const data: ProfilesFile = validateDocument(profilesFileSchema, source.data ?? {}, source, out.warnings, 'llm_profiles.yaml');
  if (data.default_model) out.defaultModel = data.default_model;
  for (const [name, entry] of Object.entries({ ...data.providers, ...data.backends })) out.backends.push(toBackend(name, entry));
  for (const [key, value] of Object.entries(data.presets ?? {})) {
    if (isPresetEntry(value)) {
      // Legacy flat layout: the key is the preset name and the entry names its provider.
      out.presets.push(toPreset(value.provider ?? 'openai', key, value));
    } else {
      for (const [name, entry] of Object.entries(value)) out.presets.push(toPreset(key, name, entry));
    }
  }
  return out;
}

/** Load, change and save the raw file (creating it when absent). */
export function updateUserProfiles(env: Env, change: (data: ProfilesFile) => void): void {
  const file = profilesPath(env);
  let data: ProfilesFile = {};
  if (existsSync(file)) {
    const source = YamlSource.read(file);
    data = validateDocument(profilesFileSchema, source.data ?? {}, source, [], 'llm_profiles.yaml');
  }
  change(data);
  data.version = PROFILES_VERSION;
  const ordered: ProfilesFile = { version: data.version };
  if (data.default_model) ordered.default_model = data.default_model;
  const backends = { ...data.providers, ...data.backends };
  if (Object.keys(backends).length) ordered.backends = backends;
  if (data.presets && Object.keys(data.presets).length) ordered.presets = data.presets;
  ensurePrivateDir(configHome(env));
  const temp = `${file}.${process.pid}.tmp`;
  writePrivateFile(temp, stringify(ordered));
  renameSync(temp, file);
}

function isPresetEntry(value: unknown): value is PresetEntry {
  return typeof value === 'object' && value !== null && typeof (value as { model?: unknown }).model === 'string';
}

function toBackend(name: string, entry: BackendEntry): Backend {
  const backend: Backend = { name, type: entry.backend_type as Backend['type'], builtin: false };
  if (entry.base_url) backend.baseURL = entry.base_url;
  if (entry.api_key_env) backend.apiKeyEnv = entry.api_key_env;
  if (entry.base_url_env) backend.baseURLEnv = entry.base_url_env;
  if (entry.options) backend.options = entry.options;
  if (entry.description) backend.description = entry.description;
  return backend;
}

/** A validated preset entry as the catalog holds it (package presets use it too). */
export function toPreset(provider: string, name: string, entry: PresetEntry): Preset {
  const preset: Preset = { provider, name, model: entry.model, builtin: false };
  if (entry.max_context) preset.maxContext = entry.max_context;
  if (entry.max_output) preset.maxOutput = entry.max_output;
  if (entry.temperature !== undefined) preset.temperature = entry.temperature;
  if (entry.reasoning_effort) preset.reasoningEffort = entry.reasoning_effort;
  if (entry.extra_body) preset.extraBody = entry.extra_body;
  if (entry.variation_groups) preset.variationGroups = entry.variation_groups;
  if (entry.aliases) preset.aliases = entry.aliases;
  if (entry.pricing) preset.pricing = entry.pricing;
  return preset;
}
