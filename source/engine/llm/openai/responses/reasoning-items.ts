/**
 * Reasoning items of the Responses API, carried across requests.
 *
 * With `store: false` the server keeps nothing between requests, so the
 * model's reasoning is lost unless we send it back. The server hands it out
 * as an opaque `encrypted_content` blob (when asked via `include`); we keep
 * the item in the assistant message's `providerFields` and restore it as an
 * input item on later requests.
 */
import { isRecord } from '../../../util/records.js';

/** The key under which reasoning items ride in `AssistantMessage.providerFields`. */
export const REASONING_FIELD = 'responses_reasoning';

/** One reasoning item as we keep it: JSON-safe, so it survives session files. */
export interface StoredReasoning {
  id: string;
  summary: Array<{ type: 'summary_text'; text: string }>;
  encrypted_content?: string;
}

/** The reasoning item of an `output_item.done` event, or undefined when it is not one. */
export function reasoningFromItem(item: Record<string, unknown>): StoredReasoning | undefined {
  if (item['type'] !== 'reasoning' || typeof item['id'] !== 'string') return undefined;
  const stored: StoredReasoning = { id: item['id'], summary: summaryOf(item['summary']) };
  if (typeof item['encrypted_content'] === 'string' && item['encrypted_content'] !== '') {
    stored.encrypted_content = item['encrypted_content'];
  }
  return stored;
}

/**
 * The reasoning items stored on an assistant message. Read loosely: the
 * fields may come from a session file written by another version.
 */
export function storedReasoning(fields: Record<string, unknown> | undefined): StoredReasoning[] {
  const raw = fields?.[REASONING_FIELD];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry: unknown) => {
    if (!isRecord(entry)) return [];
    const item = reasoningFromItem({ type: 'reasoning', ...entry });
    return item ? [item] : [];
  });
}

/**
 * The input item that gives a stored reasoning item back to the model.
 *
 * Without a server-side store an id points at nothing, so only the
 * encrypted content can restore the reasoning: the id is left out (the
 * Codex backend rejects ids it never stored) and items without content are
 * dropped. With a store, the id alone is a valid reference.
 */
export function reasoningInput(item: StoredReasoning, store: boolean): Record<string, unknown> | undefined {
  if (!store) {
    if (item.encrypted_content === undefined) return undefined;
    return { type: 'reasoning', summary: item.summary, encrypted_content: item.encrypted_content };
  }
  const wire: Record<string, unknown> = { type: 'reasoning', id: item.id, summary: item.summary };
  if (item.encrypted_content !== undefined) wire['encrypted_content'] = item.encrypted_content;
  return wire;
}

function summaryOf(value: unknown): StoredReasoning['summary'] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((part: unknown) =>
    isRecord(part) && typeof part['text'] === 'string' ? [{ type: 'summary_text' as const, text: part['text'] }] : [],
  );
}
