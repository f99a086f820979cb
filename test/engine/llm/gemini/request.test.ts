import { describe, expect, it } from 'vitest';
import { buildGenerateParams, deepMerge } from '../../../../source/engine/llm/gemini/request.js';
import type { ToolSpec } from '../../../../source/engine/llm/provider.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('buildGenerateParams', () => {
  it('sends only what was asked for', () => {
    expect(buildGenerateParams('gemini-2.0-flash', { messages })).toEqual({
      model: 'gemini-2.0-flash',
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      config: {},
    });
  });

  it('converts each tool spec once and sends the schema as JSON Schema', () => {
    const spec: ToolSpec = { name: 'look', description: 'd', parameters: { type: 'object', properties: {} } };
    const a = buildGenerateParams('gemini-2.5-flash', { messages, tools: [spec] });
    const b = buildGenerateParams('gemini-2.5-flash', { messages, tools: [spec] });
    const declarations = (p: typeof a) => (p.config.tools as { functionDeclarations: unknown[] }[])[0]!.functionDeclarations;
    expect(declarations(a)[0]).toBe(declarations(b)[0]);
    expect(declarations(a)[0]).toEqual({ name: 'look', description: 'd', parametersJsonSchema: spec.parameters });
  });

  it('extraBody merges deeply and last; a preset budget replaces the derived level', () => {
    const params = buildGenerateParams('gemini-3-flash-preview', {
      messages,
      reasoningEffort: 'high',
      temperature: 1,
      extraBody: { temperature: 0.5, thinkingConfig: { thinkingBudget: 0 }, safetySettings: [{ category: 'X', threshold: 'OFF' }] },
    });
    expect(params.config).toEqual({
      temperature: 0.5,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 0 },
      safetySettings: [{ category: 'X', threshold: 'OFF' }],
    });
  });

  it('a preset level replaces a derived budget', () => {
    const params = buildGenerateParams('gemini-2.5-flash', { messages, reasoningEffort: 'low', extraBody: { thinkingConfig: { thinkingLevel: 'HIGH' } } });
    expect(params.config.thinkingConfig).toEqual({ includeThoughts: true, thinkingLevel: 'HIGH' });
  });
});

describe('deepMerge', () => {
  it('merges plain objects recursively, replaces arrays and scalars, leaves inputs alone', () => {
    const target = { a: { b: 1, c: [1] }, d: 1 };
    const out = deepMerge(target, { a: { c: [2], e: 3 }, d: { x: 1 } });
    expect(out).toEqual({ a: { b: 1, c: [2], e: 3 }, d: { x: 1 } });
    expect(target).toEqual({ a: { b: 1, c: [1] }, d: 1 });
  });
});
