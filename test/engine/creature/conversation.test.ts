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
