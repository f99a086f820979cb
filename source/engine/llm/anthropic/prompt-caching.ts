/**
 * Prompt-cache breakpoints. The cache prefix runs tools → system → messages,
 * and a breakpoint caches everything before it, so:
 *
 * - one on the system prompt's last block (it covers the tools too), or on
 *   the last tool when there is no system prompt;
 * - one on the last block of each of the last two turns: the last one writes
 *   the cache the next request reads, the one before it still hits when
 *   the newest turn changed (a retried or edited message).
 *
 * That is at most three of the API's four breakpoints, leaving one for a
 * caller's `extraBody`. Placement depends only on the request, so the same
 * history always gets the same marks and the cache keys stay stable.
 * Everything is copied; the cached wire blocks are never touched. Each
 * marked copy remembers the block it copies (`unmarkedOf`), so the body
 * encoder can reuse that block's bytes and append the mark.
 */
import type { WireBlock, WireMessage, WireTextBlock, WireTool } from './wire-types.js';

const EPHEMERAL = Object.freeze({ type: 'ephemeral' as const });

/** Marked copy → the block or tool it copies. Copies are made per request, so this only ever holds a few. */
const originals = new WeakMap<object, object>();

/** The block or tool a marked copy was made from; undefined for anything else. */
export function unmarkedOf<T extends object>(item: T): T | undefined {
  return originals.get(item) as T | undefined;
}

function marked<T extends WireBlock | WireTool>(item: T): T {
  const copy = { ...item, cache_control: EPHEMERAL };
  originals.set(copy, item);
  return copy;
}

/** How many trailing turns get a breakpoint. */
const MESSAGE_BREAKPOINTS = 2;

export interface CacheableParts {
  system: WireTextBlock[];
  messages: WireMessage[];
  tools: WireTool[];
}

/** The same parts with breakpoints placed. */
export function withCacheBreakpoints(parts: CacheableParts): CacheableParts {
  const system = markLast(parts.system);
  const tools = parts.system.length === 0 ? markLast(parts.tools) : parts.tools;
  const messages = parts.messages.slice();
  for (let i = Math.max(0, messages.length - MESSAGE_BREAKPOINTS); i < messages.length; i++) {
    const turn = messages[i] as WireMessage;
    const content = markLastCacheable(turn.content);
    if (content !== turn.content) messages[i] = { role: turn.role, content };
  }
  return { system, messages, tools };
}

function markLast<T extends WireTextBlock | WireTool>(items: readonly T[]): T[] {
  const out = items.slice();
  const last = out[out.length - 1];
  if (last) out[out.length - 1] = marked(last);
  return out;
}

/**
 * Thinking blocks cannot carry `cache_control`; the mark goes on the last
 * block that can. A turn of nothing but thinking gets none.
 */
function markLastCacheable(content: readonly WireBlock[]): readonly WireBlock[] {
  for (let i = content.length - 1; i >= 0; i--) {
    const block = content[i] as WireBlock;
    if (block.type === 'thinking' || block.type === 'redacted_thinking') continue;
    const out = content.slice();
    out[i] = marked(block);
    return out;
  }
  return content;
}
