import { describe, expect, it } from 'vitest';
import { MalformedEventError, StreamEventReader } from '../../../../source/engine/llm/anthropic/event-reader.js';
import type { LLMStreamPart } from '../../../../source/engine/llm/provider.js';

function run(events: unknown[]): { parts: LLMStreamPart[]; reader: StreamEventReader } {
  const reader = new StreamEventReader();
  const parts = events.flatMap((e) => reader.read(e));
  return { parts: [...parts, ...reader.end()], reader };
}

const start = (usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 1 }) => ({ type: 'message_start', message: { usage } });

describe('StreamEventReader', () => {
  it('reads blocks without index fields, as the block most recently started', () => {
    const { parts } = run([
      start(),
      { type: 'content_block_start', content_block: { type: 'text', text: 'He' } },
      { type: 'content_block_delta', delta: { type: 'text_delta', text: 'llo' } },
      { type: 'content_block_stop' },
      { type: 'content_block_start', content_block: { type: 'tool_use', id: 'toolu_1', name: 'f' } },
      { type: 'content_block_delta', delta: { type: 'input_json_delta', partial_json: '{"a"' } },
      { type: 'content_block_delta', delta: { type: 'input_json_delta', partial_json: ':1}' } },
      { type: 'content_block_stop' },
      { type: 'message_stop' },
    ]);
    expect(parts).toEqual([
      { type: 'text', text: 'He' },
      { type: 'text', text: 'llo' },
      { type: 'tool_call', call: { id: 'toolu_1', name: 'f', arguments: '{"a":1}' } },
      { type: 'finish', finishReason: 'tool_calls', usage: { input: 10, output: 1, cached: 0 } },
    ]);
  });

  it('flushes tool calls whose block never stopped, and invents a missing id', () => {
    const { parts } = run([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', name: 'f', input: {} } },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 4 } },
    ]);
    const call = parts[0];
    expect(call?.type === 'tool_call' && call.call).toMatchObject({ name: 'f', arguments: '{}' });
    expect(call?.type === 'tool_call' && call.call.id).toMatch(/^toolu_/);
  });

  it('keeps earlier usage counts that a later event leaves out or sends as null', () => {
    const { parts } = run([
      start({ input_tokens: 50, cache_read_input_tokens: 200, cache_creation_input_tokens: 30, output_tokens: 1 }),
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 12, input_tokens: null } },
      { type: 'message_stop' },
    ]);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: { input: 280, output: 12, cached: 200 } });
  });

  it('collects thinking with signature deltas, in block order', () => {
    const { parts } = run([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'a' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'b' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'SIG' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'R' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_stop' },
    ]);
    expect(parts.filter((p) => p.type === 'reasoning').map((p) => (p.type === 'reasoning' ? p.text : ''))).toEqual(['a', 'b']);
    expect(parts.at(-1)).toMatchObject({
      providerFields: { anthropic_thinking: [{ type: 'thinking', thinking: 'ab', signature: 'SIG' }, { type: 'redacted_thinking', data: 'R' }] },
    });
  });

  it('ignores ping, unknown events and server-tool blocks', () => {
    const { parts, reader } = run([
      start(),
      { type: 'ping' },
      { type: 'something_new', x: 1 },
      { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 's', name: 'web_search', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_stop' },
    ]);
    expect(parts.map((p) => p.type)).toEqual(['finish']);
    expect(reader.sawStart && reader.complete).toBe(true);
  });

  it('reports whether the message started and ended', () => {
    const reader = new StreamEventReader();
    expect(reader.sawStart).toBe(false);
    reader.read(start());
    expect([reader.sawStart, reader.complete]).toEqual([true, false]);
  });

  it('throws MalformedEventError for events that are not Messages API events', () => {
    const reader = new StreamEventReader();
    expect(() => reader.read(42)).toThrow(MalformedEventError);
    expect(() => reader.read({ no: 'type' })).toThrow(/no type/);
  });
});
