/**
 * A creature's conversation: the message list sent to the provider.
 *
 * Invariant: what goes to a provider is always well-formed. Every assistant
 * tool call is answered by exactly one tool message right after it, and no
 * tool message lacks its call. The controller keeps that true as it goes;
 * `forProvider()` repairs anything that slipped (a crash, a hand-edited log).
 */
import type { Message } from '../llm/messages.js';
import { isWellPaired, repairToolPairing } from '../llm/pairing.js';

// The repair lives with the adapters, which need it too; these names stay importable from here.
export { ORPHAN_CALL_NOTE, repairToolPairing } from '../llm/pairing.js';

export class Conversation {
  private items: Message[] = [];
  /**
   * How many leading messages are known to be well paired: `forProvider()`
   * checks only what was appended since (a long tool loop rechecked its whole
   * history every round). Any change but an append starts over.
   */
  private paired = 0;

  constructor(systemPrompt?: string) {
    if (systemPrompt) this.items.push({ role: 'system', content: systemPrompt });
  }

  get messages(): readonly Message[] {
    return this.items;
  }

  get length(): number {
    return this.items.length;
  }

  get systemPrompt(): string | undefined {
    const first = this.items[0];
    return first?.role === 'system' ? first.content : undefined;
  }

  setSystemPrompt(text: string): void {
    this.paired = 0;
    if (this.items[0]?.role === 'system') this.items[0] = { role: 'system', content: text };
    else this.items.unshift({ role: 'system', content: text });
  }

  append(...messages: Message[]): void {
    this.items.push(...messages);
  }

  /** Keep the first `length` messages (rewinding to a turn boundary). */
  truncate(length: number): void {
    this.paired = 0;
    this.items.length = Math.min(this.items.length, Math.max(0, length));
  }

  /** Replace every message (restoring a session). */
  replace(messages: readonly Message[]): void {
    this.paired = 0;
    this.items = [...messages];
  }

  /** Drop everything but the system prompt. */
  clear(): void {
    this.paired = 0;
    this.items = this.items[0]?.role === 'system' ? [this.items[0]] : [];
  }

  /**
   * Drop the last tool round — an assistant message with tool calls and the
   * results after it — when it ends the conversation, and append `note(tools)`
   * as a user message. The overflow recovery: the round that did not fit goes,
   * the model is told why. Returns undefined when there is no such round.
   */
  dropLastToolRound(note: (tools: string[]) => string): { removedMessages: number; droppedTools: string[]; note: string } | undefined {
    let at = this.items.length - 1;
    while (at >= 0 && this.items[at]?.role === 'tool') at--;
    const assistant = this.items[at];
    if (at === this.items.length - 1 || assistant?.role !== 'assistant' || !assistant.toolCalls?.length) return undefined;
    const droppedTools = [...new Set(assistant.toolCalls.map((c) => c.name))];
    const removedMessages = this.items.length - at;
    const text = note(droppedTools);
    this.paired = 0;
    this.items.splice(at);
    this.items.push({ role: 'user', content: text });
    return { removedMessages, droppedTools, note: text };
  }

  /** A copy safe to send to any provider. */
  forProvider(): Message[] {
    if (!isWellPaired(this.items, this.paired)) return repairToolPairing(this.items);
    this.paired = this.items.length;
    return this.items.slice();
  }
}
