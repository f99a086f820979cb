/**
 * The half of the Anthropic adapter that needs `@anthropic-ai/sdk` at run
 * time: making the client and recognising the SDK's error classes. The
 * adapter imports it on its first request, so importing the adapter (the
 * library's `kohakuterrarium/providers` entry loads every adapter) costs no
 * SDK for a program that never calls Anthropic.
 */
export { createClient } from './client.js';
export { toProviderError } from './error-mapping.js';
