/**
 * Backends (where requests go and how they authenticate) and presets (a
 * named model on a backend, with its limits and default knobs). Built-ins
 * and the user's llm_profiles.yaml produce the same shapes.
 */

/** The wire protocol an adapter speaks. */
export type BackendType = 'openai' | 'anthropic' | 'gemini' | 'codex' | 'openai-responses';

export const BACKEND_TYPES: readonly BackendType[] = ['openai', 'anthropic', 'gemini', 'codex', 'openai-responses'];

export interface Backend {
  name: string;
  type: BackendType;
  baseURL?: string;
  /** Env var holding the API key; absent for keyless servers and OAuth backends. */
  apiKeyEnv?: string;
  /** Env var that overrides the base URL (OPENAI_BASE_URL, ...). */
  baseURLEnv?: string;
  /** Extra adapter options (e.g. `{auth: 'bearer'}` for Anthropic-compatible endpoints). */
  options?: Record<string, unknown>;
  description?: string;
  builtin: boolean;
}

/** `{group: {option: {field-or-dotted-path: value}}}` */
export type VariationGroups = Record<string, Record<string, Record<string, unknown>>>;

/** US dollars per million tokens. `cached` prices prompt tokens read from the provider's cache. */
export interface Pricing {
  input: number;
  output: number;
  cached?: number;
}

export interface Preset {
  /** Name within its provider; `provider/name` is the canonical id. */
  name: string;
  provider: string;
  /** Model id as the API knows it. */
  model: string;
  maxContext?: number;
  maxOutput?: number;
  temperature?: number;
  reasoningEffort?: string;
  extraBody?: Record<string, unknown>;
  variationGroups?: VariationGroups;
  aliases?: string[];
  /** What a million tokens cost, when known (the cost_tracker plugin reads it). */
  pricing?: Pricing;
  builtin: boolean;
  /** The installed package whose kohaku.yaml `llm_presets:` brought it; absent for built-in and user presets. */
  package?: string;
}

/** Fields a variation may change (dotted paths under `extra_body` too). */
export const PATCHABLE_FIELDS = ['temperature', 'reasoning_effort', 'max_context', 'max_output', 'extra_body'] as const;
