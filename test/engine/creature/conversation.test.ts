import { describe, expect, it } from 'vitest';
import { Conversation, ORPHAN_CALL_NOTE, repairToolPairing } from '../../../source/engine/creature/conversation.js';
import type { Message } from '../../../source/engine/llm/messages.js';
import { toolCall, toolResult, wellPaired } from '../../helpers/tool-messages.js';

describe('repairToolPairing', () => {
  it('returns a copy of a valid conversation unchanged', () => {
    const messages = wellPaired();
    const repaired = repairToolPairing(messages);
    expect(repaired).toEqual(messages);
    expect(repaired).not.toBe(messages);
  });

  it('answers unanswered calls, drops stray and duplicate results, and restores call order', () => {
    const messages: Message[] = [
      { role: 'user', content: 'u' },
      toolResult('stray'),
      { role: 'assistant', content: '', toolCalls: [toolCall('a'), toolCall('b'), toolCall('c')] },
      toolResult('b'),
      toolResult('a'),
      toolResult('a', 'duplicate'),
      { role: 'user', content: 'next' },
    ];
    expect(repairToolPairing(messages)).toEqual([
      { role: 'user', content: 'u' },
      { role: 'assistant', content: '', toolCalls: [toolCall('a'), toolCall('b'), toolCall('c')] },
      toolResult('a'),
      toolResult('b'),
      { role: 'tool', toolCallId: 'c', name: 't', content: ORPHAN_CALL_NOTE, isError: true },
      { role: 'user', content: 'next' },
    ]);
  });
});

describe('Conversation', () => {
  it('keeps the system prompt first through clear() and setSystemPrompt()', () => {
    const c = new Conversation('first');
    c.append({ role: 'user', content: 'hi' });
    c.setSystemPrompt('second');
    expect(c.systemPrompt).toBe('second');
    c.clear();
    expect(c.messages).toEqual([{ role: 'system', content: 'second' }]);
  });
});

describe('Conversation.forProvider', () => {
  const orphan = (id: string): Message => ({ role: 'tool', toolCallId: id, name: 't', content: ORPHAN_CALL_NOTE, isError: true });

  it('checks what was appended since its last check: a call left unanswered after a clean history is still repaired', () => {
    const c = new Conversation('sys');
    c.append({ role: 'user', content: 'go' }, { role: 'assistant', content: '', toolCalls: [toolCall('a')] }, toolResult('a'));
    expect(c.forProvider()).toEqual(c.messages);
    c.append({ role: 'assistant', content: '', toolCalls: [toolCall('b')] });
    expect(c.forProvider().at(-1)).toEqual(orphan('b'));
    c.append(toolResult('b'), toolResult('stray'));
    expect(c.forProvider().map((m) => (m.role === 'tool' ? m.toolCallId : m.role))).toEqual(['system', 'user', 'assistant', 'a', 'assistant', 'b']);
  });

  it('starts over after a change that is not an append (a truncation inside a tool round)', () => {
    const c = new Conversation();
    c.append({ role: 'user', content: 'go' }, { role: 'assistant', content: '', toolCalls: [toolCall('a')] }, toolResult('a'));
    expect(c.forProvider()).toHaveLength(3);
    c.truncate(2);
    expect(c.forProvider()).toEqual([{ role: 'user', content: 'go' }, { role: 'assistant', content: '', toolCalls: [toolCall('a')] }, orphan('a')]);
    c.replace([toolResult('x'), { role: 'user', content: 'again' }]);
    expect(c.forProvider()).toEqual([{ role: 'user', content: 'again' }]);
  });
});
