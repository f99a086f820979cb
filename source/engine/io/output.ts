/**
 * The output module contract (the original's `OutputModule`, in TS form).
 * An output module is where a creature's answers go besides the surface
 * that runs it: a file, an HTTP endpoint, a speech command, a chat service.
 * Every callback is optional; the router calls them in event order, one at
 * a time per module, and a module that throws is reported as a `warning`
 * and never loses the answer (the session and the surface still have it).
 */
import type { AgentEvent, InputSource, TurnStatus } from '../events.js';
import type { Clock } from '../util/clock.js';

export interface OutputTurnInfo {
  turnId: string;
  turnIndex: number;
  source: InputSource;
  /** For trigger turns: the trigger's kind and name. */
  origin?: { kind: string; name?: string };
}

export interface OutputEndInfo extends OutputTurnInfo {
  status: TurnStatus;
}

export interface OutputContext {
  readonly creature: string;
  readonly cwd: string;
  /** The config folder (paths in options are relative to it). */
  readonly folder: string;
  readonly clock: Clock;
  /** Aborts when the creature stops. */
  readonly signal: AbortSignal;
}

export interface OutputModule {
  /** `file`, `webhook`, `tts`, ... or a custom module's own name. */
  readonly kind: string;
  describe?(): string;
  start?(ctx: OutputContext): void | Promise<void>;
  stop?(): void | Promise<void>;
  /** A turn's answer, whole, once the turn ended (for a named output: the text of its blocks). */
  write?(text: string, info: OutputEndInfo): void | Promise<void>;
  /** Answer text as it streams (the creature's own rounds only). */
  writeStream?(delta: string, info: OutputTurnInfo): void | Promise<void>;
  /** The turn's streaming is over; write what is buffered. */
  flush?(): void | Promise<void>;
  onProcessingStart?(info: OutputTurnInfo): void | Promise<void>;
  onProcessingEnd?(info: OutputEndInfo): void | Promise<void>;
  /** Tool calls and results, sub-agents, triggers, compaction: `type` is the event type (`tool.call`). */
  onActivity?(type: string, detail: AgentEvent): void | Promise<void>;
  /** Every event (what an event log writes). */
  onEvent?(event: AgentEvent): void | Promise<void>;
  /** The creature resumed a session: the turns so far, for modules that show history. */
  onResume?(events: readonly AgentEvent[]): void | Promise<void>;
}

/** `agent.setOutputHandler(fn)`: the simplest output, called with each turn's answer. */
export type OutputHandler = (text: string, info: OutputEndInfo) => void | Promise<void>;
