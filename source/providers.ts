/**
 * `kohakuterrarium/providers`: the provider adapters as classes, for
 * constructing one yourself and passing it as `Agent.build(..., { llm })`.
 * A separate entry so that importing the main library does not load every
 * vendor SDK; each class here pulls in its own.
 */
export { OpenAICompatibleProvider, type OpenAICompatibleOptions } from './engine/llm/openai/adapter.js';
export { ResponsesProvider, type ResponsesProviderOptions } from './engine/llm/openai/responses/adapter.js';
export { AnthropicProvider, type AnthropicOptions } from './engine/llm/anthropic/adapter.js';
export { GeminiProvider, type GeminiProviderOptions } from './engine/llm/gemini/adapter.js';
