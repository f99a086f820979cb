import { describe, expect, it } from 'vitest';
import { requiresCallSignatures, thinkingConfigFor, thinkingStyle } from '../../../../source/engine/llm/gemini/thinking.js';

describe('thinkingStyle', () => {
  it.each([
    ['gemini-3-pro-preview', 'level'],
    ['gemini-3.1-flash-lite', 'level'],
    ['models/gemini-3.5-flash', 'level'],
    ['gemini-2.5-flash', 'budget'],
    ['gemini-2.5-pro', 'budget'],
    ['gemini-flash-latest', 'budget'],
    ['my-proxy-model', 'budget'],
    ['gemini-2.0-flash', 'none'],
    ['gemini-1.5-pro', 'none'],
    ['gemma-3-27b-it', 'none'],
  ])('%s → %s', (model, style) => {
    expect(thinkingStyle(model)).toBe(style);
  });

  it('only Gemini 3+ validates call signatures', () => {
    expect(requiresCallSignatures('gemini-3-flash-preview')).toBe(true);
    expect(requiresCallSignatures('gemini-2.5-flash')).toBe(false);
  });
});

describe('thinkingConfigFor', () => {
  it('always asks thinking models for their thoughts; sends nothing to the others', () => {
    expect(thinkingConfigFor('gemini-2.5-flash', undefined)).toEqual({ includeThoughts: true });
    expect(thinkingConfigFor('gemini-3-pro-preview', undefined)).toEqual({ includeThoughts: true });
    expect(thinkingConfigFor('gemini-2.0-flash', 'high')).toBeUndefined();
  });

  it.each([
    ['none', 'MINIMAL'],
    ['minimal', 'MINIMAL'],
    ['low', 'LOW'],
    ['medium', 'MEDIUM'],
    ['high', 'HIGH'],
    ['xhigh', 'HIGH'],
  ])('Gemini 3 Flash: %s → %s', (effort, level) => {
    expect(thinkingConfigFor('gemini-3-flash-preview', effort)).toEqual({ includeThoughts: true, thinkingLevel: level });
  });

  it('Gemini 3 Pro starts at LOW; 3.0 Pro has no MEDIUM', () => {
    expect(thinkingConfigFor('gemini-3-pro-preview', 'none')?.thinkingLevel).toBe('LOW');
    expect(thinkingConfigFor('gemini-3-pro-preview', 'medium')?.thinkingLevel).toBe('HIGH');
    expect(thinkingConfigFor('gemini-3.1-pro-preview', 'medium')?.thinkingLevel).toBe('MEDIUM');
  });

  it.each([
    ['none', { thinkingBudget: 0 }],
    ['minimal', { includeThoughts: true, thinkingBudget: 512 }],
    ['low', { includeThoughts: true, thinkingBudget: 2048 }],
    ['medium', { includeThoughts: true, thinkingBudget: 8192 }],
    ['high', { includeThoughts: true, thinkingBudget: 24576 }],
    ['xhigh', { includeThoughts: true, thinkingBudget: 24576 }],
  ])('Gemini 2.5 Flash: %s → budget', (effort, config) => {
    expect(thinkingConfigFor('gemini-2.5-flash', effort)).toEqual(config);
  });

  it('Gemini 2.5 Pro cannot switch thinking off and goes higher', () => {
    expect(thinkingConfigFor('gemini-2.5-pro', 'none')).toEqual({ includeThoughts: true, thinkingBudget: 128 });
    expect(thinkingConfigFor('gemini-2.5-pro', 'xhigh')).toEqual({ includeThoughts: true, thinkingBudget: 32768 });
  });

  it('an unknown effort leaves the model default', () => {
    expect(thinkingConfigFor('gemini-2.5-flash', 'turbo')).toEqual({ includeThoughts: true });
    expect(thinkingConfigFor('gemini-3-flash-preview', 'HIGH')).toEqual({ includeThoughts: true, thinkingLevel: 'HIGH' });
  });
});
