import { describe, expect, it } from 'vitest';
import { deepMerge } from '../../../../source/engine/llm/anthropic/deep-merge.js';
import { buildMessagesBody, type BodySettings } from '../../../../source/engine/llm/anthropic/request.js';
import type { LLMRequest, ToolSpec } from '../../../../source/engine/llm/provider.js';

const settings: BodySettings = { model: 'claude-haiku-4-5', promptCaching: false };
const hello: LLMRequest = { messages: [{ role: 'user', content: 'hi' }] };

describe('buildMessagesBody', () => {
  it('builds the minimal streaming body', () => {
    expect(buildMessagesBody(hello, settings)).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 32_000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: true,
    });
  });

  it('sends temperature only without thinking, clamped to the API range, unless extraBody sets one', () => {
    expect(buildMessagesBody({ ...hello, temperature: 0.3 }, settings)['temperature']).toBe(0.3);
    expect(buildMessagesBody({ ...hello, temperature: 2 }, settings)['temperature']).toBe(1);
    expect(buildMessagesBody({ ...hello, temperature: 0.3, reasoningEffort: 'low' }, settings)).not.toHaveProperty('temperature');
    expect(buildMessagesBody({ ...hello, temperature: 0.3, extraBody: { temperature: 0.9 } }, settings)['temperature']).toBe(0.9);
    const disabled = buildMessagesBody({ ...hello, temperature: 0.3, reasoningEffort: 'low', extraBody: { thinking: { type: 'disabled' } } }, settings);
    expect(disabled['temperature']).toBe(0.3);
  });

  it('strips our own extraBody keys and keeps stream on', () => {
    const body = buildMessagesBody({ ...hello, extraBody: { disable_prompt_caching: true, stream: false, top_k: 5 } }, { ...settings, promptCaching: true });
    expect(body).not.toHaveProperty('disable_prompt_caching');
    expect(body['stream']).toBe(true);
    expect(body['top_k']).toBe(5);
    expect(JSON.stringify(body)).not.toContain('cache_control');
  });

  it('reuses the converted tool objects across requests', () => {
    const tools: ToolSpec[] = [{ name: 't', description: 'd', parameters: { type: 'object' } }];
    const a = buildMessagesBody({ ...hello, tools }, settings)['tools'] as unknown[];
    const b = buildMessagesBody({ ...hello, tools }, settings)['tools'] as unknown[];
    expect(a[0]).toBe(b[0]);
    expect(a[0]).toEqual({ name: 't', description: 'd', input_schema: { type: 'object' } });
  });

  it('marks breakpoints on copies, so a later uncached request is clean', () => {
    const request: LLMRequest = { messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }] };
    expect(JSON.stringify(buildMessagesBody(request, { ...settings, promptCaching: true }))).toContain('cache_control');
    expect(JSON.stringify(buildMessagesBody(request, settings))).not.toContain('cache_control');
  });
});

describe('deepMerge', () => {
  it('merges nested objects, replaces arrays and scalars, and leaves inputs alone', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const extra = { a: { c: [3], e: true }, d: 'y', f: null };
    expect(deepMerge(base, extra)).toEqual({ a: { b: 1, c: [3], e: true }, d: 'y', f: null });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
  });

  it('replaces rather than merges objects of a different type', () => {
    expect(deepMerge({ t: { type: 'adaptive' } }, { t: { type: 'enabled', budget_tokens: 2000 } })).toEqual({
      t: { type: 'enabled', budget_tokens: 2000 },
    });
    expect(deepMerge({ t: { type: 'enabled', budget_tokens: 1 } }, { t: { budget_tokens: 2 } })).toEqual({
      t: { type: 'enabled', budget_tokens: 2 },
    });
  });
});
