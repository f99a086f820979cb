/**
 * The request rules the Messages API enforces with a 400, checked by the
 * fake so that a client that breaks them fails its tests the way it would
 * fail in production: required fields, non-empty text, tool_use/tool_result
 * pairing, the four-breakpoint cache limit and the thinking constraints.
 */
import type { FakeAnthropicRequestBody } from './anthropic-replies.js';

type Json = Record<string, unknown>;

/** The most `cache_control` breakpoints one request may carry. */
export const MAX_CACHE_BREAKPOINTS = 4;
const MIN_THINKING_BUDGET = 1024;

/** Why the API would reject `body`, or undefined when it would accept it. */
export function validateMessagesBody(body: FakeAnthropicRequestBody): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 0) {
    return 'max_tokens: Field required';
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  return firstOf(
    () => checkBlocks(body),
    () => checkPairing(body.messages as unknown[]),
    () => checkBreakpoints(body),
    () => checkThinking(body),
  );
}

function firstOf(...checks: Array<() => string | undefined>): string | undefined {
  for (const check of checks) {
    const problem = check();
    if (problem) return problem;
  }
  return undefined;
}

function checkBlocks(body: FakeAnthropicRequestBody): string | undefined {
  for (const [i, message] of (body.messages as unknown[]).entries()) {
    if (!isRecord(message) || (message['role'] !== 'user' && message['role'] !== 'assistant')) {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    for (const [j, block] of blocksOf(message).entries()) {
      if (block['type'] === 'text' && block['text'] === '') return `messages.${i}.content.${j}: text content blocks must be non-empty`;
      if ((block['type'] === 'thinking' || block['type'] === 'redacted_thinking') && 'cache_control' in block) {
        return `messages.${i}.content.${j}: cache_control cannot be set for thinking blocks`;
      }
    }
    if (typeof message['content'] === 'string' ? message['content'] === '' : blocksOf(message).length === 0) {
      return `messages.${i}: all messages must have non-empty content`;
    }
  }
  return undefined;
}

/** Every tool_use answered in the next (user) message, results first, and no result without its call. */
function checkPairing(messages: unknown[]): string | undefined {
  for (const [i, raw] of messages.entries()) {
    const message = raw as Json;
    const blocks = blocksOf(message);
    if (message['role'] === 'assistant') {
      const ids = blocks.filter((b) => b['type'] === 'tool_use').map((b) => String(b['id']));
      if (ids.length === 0) continue;
      const next = messages[i + 1] as Json | undefined;
      const answered = new Set(next ? blocksOf(next).filter((b) => b['type'] === 'tool_result').map((b) => String(b['tool_use_id'])) : []);
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return (
          `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
          'Each `tool_use` block must have a corresponding `tool_result` block in the next message.'
        );
      }
      continue;
    }
    const previous = messages[i - 1] as Json | undefined;
    const calls = new Set(
      previous?.['role'] === 'assistant' ? blocksOf(previous).filter((b) => b['type'] === 'tool_use').map((b) => String(b['id'])) : [],
    );
    let seenOther = false;
    for (const [j, block] of blocks.entries()) {
      if (block['type'] !== 'tool_result') {
        seenOther = true;
        continue;
      }
      if (seenOther) return `messages.${i}.content.${j}: tool_result blocks must come before any other content`;
      if (!calls.has(String(block['tool_use_id']))) {
        return (
          `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block['tool_use_id'])}. ` +
          'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
        );
      }
    }
  }
  return undefined;
}

function checkBreakpoints(body: FakeAnthropicRequestBody): string | undefined {
  const system = Array.isArray(body.system) ? (body.system as unknown[]) : [];
  const candidates = [...system, ...(body.tools ?? []), ...(body.messages ?? []).flatMap((m: unknown) => (isRecord(m) ? blocksOf(m) : []))];
  const found = candidates.filter((block) => isRecord(block) && isRecord(block['cache_control'])).length;
  if (found > MAX_CACHE_BREAKPOINTS) {
    return `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${found}.`;
  }
  return undefined;
}

function checkThinking(body: FakeAnthropicRequestBody): string | undefined {
  const thinking = isRecord(body['thinking']) ? body['thinking'] : undefined;
  const on = thinking?.['type'] === 'enabled' || thinking?.['type'] === 'adaptive';
  if (on && body['temperature'] !== undefined && body['temperature'] !== 1) {
    return '`temperature` may only be set to 1 when thinking is enabled or in adaptive mode.';
  }
  if (thinking?.['type'] !== 'enabled') return undefined;
  const budget = thinking['budget_tokens'];
  if (typeof budget !== 'number' || budget < MIN_THINKING_BUDGET) {
    return `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`;
  }
  if ((body.max_tokens ?? 0) <= budget) return '`max_tokens` must be greater than `thinking.budget_tokens`.';
  return undefined;
}

function blocksOf(message: Json): Json[] {
  const content = message['content'];
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
