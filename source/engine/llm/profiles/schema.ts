/**
 * The schema of `llm_profiles.yaml` (format version 3, the original's):
 * custom backends, presets grouped by provider, the default model.
 */
import { z } from 'zod';
import { lazySchema } from '../../util/lazy-schema.js';
import { REASONING_EFFORTS } from '../../config/schema.js';
import { BACKEND_TYPES } from './types.js';

export const backendSchema = lazySchema(() => z.strictObject({
  backend_type: z.enum(BACKEND_TYPES as [string, ...string[]]),
  base_url: z.string().min(1).optional(),
  api_key_env: z.string().optional(),
  base_url_env: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  description: z.string().optional(),
}));

const patch = lazySchema(() => z.record(z.string(), z.unknown()));

export const presetSchema = lazySchema(() => z.strictObject({
  model: z.string().min(1),
  /** Only in the legacy flat layout, where presets are not grouped by provider. */
  provider: z.string().min(1).optional(),
  max_context: z.number().int().positive().optional(),
  max_output: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  extra_body: z.record(z.string(), z.unknown()).optional(),
  variation_groups: z.record(z.string(), z.record(z.string(), patch)).optional(),
  aliases: z.array(z.string().min(1)).optional(),
  /** US dollars per million tokens: { input, output, cached }. */
  pricing: z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative(), cached: z.number().nonnegative().optional() }).optional(),
}));

export const profilesFileSchema = lazySchema(() => z.strictObject({
  version: z.number().int().optional(),
  default_model: z.string().min(1).optional(),
  backends: z.record(z.string(), backendSchema).optional(),
  /** The original also accepts this name for `backends`. */
  providers: z.record(z.string(), backendSchema).optional(),
  /** `{provider: {name: preset}}`, or the legacy flat `{name: preset-with-provider}`. */
  presets: z.record(z.string(), z.union([presetSchema, z.record(z.string(), presetSchema)])).optional(),
}));

export type ProfilesFile = z.output<typeof profilesFileSchema>;
export type BackendEntry = z.output<typeof backendSchema>;
export type PresetEntry = z.output<typeof presetSchema>;

export const PROFILES_VERSION = 3;
