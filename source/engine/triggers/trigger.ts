/**
 * The trigger contract. A trigger waits for its condition (a time, a
 * schedule, a channel message, an HTTP request, a file change) and fires:
 * the creature turns each fire into a turn of its own (source `trigger`), or
 * queues it behind the turn that is running.
 *
 * A trigger either calls `ctx.fire()` whenever its condition holds, or is an
 * async generator that yields fires; both end when `ctx.signal` aborts (the
 * creature stops or the trigger is removed).
 */
import type { ZodType } from 'zod';
import type { ChannelHub } from '../channels/hub.js';
import type { UserContent } from '../llm/messages.js';
import type { Clock } from '../util/clock.js';

/** One firing: what the creature reads as the turn's input. */
export interface TriggerFire {
  content: UserContent;
  /** Facts about the fire (channel, sender, request path, ...), carried on `trigger.fired`. */
  context?: Record<string, unknown>;
  /**
   * False: while an earlier fire of this trigger still waits or runs, this
   * one is dropped instead of queued (a flood of file changes is one turn).
   * Default true.
   */
  stackable?: boolean;
}

/** How the creature handled a fire. */
export interface FireOutcome {
  /** False when the fire was dropped (not stackable, or the creature is stopping). */
  accepted: boolean;
  /** The turn it runs as (when accepted). */
  turnId?: string;
  /** Resolves with the turn's answer when it ends (webhooks reply with it). */
  done?: Promise<{ status: string; text: string }>;
}

/** What a running trigger is given. */
export interface TriggerContext {
  /** This trigger's id in the creature (stable across resumes for config and restored triggers). */
  readonly id: string;
  /** The creature's name (its direct channel is named after it). */
  readonly creature: string;
  readonly clock: Clock;
  /** Aborts when the trigger stops (creature stopped, trigger removed). */
  readonly signal: AbortSignal;
  /** The creature's working directory. */
  readonly cwd: string;
  /** The channels the creature can listen on (its own hub, or its terrarium's). */
  readonly channels: ChannelHub;
  /** State the previous process saved for this trigger (resumable triggers on resume). */
  readonly saved: Readonly<Record<string, unknown>> | undefined;
  /** Deliver a fire. */
  fire(fire: TriggerFire): FireOutcome;
  /** Keep state for the next process (the next due time, a cursor); written to the session at once. */
  save(state: Record<string, unknown>): void;
  /** Runs it missed while the creature was not running: reported to the user and the log, never replayed. */
  missed(count: number, since: number): void;
  /** Something the user should know that is not a fire (a bad request refused, a watcher error). */
  warn(message: string): void;
  /** Wait `ms` on the creature's clock; false when the signal ended the wait. */
  sleep(ms: number): Promise<boolean>;
  /** Hear about conversation changes (a turn ended); returns the function that stops listening. */
  onConversationChange(listener: (change: ConversationChange) => void): () => void;
}

export interface ConversationChange {
  turnId: string;
  /** Where the turn's input came from, and for trigger turns which trigger. */
  source: string;
  triggerId?: string;
}

export interface Trigger {
  /** `timer`, `scheduler`, `webhook`, ... or a custom module's own name. */
  readonly kind: string;
  /** One line for lists and the UI ("every 10m", "0 9 * * 1-5 Europe/Paris", "POST 127.0.0.1:8787/hook"). */
  describe?(): string;
  /** Epoch ms of the next fire when the trigger knows it (timers, schedules). */
  nextFireAt?(): number | undefined;
  /**
   * Begin. Resolve once the trigger is ready (a server listening), or return
   * an async iterable of fires that the creature drains until the signal aborts.
   * Throwing here is a clear build- or add-time error (a port in use).
   */
  start(ctx: TriggerContext): void | Promise<void> | AsyncIterable<TriggerFire>;
  /** Release what `start` took (servers, watchers); called once, after the signal aborted. */
  stop?(): void | Promise<void>;
}

/** Where a trigger came from: the config, a setup tool the model called, or code. */
export type TriggerOrigin = 'config' | 'tool' | 'code';

/** A trigger as lists show it. */
export interface TriggerInfo {
  id: string;
  kind: string;
  /** The config entry's `name`, a setup tool's label, or the id. */
  name: string;
  origin: TriggerOrigin;
  description: string;
  nextFireAt?: number;
  fired: number;
  /** Kept in the session and restored on resume. */
  resumable: boolean;
}

/**
 * A built-in or package trigger kind: how its options look and how to make
 * one. Registered in the trigger catalog by name.
 */
export interface TriggerDefinition<O = unknown> {
  kind: string;
  /** One line for docs and `kt` listings. */
  description: string;
  /** Validates the options of a config entry or a setup tool call (unknown keys are errors). */
  options: ZodType<O>;
  create(options: O, env: TriggerEnv): Trigger;
  /** Triggers of this kind made by setup tools or code survive resume (their options and saved state are kept). */
  resumable?: boolean;
}

export interface TriggerEnv {
  /** The config folder (paths in options are relative to it). */
  folder: string;
  cwd: string;
}
