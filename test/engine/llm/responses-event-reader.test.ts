import { describe, expect, it } from 'vitest';
import { EventReader, MalformedEventError, StreamFailure } from '../../../source/engine/llm/openai/responses/event-reader.js';
import { classifyStreamCode, retryAfterFromText } from '../../../source/engine/llm/openai/responses/stream-failure.js';

const completed = (usage?: unknown) => ({ type: 'response.completed', response: { status: 'completed', usage } });

describe('EventReader', () => {
  it('takes arguments from the deltas when the done item has none, and fills a missing call id', () => {
    const reader = new EventReader();
    reader.read({ type: 'response.output_item.added', output_index: 0, item: { id: 'fc_1', type: 'function_call', name: 'read', arguments: '' } });
    reader.read({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '{"a":' });
    reader.read({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '1}' });
    const parts = reader.read({ type: 'response.output_item.done', item: { id: 'fc_1', type: 'function_call' } });
    expect(parts).toEqual([{ type: 'tool_call', call: { id: expect.stringMatching(/^call_/), name: 'read', arguments: '{"a":1}' } }]);
  });

  it('flushes calls whose done event never came when the response completes, and ignores events after it', () => {
    const reader = new EventReader();
    reader.read({ type: 'response.output_item.added', output_index: 1, item: { id: 'fc_b', type: 'function_call', call_id: 'call_b', name: 'b' } });
    reader.read({ type: 'response.output_item.added', output_index: 0, item: { id: 'fc_a', type: 'function_call', call_id: 'call_a', name: 'a' } });
    const parts = reader.read(completed({ input_tokens: 5, output_tokens: 2 }));
    expect(parts).toEqual([
      { type: 'tool_call', call: { id: 'call_a', name: 'a', arguments: '{}' } },
      { type: 'tool_call', call: { id: 'call_b', name: 'b', arguments: '{}' } },
      { type: 'finish', finishReason: 'tool_calls', usage: { input: 5, output: 2, cached: 0 } },
    ]);
    expect(reader.finished).toBe(true);
    expect(reader.read({ type: 'response.output_text.delta', delta: 'late' })).toEqual([]);
  });

  it('treats refusals as text and ignores events it does not need', () => {
    const reader = new EventReader();
    expect(reader.read({ type: 'response.refusal.delta', delta: 'I cannot.' })).toEqual([{ type: 'text', text: 'I cannot.' }]);
    expect(reader.read({ type: 'response.web_search_call.searching', item_id: 'ws_1' })).toEqual([]);
    expect(reader.read(completed())).toEqual([{ type: 'finish', finishReason: 'stop' }]);
  });

  it('passes other incomplete reasons through', () => {
    const reader = new EventReader();
    const parts = reader.read({ type: 'response.incomplete', response: { incomplete_details: { reason: 'content_filter' } } });
    expect(parts).toEqual([{ type: 'finish', finishReason: 'content_filter' }]);
  });

  it('throws StreamFailure for response.failed and for an error event delivered as data', () => {
    const reader = new EventReader();
    expect(() => reader.read({ type: 'response.failed', response: { error: { code: 'server_error', message: 'boom' } } })).toThrow(StreamFailure);
    expect(() => reader.read({ type: 'error', code: 'rate_limit_exceeded', message: 'slow down' })).toThrow('slow down');
  });

  it('rejects events that are not objects with a type', () => {
    const reader = new EventReader();
    expect(() => reader.read(42)).toThrow(MalformedEventError);
    expect(() => reader.read({ delta: 'x' })).toThrow(MalformedEventError);
    expect(reader.sawEvents).toBe(false);
  });
});

describe('in-stream error codes', () => {
  it('classifies codes', () => {
    expect(classifyStreamCode('rate_limit_exceeded', '')).toBe('rate_limit');
    expect(classifyStreamCode('server_is_overloaded', '')).toBe('server');
    expect(classifyStreamCode(undefined, 'This exceeds the context window')).toBe('overflow');
    expect(classifyStreamCode('invalid_image_url', '')).toBe('user');
    expect(classifyStreamCode('insufficient_quota', '')).toBe('user');
    expect(classifyStreamCode(undefined, 'odd')).toBe('unknown');
  });

  it('reads the suggested wait from the message', () => {
    expect(retryAfterFromText('Please try again in 11.054s.')).toBe(11054);
    expect(retryAfterFromText('try again in 300ms')).toBe(300);
    expect(retryAfterFromText('no hint')).toBeUndefined();
  });
});
