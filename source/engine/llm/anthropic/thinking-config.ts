/**
 * `reasoningEffort` → the Messages API's thinking settings, and the
 * `max_tokens` default (the API requires the field).
 *
 * Two styles exist, and which one a model accepts depends on its family:
 *
 * - adaptive: `thinking: {type: 'adaptive'}` + `output_config: {effort}`; the
 *   model decides how much to think. Claude 4.6 and newer (the SDK warns that
 *   `enabled` is deprecated there, and later models drop it).
 * - budget: `thinking: {type: 'enabled', budget_tokens}`. Older Claude models,
 *   and every non-Claude model behind an Anthropic-compatible endpoint (Kimi,
 *   GLM, ...), which implement this older form.
 *
 * `none` (and no effort at all) sends no thinking field: the model's default
 * applies. An explicit `{type: 'disabled'}` is refused by models that always
 * think, so leaving it out is the choice that never fails. Presets that need
 * something else put their own `thinking` into `extraBody`.
 */

/** Used when neither the request nor the preset caps the output. */
export const FALLBACK_MAX_OUTPUT = 32_000;
/** The default never exceeds this, even when a preset's maximum is larger: long replies are rarely wanted. */
export const DEFAULT_MAX_TOKENS_CAP = 64_000;
/** The API's smallest thinking budget. */
export const MIN_BUDGET = 1024;
/** Room left for the answer itself when a budget has to shrink to fit `max_tokens`. */
export const MIN_ANSWER_TOKENS = 1024;

/** Budgets per effort for the budget style; `max_tokens` must exceed them (checked at use). */
export const BUDGETS: Readonly<Record<string, number>> = Object.freeze({
  minimal: 1024,
  low: 4096,
  medium: 8192,
  high: 16_384,
  xhigh: 32_768,
  max: 49_152,
});

/** Our effort names → the API's `output_config.effort` levels (it has no `minimal`). */
const ADAPTIVE_EFFORT: Readonly<Record<string, string>> = Object.freeze({
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'max',
});

export interface ThinkingSettings {
  thinking?: { type: 'adaptive' } | { type: 'enabled'; budget_tokens: number };
  /** For `output_config.effort`. */
  effort?: string;
}

/** `max_tokens` when the request sets none. */
export function defaultMaxTokens(maxOutput: number | undefined): number {
  return Math.min(maxOutput ?? FALLBACK_MAX_OUTPUT, DEFAULT_MAX_TOKENS_CAP);
}

/**
 * The thinking settings for `effort` on `model`, given the `max_tokens` that
 * will be sent. Unknown effort names send nothing rather than guessing.
 */
export function thinkingSettings(model: string, effort: string | undefined, maxTokens: number): ThinkingSettings {
  if (effort === undefined || effort === 'none') return {};
  if (thinkingStyle(model) === 'adaptive') {
    let level = ADAPTIVE_EFFORT[effort];
    if (level === undefined) return {};
    // `xhigh` arrived with Claude 4.7; on 4.6 the nearest level that exists everywhere is `high`.
    if (level === 'xhigh' && !supportsXHigh(model)) level = 'high';
    return { thinking: { type: 'adaptive' }, effort: level };
  }
  const wanted = BUDGETS[effort];
  if (wanted === undefined) return {};
  // The budget counts toward max_tokens and must stay below it; leave room for the answer.
  const budget = Math.min(wanted, maxTokens - MIN_ANSWER_TOKENS);
  if (budget < MIN_BUDGET) return {};
  return { thinking: { type: 'enabled', budget_tokens: budget } };
}

export type ThinkingStyle = 'adaptive' | 'budget';

export function thinkingStyle(model: string): ThinkingStyle {
  const version = claudeVersion(model);
  // A Claude id without a version number ("claude-mythos-preview") is a new line, not an old one.
  if (!version) return /claude-[a-z]+-preview/i.test(model) ? 'adaptive' : 'budget';
  return atLeast(version, 4, 6) ? 'adaptive' : 'budget';
}

function supportsXHigh(model: string): boolean {
  const version = claudeVersion(model);
  return version === undefined || atLeast(version, 4, 7);
}

export interface ClaudeVersion {
  major: number;
  minor: number;
}

/**
 * The version in a Claude model id, found anywhere in it so that cloud ids
 * (`us.anthropic.claude-opus-4-6-v1:0`) work. New ids put the family first
 * (`claude-sonnet-4-5-20250929`), old ones last (`claude-3-7-sonnet-latest`).
 * A minor version has at most two digits, so a date is never read as one.
 */
export function claudeVersion(model: string): ClaudeVersion | undefined {
  const id = model.toLowerCase();
  const match = /claude-[a-z]+-(\d+)(?:[-.](\d{1,2}))?(?!\d)/.exec(id) ?? /claude-(\d+)(?:[-.](\d{1,2}))?(?!\d)/.exec(id);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: match[2] === undefined ? 0 : Number(match[2]) };
}

function atLeast(version: ClaudeVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
