/**
 * The Messages API body as bytes, assembled from blocks encoded once.
 *
 * A tool loop resends the same system prompt, tool schemas and history every
 * round. The wire blocks are already made once per message (message-blocks.ts);
 * here each block, system block and tool is also encoded to UTF-8 once (the
 * cache dies with the object), and a round only copies bytes.
 *
 * Cache breakpoints move every round, and a marked block is a fresh copy
 * (prompt-caching.ts). Its bytes are those of the block it copies, minus the
 * closing brace, plus the marker: nothing is encoded for it and nothing extra
 * is kept per message.
 *
 * The JSON equals `JSON.stringify(buildMessagesBody(...))` up to key order,
 * less the two fields the SDK moves into headers (see `SDK_HEADER_PARAMS`).
 */
import type { LLMRequest } from '../provider.js';
import { unmarkedOf } from './prompt-caching.js';
import { assembleBody, buildMessagesBody, wireParts, type BodySettings } from './request.js';
import type { WireBlock, WireMessage, WireTool } from './wire-types.js';
import { ownedBytes } from '../wire-bytes.js';

/** What the adapter hands the SDK: the bytes to send, and the params it reads its own switches from. */
export interface EncodedBody {
  bytes: Buffer;
  /** Everything but the conversation: the SDK takes `stream`, its model warnings and two headers from here. */
  params: Record<string, unknown>;
}

/**
 * Params the SDK's `messages.create` sends as headers and drops from the body
 * (`anthropic-user-profile-id`, `anthropic-workspace-id`). A body we encode
 * ourselves must drop them too.
 */
const SDK_HEADER_PARAMS = ['user_profile_id', 'workspace_id'];
/** Keys whose bytes come from the caches; an `extraBody` that sets one takes the plain path. */
const CACHED_KEYS = ['messages', 'system', 'tools'];

const itemBytes = new WeakMap<WireBlock | WireTool, Buffer>();

const OPEN_MESSAGES = Buffer.from('{"messages":[');
const TURN_OPEN = { user: Buffer.from('{"role":"user","content":['), assistant: Buffer.from('{"role":"assistant","content":[') };
const TURN_CLOSE = Buffer.from(']}');
const SYSTEM_KEY = Buffer.from('],"system":[');
const TOOLS_KEY = Buffer.from('],"tools":[');
const CLOSE_LIST = Buffer.from(']');
const COMMA = Buffer.from(',');
const MARK_TAIL = Buffer.from(',"cache_control":{"type":"ephemeral"}}');
const CLOSE = Buffer.from('}');

function bytesOf(item: WireBlock | WireTool): Buffer {
  let bytes = itemBytes.get(item);
  if (!bytes) itemBytes.set(item, (bytes = ownedBytes(JSON.stringify(item))));
  return bytes;
}

/** A block or tool; a marked copy as its original's bytes with the marker spliced in before the last brace. */
function pushItem(out: Buffer[], item: WireBlock | WireTool): void {
  const original = unmarkedOf(item);
  if (original && !('cache_control' in original)) out.push(bytesOf(original).subarray(0, -1), MARK_TAIL);
  else out.push(bytesOf(item));
}

function pushItems(out: Buffer[], items: readonly (WireBlock | WireTool)[]): void {
  items.forEach((item, index) => {
    if (index > 0) out.push(COMMA);
    pushItem(out, item);
  });
}

function pushTurn(out: Buffer[], turn: WireMessage): void {
  out.push(TURN_OPEN[turn.role]);
  pushItems(out, turn.content);
  out.push(TURN_CLOSE);
}

function withoutHeaderParams(body: Record<string, unknown>): Record<string, unknown> {
  if (!SDK_HEADER_PARAMS.some((key) => key in body)) return body;
  const copy = { ...body };
  for (const key of SDK_HEADER_PARAMS) delete copy[key];
  return copy;
}

/** The streaming `POST /v1/messages` body, UTF-8 JSON. */
export function encodeMessagesBody(request: LLMRequest, settings: BodySettings): EncodedBody {
  const { extraBody } = request;
  // A caller that overrides the conversation or tools through extraBody gets the plain path.
  if (extraBody && CACHED_KEYS.some((key) => key in extraBody)) {
    const body = buildMessagesBody(request, settings);
    return { bytes: Buffer.from(JSON.stringify(withoutHeaderParams(body))), params: body };
  }

  const { system, messages, tools } = wireParts(request, settings);
  const params = assembleBody(request, settings, { system: [], messages: [], tools: [] });
  const rest = { ...withoutHeaderParams(params) };
  delete rest['messages'];

  const out: Buffer[] = [OPEN_MESSAGES];
  messages.forEach((turn, index) => {
    if (index > 0) out.push(COMMA);
    pushTurn(out, turn);
  });
  if (system.length > 0) {
    out.push(SYSTEM_KEY);
    pushItems(out, system);
  }
  if (tools.length > 0) {
    out.push(TOOLS_KEY);
    pushItems(out, tools);
  }
  // `rest` always holds model, max_tokens and stream, so it is never `{}`.
  out.push(CLOSE_LIST, COMMA, Buffer.from(JSON.stringify(rest).slice(1, -1)), CLOSE);
  return { bytes: Buffer.concat(out), params };
}
