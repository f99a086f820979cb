/**
 * The providers and models KohakuTerrarium knows out of the box. Model ids
 * and limits are the vendors' published ones as of late 2026; users add or
 * override entries in llm_profiles.yaml. Prices are given only for models
 * whose list price we could state with confidence; for the rest, a user adds
 * `pricing:` to the preset in llm_profiles.yaml and cost_tracker uses it.
 */
import type { Backend, Preset, VariationGroups } from './types.js';

const backend = (b: Omit<Backend, 'builtin'>): Backend => ({ ...b, builtin: true });

export const BUILTIN_BACKENDS: readonly Backend[] = [
  backend({ name: 'openai', type: 'openai', baseURL: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', baseURLEnv: 'OPENAI_BASE_URL', description: 'OpenAI API (chat completions)' }),
  backend({ name: 'codex', type: 'codex', baseURL: 'https://chatgpt.com/backend-api/codex', baseURLEnv: 'KT_CODEX_BASE_URL', description: 'OpenAI models through a ChatGPT subscription (kt login codex)' }),
  backend({ name: 'anthropic', type: 'anthropic', baseURL: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY', baseURLEnv: 'ANTHROPIC_BASE_URL', description: 'Anthropic Messages API' }),
  backend({ name: 'gemini', type: 'gemini', apiKeyEnv: 'GEMINI_API_KEY', baseURLEnv: 'GOOGLE_GEMINI_BASE_URL', description: 'Google Gemini API' }),
  backend({ name: 'openrouter', type: 'openai', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY', description: 'OpenRouter (many vendors, one key)' }),
  backend({ name: 'moonshot', type: 'openai', baseURL: 'https://api.moonshot.ai/v1', apiKeyEnv: 'MOONSHOT_API_KEY', description: 'Moonshot Kimi API' }),
  backend({ name: 'kimi-code', type: 'anthropic', baseURL: 'https://api.kimi.com/coding', apiKeyEnv: 'KIMI_CODE_API_KEY', description: 'Kimi Code plan (Anthropic-compatible)' }),
  backend({ name: 'zai', type: 'openai', baseURL: 'https://api.z.ai/api/paas/v4', apiKeyEnv: 'ZAI_API_KEY', description: 'Z.ai GLM API' }),
  backend({ name: 'glm-coding', type: 'anthropic', baseURL: 'https://open.bigmodel.cn/api/anthropic', apiKeyEnv: 'GLM_CODING_API_KEY', options: { auth: 'bearer' }, description: 'GLM Coding Plan (Anthropic-compatible)' }),
  backend({ name: 'ollama', type: 'openai', baseURL: 'http://127.0.0.1:11434/v1', description: 'Local Ollama server' }),
  backend({ name: 'vllm', type: 'openai', baseURL: 'http://127.0.0.1:8000/v1', description: 'Local vLLM server' }),
  backend({ name: 'lmstudio', type: 'openai', baseURL: 'http://127.0.0.1:1234/v1', description: 'Local LM Studio server' }),
];

/** A `reasoning` group whose options set `reasoning_effort` (each adapter maps it to its API). */
function effort(...levels: string[]): VariationGroups {
  return { reasoning: Object.fromEntries(levels.map((level) => [level, { reasoning_effort: level }])) };
}

const OPENAI_EFFORT = effort('none', 'low', 'medium', 'high', 'xhigh');
const FAST: VariationGroups = { speed: { fast: { 'extra_body.service_tier': 'priority' }, flex: { 'extra_body.service_tier': 'flex' } } };
const CLAUDE_EFFORT = effort('none', 'low', 'medium', 'high', 'xhigh');
const GEMINI_EFFORT = effort('low', 'medium', 'high');

const preset = (p: Omit<Preset, 'builtin'>): Preset => ({ ...p, builtin: true });

export const BUILTIN_PRESETS: readonly Preset[] = [
  // OpenAI, API key
  preset({ provider: 'openai', name: 'gpt-5.5', model: 'gpt-5.5', maxContext: 272_000, maxOutput: 128_000, reasoningEffort: 'high', variationGroups: { ...OPENAI_EFFORT, ...FAST }, aliases: ['gpt', 'gpt5'] }),
  preset({ provider: 'openai', name: 'gpt-5.4', model: 'gpt-5.4', maxContext: 400_000, maxOutput: 128_000, reasoningEffort: 'high', variationGroups: { ...OPENAI_EFFORT, ...FAST } }),
  preset({ provider: 'openai', name: 'gpt-5.4-mini', model: 'gpt-5.4-mini', maxContext: 400_000, maxOutput: 128_000, reasoningEffort: 'medium', variationGroups: OPENAI_EFFORT }),
  preset({ provider: 'openai', name: 'gpt-5.4-nano', model: 'gpt-5.4-nano', maxContext: 400_000, maxOutput: 128_000, reasoningEffort: 'low', variationGroups: OPENAI_EFFORT }),
  preset({ provider: 'openai', name: 'gpt-4.1', model: 'gpt-4.1', maxContext: 1_047_576, maxOutput: 32_768, pricing: { input: 2, output: 8, cached: 0.5 } }),
  preset({ provider: 'openai', name: 'gpt-4o-mini', model: 'gpt-4o-mini', maxContext: 128_000, maxOutput: 16_384, pricing: { input: 0.15, output: 0.6, cached: 0.075 } }),
  // OpenAI through a ChatGPT subscription
  preset({ provider: 'codex', name: 'gpt-5.5', model: 'gpt-5.5', maxContext: 272_000, maxOutput: 128_000, reasoningEffort: 'high', variationGroups: OPENAI_EFFORT }),
  preset({ provider: 'codex', name: 'gpt-5.4', model: 'gpt-5.4', maxContext: 272_000, maxOutput: 128_000, reasoningEffort: 'high', variationGroups: OPENAI_EFFORT }),
  preset({ provider: 'codex', name: 'gpt-5.4-mini', model: 'gpt-5.4-mini', maxContext: 272_000, maxOutput: 128_000, reasoningEffort: 'medium', variationGroups: OPENAI_EFFORT }),
  // Anthropic
  preset({ provider: 'anthropic', name: 'claude-opus-4.8', model: 'claude-opus-4-8', maxContext: 1_000_000, maxOutput: 64_000, reasoningEffort: 'high', variationGroups: CLAUDE_EFFORT, aliases: ['opus'] }),
  preset({ provider: 'anthropic', name: 'claude-sonnet-5', model: 'claude-sonnet-5', maxContext: 1_000_000, maxOutput: 64_000, reasoningEffort: 'high', variationGroups: CLAUDE_EFFORT, aliases: ['sonnet', 'claude'] }),
  preset({ provider: 'anthropic', name: 'claude-opus-4.7', model: 'claude-opus-4-7', maxContext: 1_000_000, maxOutput: 64_000, reasoningEffort: 'high', variationGroups: CLAUDE_EFFORT }),
  preset({ provider: 'anthropic', name: 'claude-sonnet-4.6', model: 'claude-sonnet-4-6', maxContext: 1_000_000, maxOutput: 64_000, reasoningEffort: 'high', variationGroups: CLAUDE_EFFORT, pricing: { input: 3, output: 15, cached: 0.3 } }),
  preset({ provider: 'anthropic', name: 'claude-haiku-4.5', model: 'claude-haiku-4-5', maxContext: 200_000, maxOutput: 64_000, aliases: ['haiku'], pricing: { input: 1, output: 5, cached: 0.1 } }),
  // Google
  preset({ provider: 'gemini', name: 'gemini-3.1-pro', model: 'gemini-3.1-pro-preview', maxContext: 1_048_576, maxOutput: 65_536, reasoningEffort: 'high', variationGroups: GEMINI_EFFORT, aliases: ['gemini'] }),
  preset({ provider: 'gemini', name: 'gemini-3.5-flash', model: 'gemini-3.5-flash', maxContext: 1_048_576, maxOutput: 65_536, reasoningEffort: 'medium', variationGroups: GEMINI_EFFORT, aliases: ['flash'] }),
  preset({ provider: 'gemini', name: 'gemini-3.1-flash-lite', model: 'gemini-3.1-flash-lite', maxContext: 1_048_576, maxOutput: 65_536, reasoningEffort: 'low', variationGroups: effort('low', 'medium') }),
  // OpenRouter: the same flagships with one key
  preset({ provider: 'openrouter', name: 'claude-sonnet-5-or', model: 'anthropic/claude-sonnet-5', maxContext: 1_000_000, maxOutput: 64_000, variationGroups: CLAUDE_EFFORT }),
  preset({ provider: 'openrouter', name: 'claude-opus-4.8-or', model: 'anthropic/claude-opus-4.8', maxContext: 1_000_000, maxOutput: 64_000, variationGroups: CLAUDE_EFFORT }),
  preset({ provider: 'openrouter', name: 'gpt-5.5-or', model: 'openai/gpt-5.5', maxContext: 272_000, maxOutput: 128_000, variationGroups: OPENAI_EFFORT }),
  preset({ provider: 'openrouter', name: 'gemini-3.1-pro-or', model: 'google/gemini-3.1-pro-preview', maxContext: 1_048_576, maxOutput: 65_536, variationGroups: GEMINI_EFFORT }),
  preset({ provider: 'openrouter', name: 'kimi-k2.6-or', model: 'moonshotai/kimi-k2.6', maxContext: 262_144 }),
  preset({ provider: 'openrouter', name: 'glm-5.2-or', model: 'z-ai/glm-5.2', maxContext: 1_000_000, maxOutput: 131_072 }),
  preset({ provider: 'openrouter', name: 'qwen3-coder-plus', model: 'qwen/qwen3-coder-plus', maxContext: 1_000_000 }),
  // Kimi (Moonshot)
  preset({ provider: 'moonshot', name: 'kimi-k2.6', model: 'kimi-k2.6', maxContext: 262_144, maxOutput: 32_768, aliases: ['kimi'] }),
  preset({ provider: 'kimi-code', name: 'kimi-for-coding', model: 'kimi-for-coding', maxContext: 262_144, maxOutput: 32_768 }),
  // GLM (Zhipu / Z.ai)
  preset({ provider: 'zai', name: 'glm-5.2', model: 'glm-5.2', maxContext: 1_000_000, maxOutput: 131_072, aliases: ['glm'] }),
  preset({ provider: 'glm-coding', name: 'glm-5.3-coding', model: 'glm-5.3', maxContext: 262_144, maxOutput: 131_072 }),
  preset({ provider: 'glm-coding', name: 'glm-5.2-coding', model: 'glm-5.2', maxContext: 262_144, maxOutput: 131_072 }),
];

/**
 * With no model chosen anywhere, the first of these whose credentials are
 * present is used, so `kt run` works for whoever has any one key.
 */
export const AUTO_DEFAULTS: readonly string[] = [
  'codex/gpt-5.5',
  'anthropic/claude-sonnet-5',
  'openai/gpt-5.5',
  'gemini/gemini-3.1-pro',
  'openrouter/claude-sonnet-5-or',
  'moonshot/kimi-k2.6',
  'zai/glm-5.2',
];

/** When a bare preset name exists on several providers, the first with credentials wins, in this order. */
export const PROVIDER_PRIORITY: readonly string[] = ['codex', 'openai', 'anthropic', 'gemini', 'openrouter', 'moonshot', 'kimi-code', 'zai', 'glm-coding'];
