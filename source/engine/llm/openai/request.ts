/**
 * Our provider-neutral request → the chat-completions wire body. Pure data
 * conversion, so it can be tested and reasoned about without the SDK.
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { isRecord } from '../../util/records.js';
import { contentText, type ContentPart, type Message } from '../messages.js';
import type { LLMRequest, ToolSpec } from '../provider.js';
import { OPENAI_COMPAT_FIELDS } from './chunk-reader.js';

/**
 * The streaming body for `POST /chat/completions`.
 *
 * `maxTokens` is sent as `max_completion_tokens`: OpenAI deprecated
 * `max_tokens` and its reasoning models reject it. Servers that only know
 * `max_tokens` (some older self-hosted ones) ignore the new name, which merely
 * leaves the reply uncapped; set `extraBody: { max_tokens }` for those.
 *
 * `extraBody` is merged last so it can override anything except the
 * streaming switches, which the adapter depends on.
 */
export function buildChatBody(model: string, request: LLMRequest): ChatCompletionCreateParamsStreaming {
  const body: Record<string, unknown> = {
    model,
    messages: request.messages.map(cachedWireMessage),
  };
  if (request.tools && request.tools.length > 0) body['tools'] = request.tools.map(cachedWireTool);
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.maxTokens !== undefined) body['max_completion_tokens'] = request.maxTokens;
  if (request.reasoningEffort !== undefined) body['reasoning_effort'] = request.reasoningEffort;
  Object.assign(body, request.extraBody);
  const extraStreamOptions = request.extraBody?.['stream_options'];
  body['stream'] = true;
  body['stream_options'] = {
    ...(isRecord(extraStreamOptions) ? extraStreamOptions : {}),
    include_usage: true,
  };
  // The body is built from loose records so provider-specific fields can ride along.
  return body as unknown as ChatCompletionCreateParamsStreaming;
}

// Messages and tool specs never change once made, and a long turn resends the
// whole history every round: convert each one once instead of every round.
const wireMessages = new WeakMap<Message, ChatCompletionMessageParam>();
const wireTools = new WeakMap<ToolSpec, ChatCompletionTool>();

export function cachedWireMessage(message: Message): ChatCompletionMessageParam {
  let wire = wireMessages.get(message);
  if (!wire) wireMessages.set(message, (wire = toWireMessage(message)));
  return wire;
}

export function cachedWireTool(tool: ToolSpec): ChatCompletionTool {
  let wire = wireTools.get(tool);
  if (!wire) wireTools.set(tool, (wire = toWireTool(tool)));
  return wire;
}

export function toWireMessage(message: Message): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return {
        role: 'user',
        content: typeof message.content === 'string' ? message.content : message.content.map(toWirePart),
      };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      const wire: Record<string, unknown> = {
        role: 'assistant',
        // OpenAI wants null, not "", next to tool calls; some servers reject "".
        content: message.content === '' && calls.length > 0 ? null : message.content,
      };
      if (calls.length > 0) {
        wire['tool_calls'] = calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        }));
      }
      // Reasoning fields this API family asked us to send back, verbatim. Fields
      // other adapters stored (Anthropic thinking, Gemini signatures) stay out.
      const echo = message.providerFields?.[OPENAI_COMPAT_FIELDS];
      if (echo && typeof echo === 'object') Object.assign(wire, echo);
      return wire as unknown as ChatCompletionMessageParam;
    }
    case 'tool':
      // Tool messages only carry text in the chat-completions API.
      return { role: 'tool', tool_call_id: message.toolCallId, content: contentText(message.content) };
  }
}

function toWirePart(part: ContentPart): ChatCompletionContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  return {
    type: 'image_url',
    image_url: part.detail ? { url: part.url, detail: part.detail } : { url: part.url },
  };
}

function toWireTool(tool: ToolSpec): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}
