/**
 * The `compact:` block of a creature config, resolved to numbers. Every key
 * the reference lists is honoured here (the original dropped `enabled` and
 * `compact_model` on the way; these settings carry both).
 */

export interface CompactionConfig {
  enabled?: boolean;
  /** Context window the threshold applies to; default the model's max context, else 256 000. */
  max_tokens?: number;
  /** Fraction of `max_tokens` at which compaction starts (default 0.8). */
  threshold?: number;
  /** Accepted for compatibility; the algorithm keeps turns, not a token target. */
  target?: number;
  /** User turns kept verbatim after the summary (default 8). */
  keep_recent_turns?: number;
  /** Quiet period after a compaction or a veto (default 30 s). */
  cooldown_seconds?: number;
  /** The model that writes summaries (`provider/preset`); default the creature's own. */
  compact_model?: string;
}

export interface CompactionSettings {
  enabled: boolean;
  maxTokens: number;
  threshold: number;
  keepRecentTurns: number;
  cooldownMs: number;
  compactModel?: string;
}

export const DEFAULT_CONTEXT_TOKENS = 256_000;

export function compactionSettings(config: CompactionConfig | undefined, maxContext: number | undefined): CompactionSettings {
  const c = config ?? {};
  return {
    enabled: c.enabled ?? true,
    maxTokens: c.max_tokens ?? maxContext ?? DEFAULT_CONTEXT_TOKENS,
    threshold: c.threshold ?? 0.8,
    keepRecentTurns: c.keep_recent_turns ?? 8,
    cooldownMs: (c.cooldown_seconds ?? 30) * 1000,
    ...(c.compact_model ? { compactModel: c.compact_model } : {}),
  };
}

/** How many tokens a summary may take: a 64th of the window, between 512 and 4096. */
export function summaryTokenCap(maxTokens: number): number {
  return Math.min(4096, Math.max(512, Math.floor(maxTokens / 64)));
}
