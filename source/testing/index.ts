/**
 * The testing kit: a scripted in-process provider for fast engine and
 * creature tests, and a protocol-faithful fake OpenAI server for tests that
 * must go through a real HTTP client. The fake lives in `test/fakes` (the
 * project's own tests use it) and ships from here.
 */
export { ScriptedLLM, type ScriptEntry, type ScriptStep, type ScriptedLLMOptions } from './scripted-llm.js';
export * from '../../test/fakes/openai-server.js';
