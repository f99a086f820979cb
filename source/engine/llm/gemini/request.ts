/**
 * Our provider-neutral request → the parameters of
 * `models.generateContentStream`. Pure data conversion; the adapter adds
 * the transport fields (abort signal, fetch) afterwards.
 */
import type { Content, FunctionDeclaration, GenerateContentConfig, Tool } from '@google/genai';
import { deepMerge, isPlainObject } from '../../util/deep-merge.js';
import type { LLMRequest, ToolSpec } from '../provider.js';
import { toWireHistory } from './contents.js';
import { requiresCallSignatures, thinkingConfigFor } from './thinking.js';

// Part of this module's surface: callers (and tests) import the merge from here.
export { deepMerge };

/**
 * Google's documented stand-in for a missing thought signature: it tells
 * Gemini 3 to skip validation for history it did not write itself.
 */
export const SKIP_SIGNATURE_VALIDATION = 'skip_thought_signature_validator';

/** What `models.generateContentStream` takes, minus the transport fields. */
export interface GenerateParams {
  model: string;
  contents: Content[];
  config: GenerateContentConfig;
}

/**
 * The parameters for one streamed generation.
 *
 * `extraBody` is deep-merged into `config` last, so a preset can override
 * anything, e.g. `{ thinkingConfig: { thinkingBudget: 0 } }`. Keys must be
 * the SDK's `GenerateContentConfig` names (camelCase): the SDK builds the
 * wire body from known config fields only and drops anything else.
 */
export function buildGenerateParams(model: string, request: LLMRequest): GenerateParams {
  const history = toWireHistory(
    request.messages,
    requiresCallSignatures(model) ? { fallbackSignature: SKIP_SIGNATURE_VALIDATION } : {},
  );
  const config: GenerateContentConfig = {};
  if (history.systemInstruction) config.systemInstruction = history.systemInstruction;
  if (request.tools && request.tools.length > 0) config.tools = [toolsOf(request.tools)];
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  const thinking = thinkingConfigFor(model, request.reasoningEffort);
  if (thinking) config.thinkingConfig = thinking;

  const merged = request.extraBody ? (deepMerge(config, request.extraBody) as GenerateContentConfig) : config;
  if (request.extraBody) reconcileThinking(merged, request.extraBody);
  return { model, contents: history.contents, config: merged };
}

// Tool specs never change once made; a long turn resends them every round.
const declarations = new WeakMap<ToolSpec, FunctionDeclaration>();

function toolsOf(specs: readonly ToolSpec[]): Tool {
  return {
    functionDeclarations: specs.map((spec) => {
      let declaration = declarations.get(spec);
      if (!declaration) declarations.set(spec, (declaration = toDeclaration(spec)));
      return declaration;
    }),
  };
}

/**
 * `parametersJsonSchema` takes JSON Schema as is (our zod-made schemas);
 * `parameters` would be Google's OpenAPI subset, which the SDK rewrites in
 * place.
 */
export function toDeclaration(spec: ToolSpec): FunctionDeclaration {
  return { name: spec.name, description: spec.description, parametersJsonSchema: spec.parameters };
}

/**
 * A level and a budget together are rejected: when the preset picked one,
 * drop the other one we derived from `reasoningEffort`.
 */
function reconcileThinking(config: GenerateContentConfig, extra: Record<string, unknown>): void {
  const chosen = extra['thinkingConfig'];
  const thinking = config.thinkingConfig;
  if (!isPlainObject(chosen) || !thinking) return;
  if ('thinkingBudget' in chosen && !('thinkingLevel' in chosen)) delete thinking.thinkingLevel;
  if ('thinkingLevel' in chosen && !('thinkingBudget' in chosen)) delete thinking.thinkingBudget;
}
