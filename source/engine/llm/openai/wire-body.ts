/**
 * The chat-completions body as bytes, assembled from pieces encoded once.
 *
 * A tool loop resends the same system prompt, tool schemas (tens of KB for a
 * coding creature) and history every round; only the newest messages are
 * new. Stringifying and UTF-8-encoding the whole body each round was the
 * SDK's biggest cost per round and most of the garbage a round made. Here
 * each message and each tool list is encoded to UTF-8 once (the cache dies
 * with the object), and a round only copies bytes.
 *
 * The JSON is the same as `JSON.stringify(buildChatBody(...))` up to key
 * order, which JSON does not define: messages and tools first, then the rest.
 */
import type { Message } from '../messages.js';
import type { LLMRequest, ToolSpec } from '../provider.js';
import { buildChatBody, cachedWireMessage, cachedWireTool } from './request.js';
import { ownedBytes } from '../wire-bytes.js';

const messageBytes = new WeakMap<Message, Buffer>();
const toolListBytes = new WeakMap<readonly ToolSpec[], Buffer>();

const OPEN_MESSAGES = Buffer.from('{"messages":[');
const COMMA = Buffer.from(',');
const CLOSE_MESSAGES = Buffer.from(']');
const TOOLS_KEY = Buffer.from(',"tools":');
const CLOSE = Buffer.from('}');

function encodedMessage(message: Message): Buffer {
  let bytes = messageBytes.get(message);
  if (!bytes) messageBytes.set(message, (bytes = ownedBytes(JSON.stringify(cachedWireMessage(message)))));
  return bytes;
}

function encodedTools(tools: readonly ToolSpec[]): Buffer {
  let bytes = toolListBytes.get(tools);
  if (!bytes) toolListBytes.set(tools, (bytes = ownedBytes(JSON.stringify(tools.map(cachedWireTool)))));
  return bytes;
}

/** The streaming `POST /chat/completions` body, UTF-8 JSON. */
export function encodeChatBody(model: string, request: LLMRequest): Buffer {
  return Buffer.concat(chatBodyParts(model, request));
}

/** The same body as pieces to join (most of them cached), for a `BodyArena`. */
export function chatBodyParts(model: string, request: LLMRequest): Buffer[] {
  const { messages, tools, extraBody } = request;
  // A caller that overrides the messages or tools through extraBody gets the plain path.
  if (extraBody && ('messages' in extraBody || 'tools' in extraBody)) return [Buffer.from(JSON.stringify(buildChatBody(model, request)))];

  const rest = buildChatBody(model, { ...request, messages: [], tools: [] }) as unknown as Record<string, unknown>;
  delete rest['messages'];
  delete rest['tools'];
  const restJson = JSON.stringify(rest);

  // Sized once and filled by index: pushing two parts per message regrew the array every round.
  const hasTools = tools !== undefined && tools.length > 0;
  const parts = new Array<Buffer>(messages.length * 2 + (hasTools ? 6 : 4));
  let at = 0;
  parts[at++] = OPEN_MESSAGES;
  for (let i = 0; i < messages.length; i++) {
    if (i > 0) parts[at++] = COMMA;
    parts[at++] = encodedMessage(messages[i] as Message);
  }
  parts[at++] = CLOSE_MESSAGES;
  if (hasTools) {
    parts[at++] = TOOLS_KEY;
    parts[at++] = encodedTools(tools);
  }
  // `rest` always holds model and the stream switches, so it is never `{}`.
  parts[at++] = COMMA;
  parts[at++] = Buffer.from(restJson.slice(1, -1));
  parts[at++] = CLOSE;
  parts.length = at;
  return parts;
}
