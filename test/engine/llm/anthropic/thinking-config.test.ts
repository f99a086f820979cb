import { describe, expect, it } from 'vitest';
import {
  claudeVersion,
  defaultMaxTokens,
  thinkingSettings,
  thinkingStyle,
} from '../../../../source/engine/llm/anthropic/thinking-config.js';

describe('claude model versions', () => {
  it.each([
    ['claude-opus-4-7', { major: 4, minor: 7 }],
    ['claude-haiku-4-5-20251001', { major: 4, minor: 5 }],
    ['claude-opus-4-20250514', { major: 4, minor: 0 }],
    ['claude-sonnet-5', { major: 5, minor: 0 }],
    ['claude-sonnet-5-5', { major: 5, minor: 5 }],
    ['claude-3-7-sonnet-latest', { major: 3, minor: 7 }],
    ['us.anthropic.claude-opus-4-6-v1:0', { major: 4, minor: 6 }],
    ['claude-mythos-preview', undefined],
    ['kimi-for-coding', undefined],
    ['glm-4.6', undefined],
  ])('%s → %o', (model, version) => {
    expect(claudeVersion(model)).toEqual(version);
  });

  it('picks adaptive thinking for Claude 4.6 and newer, budgets for the rest', () => {
    expect(['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-opus-4-7', 'claude-fable-5', 'claude-mythos-preview'].map(thinkingStyle)).toEqual(
      Array(5).fill('adaptive'),
    );
    expect(['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-3-7-sonnet-latest', 'kimi-for-coding', 'glm-4.6'].map(thinkingStyle)).toEqual(
      Array(5).fill('budget'),
    );
  });
});

describe('thinking settings', () => {
  it('sends nothing for no effort, none, or an unknown effort', () => {
    for (const effort of [undefined, 'none', 'extreme']) {
      expect(thinkingSettings('claude-opus-4-7', effort, 32_000)).toEqual({});
      expect(thinkingSettings('claude-haiku-4-5', effort, 32_000)).toEqual({});
    }
  });

  it('maps effort levels to adaptive efforts', () => {
    const effort = (level: string, model = 'claude-opus-4-7') => thinkingSettings(model, level, 32_000).effort;
    expect(['minimal', 'low', 'medium', 'high', 'xhigh', 'max'].map((l) => effort(l))).toEqual(['low', 'low', 'medium', 'high', 'xhigh', 'max']);
    expect(effort('xhigh', 'claude-sonnet-4-6')).toBe('high');
    expect(thinkingSettings('claude-opus-4-7', 'high', 32_000).thinking).toEqual({ type: 'adaptive' });
  });

  it('maps effort levels to growing budgets below max_tokens', () => {
    const budget = (level: string, max = 64_000) => {
      const thinking = thinkingSettings('glm-4.6', level, max).thinking;
      return thinking?.type === 'enabled' ? thinking.budget_tokens : undefined;
    };
    const budgets = ['minimal', 'low', 'medium', 'high', 'xhigh'].map((l) => budget(l));
    expect(budgets).toEqual([...budgets].sort((a, b) => a! - b!));
    expect(budgets[0]).toBe(1024);
    expect(budget('xhigh', 32_000)).toBe(32_000 - 1024);
    expect(budget('high', 2048)).toBe(1024);
    expect(budget('high', 2047)).toBeUndefined();
  });

  it('defaults max_tokens to the preset output limit, capped, or 32k', () => {
    expect(defaultMaxTokens(undefined)).toBe(32_000);
    expect(defaultMaxTokens(8192)).toBe(8192);
    expect(defaultMaxTokens(128_000)).toBe(64_000);
  });
});
