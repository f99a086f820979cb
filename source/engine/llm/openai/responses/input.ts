/**
 * Our provider-neutral messages → the Responses API's `instructions` and
 * `input` items. Pure data conversion, testable without the SDK.
 */
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { contentText, type ContentPart, type Message, type SystemMessage } from '../../messages.js';
import { pairToolOutputs } from './pairing.js';
import { reasoningInput, storedReasoning } from './reasoning-items.js';

/** What a conversation becomes on the wire. */
export interface ResponsesInput {
  /** Every system message, joined: the Responses API takes the system prompt here, not as an input item. */
  instructions: string;
  input: ResponseInputItem[];
}

type Item = Record<string, unknown>;
type TurnMessage = Exclude<Message, { role: 'system' }>;

/** Every system message, joined: the Responses API takes the system prompt as `instructions`, not as an input item. */
export function instructionsOf(system: readonly SystemMessage[]): string {
  return system.map((message) => message.content).join('\n\n');
}

/**
 * Converts conversations for one provider. The wire form of a message
 * depends on the provider's `store` setting (reasoning items differ), so
 * each provider owns a converter and its cache.
 */
export class InputConverter {
  // Messages never change once made and a long turn resends the whole history
  // every round: convert each message once, keyed by identity.
  private readonly cache = new WeakMap<Message, readonly Item[]>();

  /** @param store whether the server keeps responses (`store: true`), which decides how reasoning goes back. */
  constructor(private readonly store: boolean) {}

  convert(messages: readonly Message[]): ResponsesInput {
    const { system, turns } = this.split(messages);
    const input: Item[] = [];
    for (const message of turns) input.push(...this.itemsOf(message));
    // Input items are built as loose records (the SDK's union is too narrow for output-shaped items).
    return { instructions: instructionsOf(system), input: input as unknown as ResponseInputItem[] };
  }

  /** The paired conversation: its non-empty system messages, and the messages that become input items. */
  split(messages: readonly Message[]): { system: SystemMessage[]; turns: TurnMessage[] } {
    const system: SystemMessage[] = [];
    const turns: TurnMessage[] = [];
    for (const message of pairToolOutputs(messages)) {
      if (message.role !== 'system') turns.push(message);
      else if (message.content !== '') system.push(message);
    }
    return { system, turns };
  }

  /** The input items of one message, converted once. */
  itemsOf(message: TurnMessage): readonly Item[] {
    let items = this.cache.get(message);
    if (!items) this.cache.set(message, (items = this.toItems(message)));
    return items;
  }

  /** The input items for one non-system message. */
  toItems(message: TurnMessage): Item[] {
    switch (message.role) {
      case 'user':
        return [{ type: 'message', role: 'user', content: userContent(message.content) }];
      case 'tool':
        // Function outputs are text here; images in a tool result become a marker.
        return [{ type: 'function_call_output', call_id: message.toolCallId, output: contentText(message.content) }];
      case 'assistant': {
        const items: Item[] = [];
        if (message.content !== '') {
          items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: message.content }] });
        }
        for (const call of message.toolCalls ?? []) {
          items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
        }
        // The API rejects a reasoning item with nothing after it, so reasoning
        // is restored only in front of something the assistant actually said or did.
        if (items.length === 0) return items;
        const reasoning = storedReasoning(message.providerFields).flatMap((item) => {
          const wire = reasoningInput(item, this.store);
          return wire ? [wire] : [];
        });
        return [...reasoning, ...items];
      }
    }
  }
}

function userContent(content: string | ContentPart[]): Item[] {
  if (typeof content === 'string') return [{ type: 'input_text', text: content }];
  return content.map((part) =>
    part.type === 'text'
      ? { type: 'input_text', text: part.text }
      : { type: 'input_image', image_url: part.url, detail: part.detail ?? 'auto' },
  );
}
