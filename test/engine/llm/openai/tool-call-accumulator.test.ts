import { describe, expect, it } from 'vitest';
import { ToolCallAccumulator, type ToolCallDelta } from '../../../../source/engine/llm/openai/tool-call-accumulator.js';

function run(deltas: ToolCallDelta[]) {
  const acc = new ToolCallAccumulator();
  for (const delta of deltas) acc.add(delta);
  return acc.finish();
}

describe('ToolCallAccumulator', () => {
  it('joins OpenAI-style fragments: id and name first, then arguments by index', () => {
    const calls = run([
      { index: 0, id: 'call_a', type: 'function', function: { name: 'read', arguments: '' } },
      { index: 0, function: { arguments: '{"pa' } },
      { index: 0, function: { arguments: 'th":"a.txt"}' } },
    ]);
    expect(calls).toEqual([{ id: 'call_a', name: 'read', arguments: '{"path":"a.txt"}' }]);
  });

  it('keeps parallel calls apart and returns them in index order', () => {
    const calls = run([
      { index: 1, id: 'call_b', function: { name: 'second', arguments: '' } },
      { index: 0, id: 'call_a', function: { name: 'first', arguments: '' } },
      { index: 1, function: { arguments: '{"n":2}' } },
      { index: 0, function: { arguments: '{"n":1}' } },
    ]);
    expect(calls.map((c) => [c.id, c.name, c.arguments])).toEqual([
      ['call_a', 'first', '{"n":1}'],
      ['call_b', 'second', '{"n":2}'],
    ]);
  });

  it('routes by id when every call reuses index 0 (Ollama)', () => {
    const calls = run([
      { index: 0, id: 'x1', function: { name: 'a', arguments: '{"q":' } },
      { index: 0, function: { arguments: '1}' } },
      { index: 0, id: 'x2', function: { name: 'b', arguments: '{"q":2}' } },
    ]);
    expect(calls).toEqual([
      { id: 'x1', name: 'a', arguments: '{"q":1}' },
      { id: 'x2', name: 'b', arguments: '{"q":2}' },
    ]);
  });

  it('follows the current call when there is no index', () => {
    const calls = run([
      { id: 'x1', function: { name: 'a', arguments: '' } },
      { function: { arguments: '{"q":1}' } },
      { id: 'x2', function: { name: 'b', arguments: '' } },
      { function: { arguments: '{"q":2}' } },
    ]);
    expect(calls.map((c) => c.arguments)).toEqual(['{"q":1}', '{"q":2}']);
    expect(calls.map((c) => c.id)).toEqual(['x1', 'x2']);
  });

  it('adopts an id that arrives after the first delta', () => {
    const calls = run([
      { index: 0, function: { name: 'a', arguments: '' } },
      { index: 0, id: 'late', function: { arguments: '{}' } },
    ]);
    expect(calls).toEqual([{ id: 'late', name: 'a', arguments: '{}' }]);
  });

  it('adopts a late id even without an index, and with index 0 reused', () => {
    const calls = run([
      { index: 0, function: { name: 'a', arguments: '' } },
      { index: 0, id: 'i1', function: { arguments: '{"x":1}' } },
      { index: 0, function: { name: 'b', arguments: '' } },
      { index: 0, id: 'i2', function: { arguments: '{"x":2}' } },
    ]);
    expect(calls).toEqual([
      { id: 'i1', name: 'a', arguments: '{"x":1}' },
      { id: 'i2', name: 'b', arguments: '{"x":2}' },
    ]);
  });

  it('accepts the name after the arguments', () => {
    const calls = run([
      { index: 0, id: 'c', function: { arguments: '{"a":' } },
      { index: 0, function: { arguments: '1}' } },
      { index: 0, function: { name: 'late_name' } },
    ]);
    expect(calls).toEqual([{ id: 'c', name: 'late_name', arguments: '{"a":1}' }]);
  });

  it('keeps extending a call when a server repeats the name on every fragment', () => {
    const calls = run([
      { index: 0, id: 'c', function: { name: 'f', arguments: '{"a":' } },
      { index: 0, function: { name: 'f', arguments: '1}' } },
    ]);
    expect(calls).toEqual([{ id: 'c', name: 'f', arguments: '{"a":1}' }]);
  });

  it('joins a name streamed in pieces at one index into one call (vLLM-style)', () => {
    const calls = run([
      { index: 0, id: 'call_n', type: 'function', function: { name: 'read', arguments: '' } },
      { index: 0, function: { name: '_fi' } },
      { index: 0, function: { name: 'le', arguments: '' } },
      { index: 0, function: { arguments: '{"path":"a"}' } },
    ]);
    expect(calls).toEqual([{ id: 'call_n', name: 'read_file', arguments: '{"path":"a"}' }]);
  });

  it('joins name pieces that repeat the id, and keeps a second index its own call', () => {
    const calls = run([
      { index: 0, id: 'c1', function: { name: 'web_' } },
      { index: 0, id: 'c1', function: { name: 'search', arguments: '{"q":"x"}' } },
      { index: 1, id: 'c2', function: { name: 'gr' } },
      { index: 1, function: { name: 'ep' } },
      { index: 1, function: { arguments: '{}' } },
    ]);
    expect(calls).toEqual([
      { id: 'c1', name: 'web_search', arguments: '{"q":"x"}' },
      { id: 'c2', name: 'grep', arguments: '{}' },
    ]);
  });

  it('starts a new call for a second name when there are neither ids nor indexes', () => {
    const calls = run([
      { function: { name: 'f', arguments: '{"a":1}' } },
      { function: { name: 'f', arguments: '{"a":2}' } },
    ]);
    expect(calls.map((c) => c.arguments)).toEqual(['{"a":1}', '{"a":2}']);
  });

  it('generates unique, non-empty ids when the server sends none', () => {
    const calls = run([
      { index: 0, function: { name: 'a', arguments: '{}' } },
      { index: 1, id: '', function: { name: 'b', arguments: '{}' } },
      { index: 2, id: 'kept', function: { name: 'c', arguments: '{}' } },
    ]);
    const ids = calls.map((c) => c.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toMatch(/^call_[\w-]{8,}$/);
    expect(ids[1]).toMatch(/^call_[\w-]{8,}$/);
    expect(ids[2]).toBe('kept');
  });

  it('keeps calls apart when a server reuses one id on different indexes, and renames the duplicate', () => {
    const calls = run([
      { index: 0, id: 'same', function: { name: 'a', arguments: '' } },
      { index: 1, id: 'same', function: { name: 'b', arguments: '' } },
      { index: 0, id: 'same', function: { arguments: '{"n":1}' } },
      { index: 1, id: 'same', function: { arguments: '{"n":2}' } },
    ]);
    expect(calls.map((c) => [c.name, c.arguments])).toEqual([
      ['a', '{"n":1}'],
      ['b', '{"n":2}'],
    ]);
    expect(calls[0]?.id).toBe('same');
    expect(calls[1]?.id).not.toBe('same');
  });

  it('ignores empty deltas and turns missing arguments into {}', () => {
    const calls = run([{ index: 0 }, {}, { index: 0, id: 'c', function: { name: 'noargs' } }, { index: 0, function: {} }]);
    expect(calls).toEqual([{ id: 'c', name: 'noargs', arguments: '{}' }]);
  });

  it('serialises arguments sent as an object', () => {
    const calls = run([{ index: 0, id: 'c', function: { name: 'f', arguments: { a: 1 } } }]);
    expect(calls[0]?.arguments).toBe('{"a":1}');
  });

  it('returns nothing when no call was streamed', () => {
    expect(run([])).toEqual([]);
  });
});
