/**
 * The testing kit: a scripted in-process provider for fast engine and
 * creature tests, and protocol-faithful fake servers for tests that must go
 * through the official SDKs over real HTTP (OpenAI chat completions and
 * Responses, Anthropic Messages, Gemini, and the OpenAI sign-in used by
 * `kt login codex`). The fakes live in `test/fakes` (the project's own tests
 * use them) and ship from here.
 */
export { ScriptedLLM, type ScriptEntry, type ScriptStep, type ScriptedLLMOptions } from './scripted-llm.js';
export * from '../../test/fakes/openai-server.js';
export * from '../../test/fakes/responses-server.js';
export * from '../../test/fakes/anthropic-server.js';
export * from '../../test/fakes/gemini-server.js';
export * from '../../test/fakes/codex-auth-server.js';
export { FakeClock } from './fake-clock.js';
export { ReplayLLM, type ReplayLLMOptions, expectSameBehaviour, BehaviourChangedError } from './replay-llm.js';
