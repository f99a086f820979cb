import { describe, expect, it } from 'vitest';
import { withCacheBreakpoints } from '../../../../source/engine/llm/anthropic/prompt-caching.js';
import type { WireMessage, WireTool } from '../../../../source/engine/llm/anthropic/wire-types.js';

const mark = { type: 'ephemeral' };
const text = (t: string) => ({ type: 'text' as const, text: t });
const tool = (name: string): WireTool => ({ name, description: 'd', input_schema: { type: 'object' } });

function breakpoints(value: unknown): number {
  return (JSON.stringify(value).match(/"cache_control"/g) ?? []).length;
}

describe('prompt-cache breakpoints', () => {
  const messages: WireMessage[] = [
    { role: 'user', content: [text('1')] },
    { role: 'assistant', content: [text('2a'), text('2b')] },
    { role: 'user', content: [text('3')] },
  ];

  it('marks the last system block and the last block of the last two turns, at most three in all', () => {
    const out = withCacheBreakpoints({ system: [text('s1'), text('s2')], messages, tools: [tool('a'), tool('b')] });
    expect(out.system).toEqual([text('s1'), { ...text('s2'), cache_control: mark }]);
    expect(out.tools).toEqual([tool('a'), tool('b')]);
    expect(out.messages[0]).toBe(messages[0]);
    expect(out.messages[1]!.content).toEqual([text('2a'), { ...text('2b'), cache_control: mark }]);
    expect(out.messages[2]!.content).toEqual([{ ...text('3'), cache_control: mark }]);
    expect(breakpoints(out)).toBe(3);
  });

  it('marks the last tool when there is no system prompt', () => {
    const out = withCacheBreakpoints({ system: [], messages, tools: [tool('a'), tool('b')] });
    expect(out.tools[1]).toEqual({ ...tool('b'), cache_control: mark });
    expect(out.tools[0]).not.toHaveProperty('cache_control');
  });

  it('never changes its input, and gives the same marks for the same input', () => {
    const input = { system: [text('s')], messages, tools: [tool('a')] };
    const snapshot = JSON.stringify(input);
    const first = withCacheBreakpoints(input);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(withCacheBreakpoints(input)).toEqual(first);
  });

  it('skips thinking blocks, which cannot carry cache_control', () => {
    const out = withCacheBreakpoints({
      system: [],
      tools: [],
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 't', signature: 's' },
            { type: 'tool_use', id: 'x', name: 'f', input: {} },
            { type: 'redacted_thinking', data: 'd' },
          ],
        },
        { role: 'user', content: [{ type: 'redacted_thinking', data: 'only' }] },
      ],
    });
    expect(out.messages[0]!.content[1]).toMatchObject({ type: 'tool_use', cache_control: mark });
    expect(breakpoints(out)).toBe(1);
  });

  it('handles a single turn and no system or tools', () => {
    const out = withCacheBreakpoints({ system: [], tools: [], messages: [{ role: 'user', content: [text('only')] }] });
    expect(out.messages[0]!.content[0]).toEqual({ ...text('only'), cache_control: mark });
    expect(breakpoints(out)).toBe(1);
  });
});
