/**
 * Our provider-neutral request → the streaming `POST /responses` body.
 */
import type { FunctionTool, ResponseCreateParamsStreaming } from 'openai/resources/responses/responses';
import type { LLMRequest, ToolSpec } from '../../provider.js';
import type { ResponsesInput } from './input.js';

/** What the body depends on besides the request itself. */
export interface BodySettings {
  /** Sent as `store`; false means reasoning must travel encrypted in the request. */
  store: boolean;
  /** Talking to ChatGPT's Codex backend, which accepts a narrower set of fields. */
  codex: boolean;
}

/**
 * The streaming body.
 *
 * - `max_output_tokens` is left out for the Codex backend: it rejects the
 *   whole request with "Unsupported parameter: max_output_tokens".
 * - Encrypted reasoning is requested whenever the server keeps no state and
 *   the model can reason; models that cannot reject the `include` with a 400.
 * - `extraBody` is merged last so it can override anything (`include: []`
 *   for a model we misjudge) except `stream`, which the adapter depends on.
 */
export function buildResponsesBody(
  model: string,
  request: LLMRequest,
  converted: ResponsesInput,
  settings: BodySettings,
): ResponseCreateParamsStreaming {
  const body: Record<string, unknown> = {
    model,
    // Always sent: the Codex backend answers 400 "Instructions are required" without it.
    instructions: converted.instructions,
    input: converted.input,
    store: settings.store,
    parallel_tool_calls: true,
  };
  if (request.tools && request.tools.length > 0) body['tools'] = request.tools.map(cachedWireTool);
  if (!settings.store && canReason(model)) body['include'] = ['reasoning.encrypted_content'];
  const effort = request.reasoningEffort;
  if (effort !== undefined) {
    // With no reasoning there is nothing to summarise.
    body['reasoning'] = effort === 'none' ? { effort } : { effort, summary: 'auto' };
  }
  if (request.maxTokens !== undefined && !settings.codex) body['max_output_tokens'] = request.maxTokens;
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  Object.assign(body, request.extraBody);
  body['stream'] = true;
  // Built from loose records so provider-specific fields can ride along.
  return body as unknown as ResponseCreateParamsStreaming;
}

/**
 * Whether the model produces reasoning items. OpenAI's non-reasoning chat
 * models (GPT-4 family, GPT-3.5, the `-chat` variants of GPT-5) answer
 * "Encrypted content is not supported with this model"; everything else
 * served by the Responses API reasons.
 */
export function canReason(model: string): boolean {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return !/^(gpt-4|gpt-3\.5|chatgpt-)/.test(name) && !/^gpt-5[.\d]*-chat/.test(name);
}

// Tool specs never change once made; a turn resends them every round.
const wireTools = new WeakMap<ToolSpec, FunctionTool>();

export function cachedWireTool(tool: ToolSpec): FunctionTool {
  let wire = wireTools.get(tool);
  if (!wire) wireTools.set(tool, (wire = toWireTool(tool)));
  return wire;
}

/** `strict: false`: strict mode demands schemas our tools do not promise (every property required, no extras). */
export function toWireTool(tool: ToolSpec): FunctionTool {
  return { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false };
}
