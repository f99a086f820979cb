/**
 * The Responses API body as bytes, assembled from pieces encoded once.
 *
 * Like the chat-completions body next door (`../wire-body.ts`): a tool loop
 * resends the instructions, tool schemas and history every round, so each
 * message's input items, the tool list and a lone system prompt are encoded
 * to UTF-8 once (the cache dies with the object), and a round only copies
 * bytes.
 *
 * The JSON equals `JSON.stringify(buildResponsesBody(...))` up to key order.
 */
import type { Message, SystemMessage } from '../../messages.js';
import type { LLMRequest, ToolSpec } from '../../provider.js';
import { instructionsOf, type InputConverter } from './input.js';
import { buildResponsesBody, cachedWireTool, type BodySettings } from './request.js';
import { ownedBytes } from '../../wire-bytes.js';

/** Keys whose bytes come from the caches; an `extraBody` that sets one takes the plain path. */
const CACHED_KEYS = ['input', 'instructions', 'tools'];

// Neither depends on the provider's settings, so they are shared.
const toolListBytes = new WeakMap<readonly ToolSpec[], Buffer>();
const systemPromptBytes = new WeakMap<SystemMessage, Buffer>();

const OPEN_INPUT = Buffer.from('{"input":[');
const INSTRUCTIONS_KEY = Buffer.from('],"instructions":');
const TOOLS_KEY = Buffer.from(',"tools":');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from('}');

function encodedTools(tools: readonly ToolSpec[]): Buffer {
  let bytes = toolListBytes.get(tools);
  if (!bytes) toolListBytes.set(tools, (bytes = ownedBytes(JSON.stringify(tools.map(cachedWireTool)))));
  return bytes;
}

/** The instructions string; the common case of one system message is encoded once. */
function encodedInstructions(system: readonly SystemMessage[]): Buffer {
  const lone = system.length === 1 ? system[0] : undefined;
  if (!lone) return Buffer.from(JSON.stringify(instructionsOf(system)));
  let bytes = systemPromptBytes.get(lone);
  if (!bytes) systemPromptBytes.set(lone, (bytes = ownedBytes(JSON.stringify(lone.content))));
  return bytes;
}

/** One per provider: the input items depend on its `store` setting, as the converter's do. */
export class ResponsesBodyEncoder {
  /** A message's input items, comma-joined; null when it has none. */
  private readonly itemBytes = new WeakMap<Message, Buffer | null>();

  constructor(private readonly converter: InputConverter) {}

  /** The streaming `POST /responses` body, UTF-8 JSON. */
  encode(model: string, request: LLMRequest, settings: BodySettings): Buffer {
    const { extraBody } = request;
    // A caller that overrides the input, instructions or tools through extraBody gets the plain path.
    if (extraBody && CACHED_KEYS.some((key) => key in extraBody)) {
      const converted = this.converter.convert(request.messages);
      return Buffer.from(JSON.stringify(buildResponsesBody(model, request, converted, settings)));
    }

    const { system, turns } = this.converter.split(request.messages);
    const rest = buildResponsesBody(model, { ...request, tools: [] }, { instructions: '', input: [] }, settings) as unknown as Record<string, unknown>;
    delete rest['input'];
    delete rest['instructions'];

    const out: Buffer[] = [OPEN_INPUT];
    let first = true;
    for (const message of turns) {
      const bytes = this.encodedItems(message);
      if (!bytes) continue;
      if (!first) out.push(COMMA);
      out.push(bytes);
      first = false;
    }
    out.push(INSTRUCTIONS_KEY, encodedInstructions(system));
    if (request.tools && request.tools.length > 0) out.push(TOOLS_KEY, encodedTools(request.tools));
    // `rest` always holds model, store and stream, so it is never `{}`.
    out.push(COMMA, Buffer.from(JSON.stringify(rest).slice(1, -1)), CLOSE);
    return Buffer.concat(out);
  }

  private encodedItems(message: Exclude<Message, SystemMessage>): Buffer | null {
    let bytes = this.itemBytes.get(message);
    if (bytes === undefined) {
      const items = this.converter.itemsOf(message);
      bytes = items.length === 0 ? null : ownedBytes(JSON.stringify(items).slice(1, -1));
      this.itemBytes.set(message, bytes);
    }
    return bytes;
  }
}
