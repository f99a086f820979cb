/**
 * The splice: the summarised part of the conversation replaced by one
 * message holding the summary. The same function serves the live creature
 * and replay (`compaction.end` in the log), so both end with exactly the same
 * messages.
 *
 * The summary goes in as a user message, not an assistant one: the Messages
 * API wants a conversation to open with a user turn, and every adapter merges
 * it with the user message that follows.
 */
import type { Message } from '../llm/messages.js';
import { summaryMessageText } from './prompt.js';

/** What a compaction changed: enough for replay to do it again. */
export interface SpliceEdit {
  round: number;
  summary: string;
  /** Messages after the system message that the summary replaced. */
  messagesCompacted: number;
}

export function summaryMessage(round: number, summary: string): Message {
  return { role: 'user', content: summaryMessageText(round, summary) };
}

/** `[system, summary, ...what came after the summarised part]`. */
export function applySplice(messages: readonly Message[], edit: SpliceEdit): Message[] {
  const [first, ...rest] = messages;
  const head = first?.role === 'system' ? [first] : [];
  const body = first?.role === 'system' ? rest : messages;
  return [...head, summaryMessage(edit.round, edit.summary), ...body.slice(edit.messagesCompacted)];
}

/**
 * True when the conversation still starts with the summarised messages (the
 * same objects), so the splice replaces exactly what was summarised. Messages
 * appended meanwhile do not matter; a rewind or a /clear does.
 */
export function zoneIntact(messages: readonly Message[], zone: readonly Message[]): boolean {
  const offset = messages[0]?.role === 'system' ? 1 : 0;
  if (messages.length < offset + zone.length) return false;
  return zone.every((m, i) => messages[offset + i] === m);
}

/**
 * Where each turn starts after a splice. A turn that began in the summarised
 * part has no start any more (-1: it cannot be rewound to); the others move
 * up by the messages the summary replaced, less the one it added.
 */
export function shiftStarts<T extends { start: number }>(turns: readonly T[], edit: SpliceEdit, hasSystem = true): T[] {
  const head = hasSystem ? 1 : 0;
  const end = head + edit.messagesCompacted;
  return turns.map((turn) => ({ ...turn, start: turn.start < 0 || turn.start < end ? -1 : turn.start - edit.messagesCompacted + 1 }));
}
