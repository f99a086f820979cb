/**
 * One provider-neutral message → one Messages API turn. Pure and cached by
 * message identity: a long agent turn resends the whole history every round,
 * and messages never change once made, so each is converted once.
 *
 * Turn-level fixes (merging same-role turns, tool pairing, cache
 * breakpoints) happen later on copies; the cached blocks are never mutated.
 */
import { parseJsonObject } from '../../util/records.js';
import type { AssistantMessage, ContentPart, ImagePart, Message, ToolMessage, UserMessage } from '../messages.js';
import { readThinkingBlocks } from './thinking-fields.js';
import type {
  WireBlock,
  WireImageBlock,
  WireMessage,
  WireTextBlock,
  WireToolResultBlock,
  WireToolUseBlock,
} from './wire-types.js';

type TurnMessage = UserMessage | AssistantMessage | ToolMessage;

/** `null` marks a message with nothing to send (empty text, no calls). */
const cache = new WeakMap<TurnMessage, WireMessage | null>();

/**
 * The turn for a user, assistant or tool message; `undefined` when it has no
 * content the API would accept (it rejects empty text blocks). Tool results
 * become `tool_result` blocks in a user turn, as the API requires.
 */
export function toWireTurn(message: TurnMessage): WireMessage | undefined {
  let wire = cache.get(message);
  if (wire === undefined) cache.set(message, (wire = convert(message)));
  return wire ?? undefined;
}

function convert(message: TurnMessage): WireMessage | null {
  const content = blocksOf(message);
  if (content.length === 0) return null;
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content };
}

function blocksOf(message: TurnMessage): WireBlock[] {
  switch (message.role) {
    case 'user':
      return partsToBlocks(message.content);
    case 'assistant':
      return assistantBlocks(message);
    case 'tool':
      return [toolResult(message)];
  }
}

/** Thinking first (the API checks the order), then the text, then the calls. */
function assistantBlocks(message: AssistantMessage): WireBlock[] {
  const blocks: WireBlock[] = [...readThinkingBlocks(message.providerFields)];
  if (message.content !== '') blocks.push({ type: 'text', text: message.content });
  for (const call of message.toolCalls ?? []) {
    const use: WireToolUseBlock = { type: 'tool_use', id: call.id, name: call.name, input: parseInput(call.arguments) };
    blocks.push(use);
  }
  return blocks;
}

function toolResult(message: ToolMessage): WireToolResultBlock {
  const block: WireToolResultBlock = { type: 'tool_result', tool_use_id: message.toolCallId };
  if (typeof message.content === 'string') {
    // An empty string is omitted rather than sent: "no content" is valid, an empty text is not.
    if (message.content !== '') block.content = message.content;
  } else {
    const parts = partsToBlocks(message.content);
    if (parts.length > 0) block.content = parts;
  }
  if (message.isError) block.is_error = true;
  return block;
}

function partsToBlocks(content: string | ContentPart[]): Array<WireTextBlock | WireImageBlock> {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: Array<WireTextBlock | WireImageBlock> = [];
  for (const part of content) {
    if (part.type === 'image') blocks.push(imageBlock(part));
    else if (part.text !== '') blocks.push({ type: 'text', text: part.text });
  }
  return blocks;
}

/**
 * `data:` URLs become base64 sources (the API takes no data URLs); anything
 * else is passed as a URL source for the API to fetch.
 */
export function imageBlock(part: ImagePart): WireImageBlock {
  const data = parseDataUrl(part.url);
  if (!data) return { type: 'image', source: { type: 'url', url: part.url } };
  return {
    type: 'image',
    source: { type: 'base64', media_type: part.mediaType ?? data.mediaType ?? 'image/png', data: data.base64 },
  };
}

function parseDataUrl(url: string): { mediaType: string | undefined; base64: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const meta = url.slice('data:'.length, comma).split(';');
  const payload = url.slice(comma + 1);
  const mediaType = meta[0] ? meta[0] : undefined;
  if (meta.includes('base64')) return { mediaType, base64: payload };
  // A percent-encoded data URL (rare for images, e.g. SVG): re-encode as base64.
  return { mediaType, base64: Buffer.from(percentDecode(payload), 'utf8').toString('base64') };
}

/** Broken escapes are kept as written: conversion must not throw, the API judges the image. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Our calls carry their arguments as JSON text; the API wants the object.
 * Text that is not a JSON object (a model that produced broken JSON) becomes
 * `{}`: the conversation must stay sendable, and the tool's own error about
 * the bad arguments is already in the history.
 */
export function parseInput(args: string): Record<string, unknown> {
  return parseJsonObject(args);
}

const systemCache = new WeakMap<Message, WireTextBlock>();

/**
 * The system prompt as text blocks; non-system messages are ignored. Each
 * block is made once per message, like the turns, so its encoded bytes can
 * be cached by identity too (see wire-body.ts).
 */
export function systemBlocks(messages: readonly Message[]): WireTextBlock[] {
  const blocks: WireTextBlock[] = [];
  for (const message of messages) {
    if (message.role !== 'system' || message.content === '') continue;
    let block = systemCache.get(message);
    if (!block) systemCache.set(message, (block = { type: 'text', text: message.content }));
    blocks.push(block);
  }
  return blocks;
}
