/**
 * `reasoningEffort` → Gemini's `thinkingConfig`. Gemini has two incompatible
 * knobs: Gemini 3 and later take a `thinkingLevel`, Gemini 2.5 a token
 * `thinkingBudget`, and a request carrying both is rejected. Which one a
 * model takes (and whether it thinks at all) is read from its name; a preset
 * can always override through `extraBody.thinkingConfig`.
 */
import type { ThinkingConfig, ThinkingLevel } from '@google/genai';

/**
 * The SDK's `ThinkingLevel` values, written out: a value import of the enum
 * would load the whole SDK with this module, before any request is made.
 */
const LEVEL = {
  MINIMAL: 'MINIMAL' as ThinkingLevel,
  LOW: 'LOW' as ThinkingLevel,
  MEDIUM: 'MEDIUM' as ThinkingLevel,
  HIGH: 'HIGH' as ThinkingLevel,
};

/** How a model's thinking is controlled. */
export type ThinkingStyle = 'level' | 'budget' | 'none';

/**
 * Gemini 1.x/2.0, Gemma and other non-thinking models get no thinking config;
 * Gemini 3+ get a level; Gemini 2.5 and names we cannot place (aliases such
 * as `gemini-flash-latest`, models behind proxies) get a budget, which every
 * thinking model accepts, Gemini 3 included.
 */
export function thinkingStyle(model: string): ThinkingStyle {
  const name = model.toLowerCase().replace(/^models\//, '');
  if (/(^|\/)(gemma|learnlm|embedding|text-embedding|aqa)/.test(name)) return 'none';
  const version = /gemini-(\d+)(?:\.(\d+))?/.exec(name);
  if (!version) return 'budget';
  const major = Number(version[1]);
  const minor = Number(version[2] ?? 0);
  if (major >= 3) return 'level';
  if (major === 2 && minor >= 5) return 'budget';
  return 'none';
}

/** True for the Pro models, which cannot switch thinking off and skip the lowest settings. */
function isPro(model: string): boolean {
  return /-pro\b/.test(model.toLowerCase());
}

/**
 * The `thinkingConfig` for a request, or undefined when none should be sent.
 * Thoughts are always asked for (`includeThoughts`) when the model thinks, so
 * thought summaries stream as reasoning; effort `none` turns thinking off
 * where the model allows it and asks for the least otherwise.
 */
export function thinkingConfigFor(model: string, effort: string | undefined): ThinkingConfig | undefined {
  const style = thinkingStyle(model);
  if (style === 'none') return undefined;
  const level = effort?.toLowerCase();
  if (style === 'level') {
    const thinkingLevel = levelFor(model, level);
    return thinkingLevel ? { includeThoughts: true, thinkingLevel } : { includeThoughts: true };
  }
  const thinkingBudget = budgetFor(model, level);
  if (thinkingBudget === undefined) return { includeThoughts: true };
  // With a zero budget there are no thoughts to include.
  return thinkingBudget === 0 ? { thinkingBudget } : { includeThoughts: true, thinkingBudget };
}

/**
 * Gemini 3 Flash takes MINIMAL…HIGH; the Pro models start at LOW, and
 * Gemini 3.0 Pro has no MEDIUM (HIGH is the nearer setting that it accepts
 * and errs on the side of quality). `xhigh` has no Gemini equivalent above HIGH.
 */
function levelFor(model: string, effort: string | undefined): ThinkingLevel | undefined {
  const pro = isPro(model);
  switch (effort) {
    case 'none':
    case 'minimal':
      return pro ? LEVEL.LOW : LEVEL.MINIMAL;
    case 'low':
      return LEVEL.LOW;
    case 'medium':
      return pro && /gemini-3-pro/.test(model.toLowerCase()) ? LEVEL.HIGH : LEVEL.MEDIUM;
    case 'high':
    case 'xhigh':
      return LEVEL.HIGH;
    default:
      // No effort (or one we do not know): the model's own default.
      return undefined;
  }
}

/**
 * Token budgets within every 2.5 model's range (Pro 128–32768, Flash
 * 0–24576, Flash-Lite 512–24576, 0 = off for Flash and Flash-Lite).
 */
function budgetFor(model: string, effort: string | undefined): number | undefined {
  const pro = isPro(model);
  switch (effort) {
    case 'none':
      return pro ? 128 : 0;
    case 'minimal':
      return 512;
    case 'low':
      return 2048;
    case 'medium':
      return 8192;
    case 'high':
      return 24_576;
    case 'xhigh':
      return pro ? 32_768 : 24_576;
    default:
      return undefined;
  }
}

/** Whether the model validates thought signatures on function calls (Gemini 3 and later). */
export function requiresCallSignatures(model: string): boolean {
  return thinkingStyle(model) === 'level';
}
