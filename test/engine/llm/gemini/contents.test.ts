import { describe, expect, it } from 'vitest';
import type { AssistantMessage, Message } from '../../../../source/engine/llm/messages.js';
import { modelTurn, parseArguments, parseDataUrl, toWireHistory } from '../../../../source/engine/llm/gemini/contents.js';

describe('toWireHistory', () => {
  it('joins system messages into one instruction and merges consecutive same-role contents', () => {
    const history = toWireHistory([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'a' },
      { role: 'system', content: 'Never apologise.' },
      { role: 'user', content: [{ type: 'text', text: 'b' }, { type: 'text', text: '' }] },
      { role: 'assistant', content: 'c' },
      { role: 'assistant', content: '' },
      { role: 'assistant', content: 'd' },
    ]);
    expect(history.systemInstruction).toEqual({ parts: [{ text: 'Be terse.\n\nNever apologise.' }] });
    expect(history.contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }, { text: 'd' }] },
    ]);
  });

  it('has no system instruction without system messages, and no contents for empty ones', () => {
    const history = toWireHistory([{ role: 'user', content: '' }]);
    expect(history).toEqual({ systemInstruction: undefined, contents: [] });
  });

  it('converts each message once and never mutates a cached conversion when merging', () => {
    const a: Message = { role: 'user', content: 'a' };
    const b: Message = { role: 'user', content: 'b' };
    const first = toWireHistory([a, b]);
    const second = toWireHistory([a, b]);
    expect(second.contents).toEqual(first.contents);
    // Alone, `a` still converts to its own single part: the merge above made a new content.
    expect(toWireHistory([a]).contents).toEqual([{ role: 'user', parts: [{ text: 'a' }] }]);
  });

  it('sends tool results as functionResponse parts: output, or error when it failed', () => {
    const history = toWireHistory([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'run', arguments: '{}' }, { id: 'c2', name: 'run', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', name: 'run', content: [{ type: 'text', text: 'ok ' }, { type: 'image', url: 'data:image/png;base64,AA' }] },
      { role: 'tool', toolCallId: 'c2', name: 'run', content: 'boom', isError: true },
    ]);
    expect(history.contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'run', response: { output: 'ok [image]' } } },
        { functionResponse: { name: 'run', response: { error: 'boom' } } },
      ],
    });
  });

  it('adds the fallback signature only to turns whose calls have none', () => {
    const signed: AssistantMessage = {
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'c1', name: 'a', arguments: '{}' }],
      providerFields: { gemini_parts: [{ kind: 'call', at: 0, index: 0, name: 'a', thoughtSignature: 'real' }] },
    };
    const unsigned: AssistantMessage = { role: 'assistant', content: 'x', toolCalls: [{ id: 'c2', name: 'b', arguments: '{}' }] };
    const history = toWireHistory(
      [
        { role: 'user', content: 'go' },
        signed,
        { role: 'tool', toolCallId: 'c1', name: 'a', content: '1' },
        unsigned,
        { role: 'tool', toolCallId: 'c2', name: 'b', content: '2' },
      ],
      { fallbackSignature: 'dummy' },
    );
    expect(history.contents[1]!.parts![0]!.thoughtSignature).toBe('real');
    expect(history.contents[3]!.parts).toEqual([{ text: 'x' }, { functionCall: { name: 'b', args: {} }, thoughtSignature: 'dummy' }]);
    // The cached conversion of `unsigned` is untouched.
    expect(toWireHistory([unsigned]).contents[0]!.parts![1]).toEqual({ functionCall: { name: 'b', args: {} } });
  });
});

describe('modelTurn', () => {
  it('rebuilds the reply layout: signed thought, text split at its signature, signed calls in place', () => {
    const message: AssistantMessage = {
      role: 'assistant',
      content: 'Let me look. Then more.',
      toolCalls: [
        { id: 'call_x', name: 'read', arguments: '{"p":"a"}' },
        { id: 'fc-api', name: 'read', arguments: '{"p":"b"}' },
      ],
      providerFields: {
        gemini_parts: [
          { kind: 'thought', at: 0, text: 'Planning', thoughtSignature: 's-thought' },
          { kind: 'text', at: 12, thoughtSignature: 's-text' },
          { kind: 'call', at: 12, index: 0, name: 'read', thoughtSignature: 's-call' },
          { kind: 'call', at: 12, index: 1, name: 'read', id: 'fc-api' },
        ],
      },
    };
    expect(modelTurn(message)).toEqual({
      content: {
        role: 'model',
        parts: [
          { thought: true, text: 'Planning', thoughtSignature: 's-thought' },
          { text: 'Let me look.', thoughtSignature: 's-text' },
          { functionCall: { name: 'read', args: { p: 'a' } }, thoughtSignature: 's-call' },
          { functionCall: { name: 'read', args: { p: 'b' }, id: 'fc-api' } },
          { text: ' Then more.' },
        ],
      },
      apiIds: ['fc-api'],
    });
  });

  it('keeps a signature that arrived on an empty final text part', () => {
    const turn = modelTurn({
      role: 'assistant',
      content: 'Done.',
      providerFields: { gemini_parts: [{ kind: 'text', at: 5, thoughtSignature: 'sig' }] },
    });
    expect(turn.content.parts).toEqual([{ text: 'Done.', thoughtSignature: 'sig' }]);
    const empty = modelTurn({
      role: 'assistant',
      content: 'Done.',
      providerFields: {
        gemini_parts: [
          { kind: 'text', at: 2, thoughtSignature: 'a' },
          { kind: 'text', at: 5, thoughtSignature: 'b' },
          { kind: 'text', at: 5, thoughtSignature: 'c' },
        ],
      },
    });
    expect(empty.content.parts).toEqual([
      { text: 'Do', thoughtSignature: 'a' },
      { text: 'ne.', thoughtSignature: 'b' },
      { text: '', thoughtSignature: 'c' },
    ]);
  });

  it('uses a layout only as far as it fits the message, ignoring junk', () => {
    const turn = modelTurn({
      role: 'assistant',
      content: 'short',
      toolCalls: [{ id: 'c1', name: 'write', arguments: '{}' }],
      providerFields: {
        gemini_parts: [
          { kind: 'text', at: 99, thoughtSignature: 'too far' },
          { kind: 'call', at: 0, index: 0, name: 'read', thoughtSignature: 'other call' },
          { kind: 'call', at: 0, index: 5, name: 'write', thoughtSignature: 'no such call' },
          { kind: 'mystery', at: 0 },
          'junk',
          { kind: 'call', at: 5, index: 0, name: 'write', id: 'not-this-call' },
        ],
      },
    });
    expect(turn).toEqual({
      content: { role: 'model', parts: [{ text: 'short' }, { functionCall: { name: 'write', args: {} } }] },
      apiIds: [],
    });
  });
});

describe('helpers', () => {
  it('parseArguments: objects pass, anything else is {}', () => {
    expect(parseArguments('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(parseArguments('[1]')).toEqual({});
    expect(parseArguments('"s"')).toEqual({});
    expect(parseArguments('{broken')).toEqual({});
    expect(parseArguments('')).toEqual({});
  });

  it('parseDataUrl: base64 as is, percent-encoded re-encoded, other URLs undefined', () => {
    expect(parseDataUrl('data:image/png;base64,iVBO')).toEqual({ mimeType: 'image/png', data: 'iVBO' });
    expect(parseDataUrl('data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E')).toEqual({
      mimeType: 'image/svg+xml',
      data: Buffer.from('<svg/>').toString('base64'),
    });
    expect(parseDataUrl('data:,100%')).toEqual({ mimeType: '', data: Buffer.from('100%').toString('base64') });
    expect(parseDataUrl('https://example.com/a.png')).toBeUndefined();
  });

  it('links images without a data URL by fileData with a guessed or given type', () => {
    const history = toWireHistory([
      {
        role: 'user',
        content: [
          { type: 'image', url: 'https://example.com/a.JPG?x=1' },
          { type: 'image', url: 'https://example.com/noext', mediaType: 'image/gif' },
          { type: 'image', url: 'https://example.com/noext' },
        ],
      },
    ]);
    expect(history.contents[0]!.parts).toEqual([
      { fileData: { fileUri: 'https://example.com/a.JPG?x=1', mimeType: 'image/jpeg' } },
      { fileData: { fileUri: 'https://example.com/noext', mimeType: 'image/gif' } },
      { fileData: { fileUri: 'https://example.com/noext', mimeType: 'image/jpeg' } },
    ]);
  });
});
