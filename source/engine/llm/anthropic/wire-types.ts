/**
 * The slice of the Messages API wire format this adapter writes. Declared
 * here rather than taken from the SDK: the SDK's unions cover dozens of
 * server-tool blocks we never send, and the converter, pairing repair and
 * caching code stay testable as plain data without loading the SDK.
 */

/** A prompt-cache breakpoint. Only the default 5-minute TTL is used. */
export interface WireCacheControl {
  type: 'ephemeral';
}

export interface WireTextBlock {
  type: 'text';
  text: string;
  cache_control?: WireCacheControl;
}

export interface WireImageBlock {
  type: 'image';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
  cache_control?: WireCacheControl;
}

/** Reasoning the model produced; sent back verbatim (the signature is verified). */
export interface WireThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

/** Reasoning the API encrypted; opaque, sent back verbatim. */
export interface WireRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export interface WireToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  cache_control?: WireCacheControl;
}

export interface WireToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<WireTextBlock | WireImageBlock>;
  is_error?: boolean;
  cache_control?: WireCacheControl;
}

export type WireThinkingLike = WireThinkingBlock | WireRedactedThinkingBlock;

export type WireBlock =
  | WireTextBlock
  | WireImageBlock
  | WireThinkingBlock
  | WireRedactedThinkingBlock
  | WireToolUseBlock
  | WireToolResultBlock;

/** One turn. Content is always a block list, so breakpoints can be placed uniformly. */
export interface WireMessage {
  role: 'user' | 'assistant';
  content: readonly WireBlock[];
}

export interface WireTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
  cache_control?: WireCacheControl;
}
