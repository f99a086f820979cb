import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../source/engine/llm/messages.js';
import { MISSING_RESULT_NOTE, pairToolResults } from '../../../../source/engine/llm/gemini/pairing.js';
import { toolCall, toolResult, wellPaired } from '../../../helpers/tool-messages.js';

describe('pairToolResults', () => {
  it('passes a well-paired history through as the same objects', () => {
    const messages = wellPaired();
    const out = pairToolResults(messages);
    expect(out).toHaveLength(messages.length);
    out.forEach((m, i) => expect(m).toBe(messages[i]));
  });

  it('puts results in call order and answers missing ones with an error note', () => {
    const messages: Message[] = [
      { role: 'assistant', content: '', toolCalls: [toolCall('a'), toolCall('b', 'other'), toolCall('c')] },
      toolResult('c'),
      toolResult('a'),
    ];
    const out = pairToolResults(messages);
    expect(out.map((m) => (m.role === 'tool' ? m.toolCallId : m.role))).toEqual(['assistant', 'a', 'b', 'c']);
    expect(out[2]).toEqual({ role: 'tool', toolCallId: 'b', name: 'other', content: MISSING_RESULT_NOTE, isError: true });
  });

  it('drops stray results, late results and duplicates', () => {
    const messages: Message[] = [
      toolResult('nobody'),
      { role: 'assistant', content: '', toolCalls: [toolCall('a')] },
      toolResult('a', 'first'),
      toolResult('a', 'second'),
      toolResult('zzz'),
      { role: 'user', content: 'interjection' },
      toolResult('a', 'too late'),
    ];
    const out = pairToolResults(messages);
    expect(out).toEqual([messages[1], messages[2], messages[5]]);
  });

  it('answers calls left open at the end of the history', () => {
    const out = pairToolResults([{ role: 'assistant', content: '', toolCalls: [toolCall('a')] }]);
    expect(out[1]).toMatchObject({ role: 'tool', toolCallId: 'a', isError: true });
  });
});
