/**
 * The conversation vocabulary shared by the controller and every provider
 * adapter. Messages are provider-neutral (OpenAI-shaped, camelCase); each
 * adapter converts at its own boundary.
 */

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image';
  /** `data:` URL or https URL. */
  url: string;
  mediaType?: string;
  detail?: 'auto' | 'low' | 'high';
}

export type ContentPart = TextPart | ImagePart;

/** What a user (or trigger) puts into a turn. */
export type UserContent = string | ContentPart[];

/** A tool call as the model produced it. `arguments` is the raw JSON text. */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: string;
}

export interface SystemMessage {
  role: 'system';
  content: string;
}

export interface UserMessage {
  role: 'user';
  content: UserContent;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string;
  toolCalls?: ToolCallRequest[];
  /** Reasoning text, kept for display and for providers that want it back. */
  reasoning?: string;
  /** Provider-specific fields that must be sent back verbatim on the next request. */
  providerFields?: Record<string, unknown>;
}

export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  name: string;
  content: string | ContentPart[];
  isError?: boolean;
}

/**
 * One conversation entry. Treat messages as immutable once made: adapters
 * cache their wire form by object identity, so a change must be a new object.
 */
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/**
 * Token counts of one or more LLM calls. `input` counts every prompt token,
 * cached ones included; `cached` is the cached subset. Adapters whose APIs
 * report cache reads separately (Anthropic) add them into `input`.
 */
export interface Usage {
  input: number;
  output: number;
  cached: number;
}

export const emptyUsage = (): Usage => ({ input: 0, output: 0, cached: 0 });

export function addUsage(into: Usage, add: Usage | undefined): Usage {
  if (!add) return into;
  into.input += add.input;
  into.output += add.output;
  into.cached += add.cached;
  return into;
}

/** The plain text of user content, images replaced by a marker. */
export function contentText(content: string | ContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((p) => (p.type === 'text' ? p.text : '[image]')).join('');
}
