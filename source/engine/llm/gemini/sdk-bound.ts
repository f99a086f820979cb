/**
 * The half of the Gemini adapter that needs `@google/genai` at run time:
 * making the client and recognising the SDK's errors. The adapter imports it
 * on its first request, so importing the adapter (the library's
 * `kohakuterrarium/providers` entry loads every adapter) costs no SDK for a
 * program that never calls Gemini.
 */
export { createGeminiClient } from './client.js';
export { toProviderError } from './error-mapping.js';
