/**
 * How thinking blocks travel between requests. The API wants an assistant
 * message's thinking blocks back, unmodified and with their signatures, when
 * the turn continues after tool use. The stream reader stores them in the
 * finish part's `providerFields` (the controller keeps those on the assistant
 * message); the converter restores them from there.
 */
import type { WireThinkingLike } from './wire-types.js';

/** The `providerFields` key holding an assistant message's thinking blocks, in order. */
export const THINKING_FIELD = 'anthropic_thinking';

/**
 * The thinking blocks stored on an assistant message. Anything that is not a
 * well-formed block is skipped: a corrupted entry must not turn into a
 * request the API rejects with a signature error on every later turn.
 */
export function readThinkingBlocks(providerFields: Record<string, unknown> | undefined): WireThinkingLike[] {
  const stored = providerFields?.[THINKING_FIELD];
  if (!Array.isArray(stored)) return [];
  const blocks: WireThinkingLike[] = [];
  for (const entry of stored) {
    if (typeof entry !== 'object' || entry === null) continue;
    const block = entry as Record<string, unknown>;
    if (block['type'] === 'thinking' && typeof block['thinking'] === 'string' && typeof block['signature'] === 'string') {
      blocks.push({ type: 'thinking', thinking: block['thinking'], signature: block['signature'] });
    } else if (block['type'] === 'redacted_thinking' && typeof block['data'] === 'string') {
      blocks.push({ type: 'redacted_thinking', data: block['data'] });
    }
  }
  return blocks;
}
