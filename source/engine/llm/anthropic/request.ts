/**
 * Our provider-neutral request → the streaming `POST /v1/messages` body.
 * Pure data, so it can be tested without the SDK or a server.
 */
import type { LLMRequest, ToolSpec } from '../provider.js';
import { toWireConversation } from './conversation.js';
import { deepMerge } from './deep-merge.js';
import { withCacheBreakpoints, type CacheableParts } from './prompt-caching.js';
import { defaultMaxTokens, thinkingSettings } from './thinking-config.js';
import type { WireTool } from './wire-types.js';

/** What the adapter knows beyond the request itself. */
export interface BodySettings {
  model: string;
  /** The preset's output limit; the `max_tokens` default derives from it. */
  maxOutput?: number | undefined;
  /** Place cache breakpoints (an `extraBody` of `disable_prompt_caching: true` still turns them off). */
  promptCaching: boolean;
}

/**
 * `extraBody` keys that steer this adapter and are never sent. Everything
 * else in `extraBody` is deep-merged over the body we build.
 */
export const OWN_EXTRA_KEYS: readonly string[] = Object.freeze(['disable_prompt_caching']);

/** The API accepts temperatures up to 1; our config allows OpenAI's range of up to 2. */
const MAX_TEMPERATURE = 1;

/**
 * The body for a streamed Messages call.
 *
 * `temperature` is sent only while thinking is off: the API rejects it next
 * to thinking (its rule, not ours), and it is clamped to the API's 0–1 range.
 * It is also left out when `extraBody` sets one, which then wins as
 * usual. Note the current API version no longer lists sampling parameters
 * at all; they matter for Anthropic-compatible endpoints, so a preset for
 * the official API should leave temperature unset.
 *
 * `stream: true` is set last: the adapter reads events and nothing else.
 */
export function buildMessagesBody(request: LLMRequest, settings: BodySettings): Record<string, unknown> {
  return assembleBody(request, settings, wireParts(request, settings));
}

/** The system prompt, turns and tools as sent, cache breakpoints placed. */
export function wireParts(request: LLMRequest, settings: BodySettings): CacheableParts {
  const caching = settings.promptCaching && request.extraBody?.['disable_prompt_caching'] !== true;
  const base = { ...toWireConversation(request.messages), tools: (request.tools ?? []).map(cachedWireTool) };
  return caching ? withCacheBreakpoints(base) : base;
}

/**
 * The body around the given parts. Empty `system` and `tools` are left out;
 * the body encoder passes empty parts to get everything else.
 */
export function assembleBody(request: LLMRequest, settings: BodySettings, parts: CacheableParts): Record<string, unknown> {
  const extra: Record<string, unknown> = { ...request.extraBody };
  for (const key of OWN_EXTRA_KEYS) delete extra[key];
  const { system, messages, tools } = parts;

  const maxTokens = request.maxTokens ?? defaultMaxTokens(settings.maxOutput);
  const { thinking, effort } = thinkingSettings(settings.model, request.reasoningEffort, maxTokens);

  const body: Record<string, unknown> = { model: settings.model, max_tokens: maxTokens, messages };
  if (system.length > 0) body['system'] = system;
  if (tools.length > 0) body['tools'] = tools;
  if (thinking) body['thinking'] = thinking;
  if (effort) body['output_config'] = { effort };

  const merged = deepMerge(body, extra);
  if (request.temperature !== undefined && !('temperature' in extra) && !thinkingOn(merged['thinking'])) {
    merged['temperature'] = Math.min(Math.max(request.temperature, 0), MAX_TEMPERATURE);
  }
  merged['stream'] = true;
  return merged;
}

/** `enabled` and `adaptive` think; `disabled` and `between_tools` do not. */
function thinkingOn(thinking: unknown): boolean {
  if (typeof thinking !== 'object' || thinking === null) return false;
  const type = (thinking as Record<string, unknown>)['type'];
  return type === 'enabled' || type === 'adaptive';
}

// Tool specs never change once made, and every round resends them all.
const wireTools = new WeakMap<ToolSpec, WireTool>();

function cachedWireTool(tool: ToolSpec): WireTool {
  let wire = wireTools.get(tool);
  if (!wire) wireTools.set(tool, (wire = { name: tool.name, description: tool.description, input_schema: tool.parameters }));
  return wire;
}
