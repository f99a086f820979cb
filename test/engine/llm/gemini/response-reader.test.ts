import type { GenerateContentResponse } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { mapFinishReason, ResponseReader, toUsage } from '../../../../source/engine/llm/gemini/response-reader.js';
import type { LLMStreamPart } from '../../../../source/engine/llm/provider.js';

const chunk = (parts: unknown[], extra: Record<string, unknown> = {}) =>
  ({ candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }] }) as unknown as GenerateContentResponse;

function readAll(chunks: GenerateContentResponse[]): { parts: LLMStreamPart[]; reader: ResponseReader } {
  const reader = new ResponseReader();
  const parts = chunks.flatMap((c) => reader.read(c));
  parts.push(...reader.end());
  return { parts, reader };
}

describe('ResponseReader', () => {
  it('yields reasoning and text in order, skips empty and foreign parts, and finishes once', () => {
    const { parts } = readAll([
      chunk([{ text: 'think', thought: true }]),
      chunk([{ text: '' }, { inlineData: { mimeType: 'image/png', data: 'AA' } }, { text: 'Hi' }]),
      chunk([{ text: ' there' }], { finishReason: 'STOP' }),
    ]);
    expect(parts).toEqual([
      { type: 'reasoning', text: 'think' },
      { type: 'text', text: 'Hi' },
      { type: 'text', text: ' there' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  it('holds calls for the end, with JSON arguments, and records signatures with their positions', () => {
    const { parts } = readAll([
      chunk([{ text: 'Plan', thought: true, thoughtSignature: 'st' }]),
      chunk([{ text: 'Ok.', thoughtSignature: 'sx' }]),
      chunk([
        { functionCall: { name: 'a', args: { n: 1 } }, thoughtSignature: 'sc' },
        { functionCall: { name: 'b' } },
        { functionCall: { name: 'c', args: {}, id: 'api-c' } },
      ], { finishReason: 'STOP' }),
    ]);
    const calls = parts.flatMap((p) => (p.type === 'tool_call' ? [p.call] : []));
    expect(calls.map((c) => [c.name, c.arguments])).toEqual([
      ['a', '{"n":1}'],
      ['b', '{}'],
      ['c', '{}'],
    ]);
    expect(calls[2]!.id).toBe('api-c');
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool_calls',
      providerFields: {
        gemini_parts: [
          { kind: 'thought', at: 0, text: 'Plan', thoughtSignature: 'st' },
          { kind: 'text', at: 3, thoughtSignature: 'sx' },
          { kind: 'call', at: 3, index: 0, name: 'a', thoughtSignature: 'sc' },
          { kind: 'call', at: 3, index: 2, name: 'c', id: 'api-c' },
        ],
      },
    });
  });

  it('keeps the latest usage and reports a blocked prompt', () => {
    const reader = new ResponseReader();
    reader.read({ usageMetadata: { promptTokenCount: 10 } } as GenerateContentResponse);
    const blocked = { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 0 } };
    reader.read(blocked as unknown as GenerateContentResponse);
    expect(reader.sawResponse).toBe(true);
    expect(reader.end()).toEqual([{ type: 'finish', finishReason: 'prohibited_content', usage: { input: 12, output: 0, cached: 0 } }]);
  });

  it('sees no response in chunks with nothing of a generation', () => {
    const reader = new ResponseReader();
    reader.read({} as GenerateContentResponse);
    expect(reader.sawResponse).toBe(false);
  });
});

describe('mapping helpers', () => {
  it('finish reasons', () => {
    expect(mapFinishReason('STOP')).toBe('stop');
    expect(mapFinishReason('MAX_TOKENS')).toBe('length');
    expect(mapFinishReason('MALFORMED_FUNCTION_CALL')).toBe('malformed_function_call');
  });

  it('usage: cached is a subset of input, thoughts count as output, tool-use prompts as input', () => {
    expect(
      toUsage({ promptTokenCount: 100, cachedContentTokenCount: 60, candidatesTokenCount: 7, thoughtsTokenCount: 3, toolUsePromptTokenCount: 5 }),
    ).toEqual({ input: 105, output: 10, cached: 60 });
    expect(toUsage({})).toEqual({ input: 0, output: 0, cached: 0 });
  });
});
