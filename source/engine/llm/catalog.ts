/**
 * Built-in LLM backends and model presets. A backend is an API endpoint plus
 * where its key comes from; a preset is a named model on a backend with its
 * limits. User profiles (llm_profiles.yaml) extend these.
 */

export type BackendType = 'openai' | 'anthropic' | 'gemini';

export interface BackendSpec {
  name: string;
  type: BackendType;
  baseURL?: string;
  /** Env var holding the API key; empty for keyless local servers. */
  apiKeyEnv: string;
  /** Env var that overrides the base URL. */
  baseURLEnv?: string;
}

export interface PresetSpec {
  name: string;
  backend: string;
  model: string;
  maxContext?: number;
  maxOutput?: number;
  aliases?: string[];
}

export const BUILTIN_BACKENDS: readonly BackendSpec[] = [
  { name: 'openai', type: 'openai', baseURL: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', baseURLEnv: 'OPENAI_BASE_URL' },
  { name: 'openrouter', type: 'openai', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' },
  { name: 'ollama', type: 'openai', baseURL: 'http://127.0.0.1:11434/v1', apiKeyEnv: '' },
  { name: 'anthropic', type: 'anthropic', baseURL: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY', baseURLEnv: 'ANTHROPIC_BASE_URL' },
  { name: 'gemini', type: 'gemini', apiKeyEnv: 'GEMINI_API_KEY', baseURLEnv: 'GOOGLE_GEMINI_BASE_URL' },
];

export const BUILTIN_PRESETS: readonly PresetSpec[] = [
  { name: 'gpt-5', backend: 'openai', model: 'gpt-5', maxContext: 400_000, maxOutput: 128_000, aliases: ['gpt5'] },
  { name: 'gpt-5-mini', backend: 'openai', model: 'gpt-5-mini', maxContext: 400_000, maxOutput: 128_000 },
  { name: 'gpt-4.1', backend: 'openai', model: 'gpt-4.1', maxContext: 1_047_576, maxOutput: 32_768 },
  { name: 'gpt-4.1-mini', backend: 'openai', model: 'gpt-4.1-mini', maxContext: 1_047_576, maxOutput: 32_768 },
  { name: 'gpt-4o', backend: 'openai', model: 'gpt-4o', maxContext: 128_000, maxOutput: 16_384 },
  { name: 'gpt-4o-mini', backend: 'openai', model: 'gpt-4o-mini', maxContext: 128_000, maxOutput: 16_384 },
];

/** The model used when neither flags, creature nor profile name one. */
export const DEFAULT_MODEL = 'openai/gpt-5-mini';
