import { describe, expect, it } from 'vitest';
import { mergeTurns, toWireConversation } from '../../../../source/engine/llm/anthropic/conversation.js';
import { imageBlock, parseInput, toWireTurn } from '../../../../source/engine/llm/anthropic/message-blocks.js';
import { ORPHAN_RESULT_TEXT, repairToolPairing } from '../../../../source/engine/llm/anthropic/tool-pairing.js';
import type { WireMessage } from '../../../../source/engine/llm/anthropic/wire-types.js';
import type { AssistantMessage, Message, UserMessage } from '../../../../source/engine/llm/messages.js';

const use = (id: string) => ({ type: 'tool_use' as const, id, name: 'f', input: {} });
const result = (id: string, content = 'r') => ({ type: 'tool_result' as const, tool_use_id: id, content });
const text = (t: string) => ({ type: 'text' as const, text: t });
const orphan = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: ORPHAN_RESULT_TEXT, is_error: true });

describe('message blocks', () => {
  it('converts each message once and returns the same object afterwards', () => {
    const message: Message = { role: 'user', content: 'hi' };
    const first = toWireTurn(message);
    expect(first).toEqual({ role: 'user', content: [text('hi')] });
    expect(toWireTurn(message)).toBe(first);
  });

  it('leaves out empty text and turns with nothing to send', () => {
    expect(toWireTurn({ role: 'user', content: '' })).toBeUndefined();
    expect(toWireTurn({ role: 'assistant', content: '' })).toBeUndefined();
    expect(toWireTurn({ role: 'user', content: [text(''), text('x')] })).toEqual({ role: 'user', content: [text('x')] });
    expect(toWireTurn({ role: 'tool', toolCallId: 't', name: 'f', content: '' })).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 't' }],
    });
  });

  it('puts restored thinking blocks first, then text, then tool_use; skips malformed stored entries', () => {
    const message: AssistantMessage = {
      role: 'assistant',
      content: 'Calling.',
      toolCalls: [{ id: 'toolu_1', name: 'f', arguments: '{"a":[1,2]}' }],
      providerFields: {
        anthropic_thinking: [
          { type: 'thinking', thinking: 'hm', signature: 's1' },
          { type: 'thinking', thinking: 'no signature' },
          'junk',
          { type: 'redacted_thinking', data: 'xyz' },
        ],
      },
    };
    expect(toWireTurn(message)!.content).toEqual([
      { type: 'thinking', thinking: 'hm', signature: 's1' },
      { type: 'redacted_thinking', data: 'xyz' },
      text('Calling.'),
      { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: [1, 2] } },
    ]);
  });

  it('parses tool input into an object; anything else becomes {}', () => {
    expect(parseInput('{"x":1}')).toEqual({ x: 1 });
    expect(parseInput('{"x":')).toEqual({});
    expect(parseInput('[1]')).toEqual({});
    expect(parseInput('"s"')).toEqual({});
    expect(parseInput('')).toEqual({});
  });

  it('turns data URLs into base64 sources and leaves other URLs as URL sources', () => {
    expect(imageBlock({ type: 'image', url: 'data:image/jpeg;base64,/9j/' }).source).toEqual({
      type: 'base64',
      media_type: 'image/jpeg',
      data: '/9j/',
    });
    expect(imageBlock({ type: 'image', url: 'data:;base64,AAAA', mediaType: 'image/webp' }).source).toMatchObject({ media_type: 'image/webp' });
    expect(imageBlock({ type: 'image', url: 'data:image/svg+xml,%3Csvg%2F%3E' }).source).toEqual({
      type: 'base64',
      media_type: 'image/svg+xml',
      data: Buffer.from('<svg/>').toString('base64'),
    });
    expect(imageBlock({ type: 'image', url: 'https://x/y.png' }).source).toEqual({ type: 'url', url: 'https://x/y.png' });
  });

  it('keeps tool results with images as block lists, and marks errors', () => {
    const turn = toWireTurn({
      role: 'tool',
      toolCallId: 't',
      name: 'shot',
      isError: true,
      content: [text('see'), { type: 'image', url: 'data:image/png;base64,QQ==' }],
    });
    expect(turn!.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 't',
        is_error: true,
        content: [text('see'), { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QQ==' } }],
      },
    ]);
  });
});

describe('tool pairing repair', () => {
  it('returns well-paired turns as they are', () => {
    const turns: WireMessage[] = [
      { role: 'user', content: [text('q')] },
      { role: 'assistant', content: [use('a'), use('b')] },
      { role: 'user', content: [result('a'), result('b'), text('more')] },
    ];
    const repaired = repairToolPairing(turns);
    expect(repaired).toEqual(turns);
    repaired.forEach((turn, i) => expect(turn).toBe(turns[i]));
  });

  it('orders results by call, puts them first, and answers missing ones', () => {
    const repaired = repairToolPairing([
      { role: 'assistant', content: [use('a'), use('b'), use('c')] },
      { role: 'user', content: [text('note'), result('c', 'C'), result('a', 'A'), result('a', 'dup')] },
    ]);
    expect(repaired[1]!.content).toEqual([result('a', 'A'), orphan('b'), result('c', 'C'), text('note')]);
  });

  it('drops stray results, and a turn that held nothing else', () => {
    expect(
      repairToolPairing([
        { role: 'user', content: [result('x')] },
        { role: 'assistant', content: [text('hi')] },
        { role: 'user', content: [result('y'), text('ok')] },
      ]),
    ).toEqual([
      { role: 'assistant', content: [text('hi')] },
      { role: 'user', content: [text('ok')] },
    ]);
  });

  it('answers calls at the very end, and calls followed by another assistant turn', () => {
    expect(repairToolPairing([{ role: 'user', content: [text('q')] }, { role: 'assistant', content: [use('z')] }]).at(-1)).toEqual({
      role: 'user',
      content: [orphan('z')],
    });
    expect(
      repairToolPairing([
        { role: 'assistant', content: [use('a')] },
        { role: 'assistant', content: [text('again')] },
      ]).map((t) => t.role),
    ).toEqual(['assistant', 'user', 'assistant']);
  });
});

describe('conversation', () => {
  it('hoists system messages, merges same-role turns and does not touch the input', () => {
    const messages: Message[] = [
      { role: 'system', content: 'one' },
      { role: 'system', content: 'two' },
      { role: 'user', content: 'a' },
      { role: 'user', content: '' },
      { role: 'user', content: 'b' },
      { role: 'assistant', content: 'c' },
      { role: 'assistant', content: 'd' },
    ];
    const snapshot = JSON.stringify(messages);
    const wire = toWireConversation(messages);
    expect(wire.system).toEqual([text('one'), text('two')]);
    expect(wire.messages).toEqual([
      { role: 'user', content: [text('a'), text('b')] },
      { role: 'assistant', content: [text('c'), text('d')] },
    ]);
    expect(JSON.stringify(messages)).toBe(snapshot);
    // The cached per-message turns are unchanged by merging.
    expect(toWireTurn(messages[2] as UserMessage)).toEqual({ role: 'user', content: [text('a')] });
  });

  it('merges again when dropping a stray-only turn makes assistant turns neighbours', () => {
    const wire = toWireConversation([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'first' },
      { role: 'tool', toolCallId: 'nobody', name: 'f', content: 'stray' },
      { role: 'assistant', content: 'second' },
    ]);
    expect(wire.messages).toEqual([
      { role: 'user', content: [text('q')] },
      { role: 'assistant', content: [text('first'), text('second')] },
    ]);
  });

  it('mergeTurns joins only neighbours of the same role', () => {
    expect(
      mergeTurns([
        { role: 'user', content: [text('1')] },
        { role: 'assistant', content: [text('2')] },
        { role: 'user', content: [text('3')] },
        { role: 'user', content: [text('4')] },
      ]).map((t) => t.content.length),
    ).toEqual([1, 1, 2]);
  });
});
