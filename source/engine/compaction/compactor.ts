/**
 * Non-blocking compaction for one creature.
 *
 * After every LLM round and at turn end the creature reports the prompt size
 * of its last call; past the threshold (and outside the cooldown, and when no
 * compaction is already running) the compactor takes the older part of the
 * conversation, has a model summarise it in the background and, when the
 * summary comes back, splices it in. The creature keeps working meanwhile:
 * messages appended during the summary are kept, because the splice replaces
 * only the summarised messages, checked by identity at splice time.
 *
 * Never destructive: a failed or empty summary, a veto, or a conversation
 * rewound meanwhile leaves the conversation as it was.
 */
import type { EventDraft } from '../events.js';
import type { Message } from '../llm/messages.js';
import { findBoundary } from './boundary.js';
import { SUMMARY_MARKER, SUMMARY_SYSTEM_PROMPT, summaryRequest } from './prompt.js';
import type { CompactionSettings } from './settings.js';
import { summaryTokenCap } from './settings.js';
import { applySplice, zoneIntact, type SpliceEdit } from './splice.js';
import { formatZone } from './zone.js';

export interface SummaryRequest {
  system: string;
  prompt: string;
  maxTokens: number;
}

export interface CompactorDeps {
  settings: CompactionSettings;
  /** The conversation as it stands (system message first). */
  messages(): readonly Message[];
  /** Ask the summary model; resolves with its text. */
  summarize(request: SummaryRequest, signal: AbortSignal): Promise<string>;
  /** Put the spliced conversation in place and log the edit. Called synchronously with the check. */
  apply(edit: SpliceEdit, messages: Message[]): void;
  /** Plugins' `onCompactStart`: the name of a plugin that vetoes. */
  veto?(contextTokens: number): Promise<string | undefined>;
  /** Plugins' `onCompactEnd`. */
  ended?(summary: string, messagesRemoved: number): Promise<void> | void;
  emit(draft: EventDraft): void;
  now(): number;
}

/** Why no compaction started. */
export type SkipReason = 'disabled' | 'below_threshold' | 'cooldown' | 'busy' | 'too_short' | 'vetoed' | 'stopped';

export type CompactOutcome = { status: 'done'; edit: SpliceEdit } | { status: 'failed'; error: string };

export type CompactDecision =
  | { started: true; round: number; messages: number; done: Promise<CompactOutcome> }
  | { started: false; reason: SkipReason; detail?: string };

export class Compactor {
  private round = 0;
  private lastAt = Number.NEGATIVE_INFINITY;
  private running: Promise<CompactOutcome> | undefined;
  private contextTokens = 0;
  private readonly abort = new AbortController();

  constructor(private readonly deps: CompactorDeps) {}

  /** Compaction rounds done so far (restored from the log on resume). */
  get rounds(): number {
    return this.round;
  }

  set rounds(value: number) {
    this.round = value;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** The summary in flight, if any (tests and shutdown wait on it). */
  get inFlight(): Promise<CompactOutcome> | undefined {
    return this.running;
  }

  /**
   * The automatic check: start when the last call's prompt passed the
   * threshold. A plugin asking (`compact.auto`) may bring its own threshold
   * and a floor on the conversation's length.
   */
  check(promptTokens: number, override: { threshold?: number; minMessages?: number } = {}): Promise<CompactDecision> {
    const { settings } = this.deps;
    if (!settings.enabled) return skip('disabled');
    if (promptTokens < settings.maxTokens * (override.threshold ?? settings.threshold)) return skip('below_threshold');
    if (override.minMessages && this.deps.messages().length < override.minMessages) return skip('too_short');
    return this.start(promptTokens, false);
  }

  /** `/compact`: start now, whatever the threshold, cooldown or `enabled` say. */
  compactNow(promptTokens: number): Promise<CompactDecision> {
    return this.start(promptTokens, true);
  }

  /** Abandon a summary in flight (the creature stops); the conversation stays as it is. */
  stop(): void {
    this.abort.abort();
  }

  private async start(contextTokens: number, manual: boolean): Promise<CompactDecision> {
    if (this.abort.signal.aborted) return { started: false, reason: 'stopped' };
    if (this.running) return { started: false, reason: 'busy' };
    if (!manual && this.deps.now() - this.lastAt < this.deps.settings.cooldownMs) return { started: false, reason: 'cooldown' };
    const messages = this.deps.messages();
    const boundary = findBoundary(messages, this.deps.settings.keepRecentTurns);
    if (!boundary.ok) return { started: false, reason: boundary.reason };
    // Only the last summary would be summarised: that condenses nothing.
    if (boundary.index === 2 && isSummaryMessage(messages[1])) return { started: false, reason: 'too_short' };
    // Take the lease before the first await, so a second check meanwhile sees it.
    let release!: (outcome: CompactOutcome) => void;
    this.running = new Promise((resolve) => (release = resolve));
    const vetoedBy = await this.deps.veto?.(contextTokens);
    if (vetoedBy) {
      this.lastAt = this.deps.now();
      this.running = undefined;
      release({ status: 'failed', error: `vetoed by plugin '${vetoedBy}'` });
      return { started: false, reason: 'vetoed', detail: `plugin '${vetoedBy}'` };
    }
    const zone = messages.slice(1, boundary.index);
    const round = this.round + 1;
    this.contextTokens = contextTokens;
    this.deps.emit({ type: 'compaction.start', round, messages: zone.length });
    const done = this.summarise(round, zone).then((outcome) => {
      this.running = undefined;
      this.lastAt = this.deps.now();
      release(outcome);
      return outcome;
    });
    return { started: true, round, messages: zone.length, done };
  }

  private async summarise(round: number, zone: Message[]): Promise<CompactOutcome> {
    let summary: string;
    try {
      const request = { system: SUMMARY_SYSTEM_PROMPT, prompt: summaryRequest(formatZone(zone)), maxTokens: summaryTokenCap(this.deps.settings.maxTokens) };
      summary = (await this.deps.summarize(request, this.abort.signal)).trim();
      if (!summary) throw new Error('the summary came back empty');
    } catch (error) {
      return this.failed(round, this.abort.signal.aborted ? 'the creature stopped' : (error as Error).message);
    }
    const current = this.deps.messages();
    if (!zoneIntact(current, zone)) return this.failed(round, 'the conversation was rewound while the summary was written');
    const edit: SpliceEdit = { round, summary, messagesCompacted: zone.length };
    this.round = round;
    const spliced = applySplice(current, edit);
    // Scale the last measured prompt by how much text is left: a fair estimate until the next call measures it.
    const before = textSize(current);
    const contextTokens = before > 0 ? Math.round((this.contextTokens * textSize(spliced)) / before) : undefined;
    this.deps.apply(edit, spliced);
    this.deps.emit({ type: 'compaction.end', round, status: 'done', summary, messagesCompacted: zone.length, ...(contextTokens !== undefined ? { contextTokens } : {}) });
    try {
      await this.deps.ended?.(summary, zone.length);
    } catch {
      // Plugins report their own failures through the chain; the splice stands.
    }
    return { status: 'done', edit };
  }

  private failed(round: number, error: string): CompactOutcome {
    this.deps.emit({ type: 'compaction.end', round, status: 'failed', summary: '', messagesCompacted: 0, error });
    return { status: 'failed', error };
  }
}

function skip(reason: SkipReason): Promise<CompactDecision> {
  return Promise.resolve({ started: false, reason });
}

function textSize(messages: readonly Message[]): number {
  let size = 0;
  for (const m of messages) size += typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length;
  return size;
}

function isSummaryMessage(message: Message | undefined): boolean {
  return message?.role === 'user' && typeof message.content === 'string' && message.content.startsWith(SUMMARY_MARKER);
}
