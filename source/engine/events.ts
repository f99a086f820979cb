/**
 * The one event stream. Every creature emits these; the session store, the
 * UI hooks, `runStream()`, the terrarium and the server all consume them.
 *
 * One flat discriminated union keyed by a dot-namespaced `type`, so a prefix
 * (`tool.`, `turn.`) selects a family. Payload fields sit beside the envelope
 * fields, not under a `payload` key, so narrowing on `type` gives typed fields
 * directly.
 *
 * The conversation is derived from this log: `turn.start` carries the user
 * message, `step.end` the assistant message of each LLM round, `tool.result`
 * the tool messages. Replaying those in order rebuilds the conversation.
 */
import type { SerializedError } from './errors.js';
import type { ContentPart, ToolCallRequest, Usage, UserContent } from './llm/messages.js';

export type { Usage } from './llm/messages.js';

/** Fields present on every event. */
export interface EventEnvelope {
  /** Monotonic per creature, starting at 1. */
  seq: number;
  /** Epoch milliseconds. */
  ts: number;
  sessionId: string;
  creatureId: string;
  /** The turn this event belongs to, or null outside a turn. */
  turnId: string | null;
  /** `[creature]` for a creature, `[creature, subagent, ...]` below it. */
  agentPath: readonly string[];
  /**
   * Which run of a sub-agent emitted this (its job id): two parallel runs of
   * one sub-agent share an agent path but never a run id. Absent for the
   * creature's own events.
   */
  runId?: string;
}

export type TurnStatus = 'completed' | 'interrupted' | 'cancelled' | 'timeout' | 'limit' | 'error';

/** Something about a turn the user should know though it completed (e.g. the model answered nothing). */
export interface TurnWarning {
  /** Stable, e.g. `empty_response`. */
  code: string;
  message: string;
}

export type ToolResultStatus = 'ok' | 'error' | 'interrupted' | 'cancelled' | 'timeout';

/** Where one LLM round's wall time went. `overheadMs` is everything that is neither model nor tools. */
export interface StepTimings {
  /** Request sent → first streamed part. Null when the round produced nothing. */
  ttftMs: number | null;
  modelMs: number;
  toolsMs: number;
  overheadMs: number;
  /** Milliseconds spent in plugin hooks during the round, by hook (absent when none ran). */
  hooks?: Record<string, number>;
}

/** Where a turn's input came from. */
export type InputSource = 'user' | 'api' | 'trigger' | 'channel' | 'wire' | 'system' | 'job';

/** What started a turn that no person typed: a trigger (its kind, name and id) or an input module. */
export interface TurnOrigin {
  kind: string;
  name?: string;
  triggerId?: string;
}

export type JobKind = 'tool' | 'subagent';

/** What an interaction asks for. */
export type InteractionKind = 'approval' | 'ask' | 'confirm' | 'select';

/** How a background job ended (or that it still runs). */
export type JobStatus = 'running' | 'done' | 'error' | 'cancelled' | 'interrupted' | 'timeout';

/** Payloads by event type. Add new events here; everything else derives from this map. */
export interface EventPayloads {
  'creature.start': { name: string; model: string; cwd: string; tools: string[] };
  'creature.stop': { reason: string };
  /** The effective system prompt; emitted at start and whenever it changes. */
  'system.prompt': { text: string };

  /**
   * A turn begins. `branch` numbers the versions of this turn (1 first; a
   * regenerate or an edit adds one); `parentBranch` is the branch of the
   * previous turn it follows, so the log holds a tree and replay follows
   * one path through it.
   */
  'turn.start': { turnIndex: number; branch: number; parentBranch?: number; input: UserContent; source: InputSource; origin?: TurnOrigin };
  'turn.end': {
    turnIndex: number;
    status: TurnStatus;
    text: string;
    usage: Usage;
    steps: number;
    toolCalls: number;
    durationMs: number;
    /** Which limit ended the turn, when `status` is `limit`. */
    limit?: string;
    error?: SerializedError;
    /** What the turn's `warning` events said about it, when any. */
    warnings?: TurnWarning[];
    /**
     * An assistant message appended to the conversation as the turn ended
     * (an interrupted turn says it was cut off), so the model's next request
     * knows; replay appends it the same way.
     */
    note?: string;
  };
  /** Input arrived while a turn was running and waits for its own turn. */
  'input.queued': { input: UserContent; position: number };
  /**
   * Input joined the running turn between two LLM rounds (finished
   * background jobs): a user message appended after the round's tool results.
   */
  'input.injected': { input: UserContent; source: InputSource };

  'step.start': { step: number };
  'step.end': {
    step: number;
    /** The assistant message of this round, as it enters the conversation. */
    text: string;
    toolCalls: ToolCallRequest[];
    /** In a text tool-call format: the user message that carried this round's results back. */
    resultsMessage?: string;
    reasoning?: string;
    providerFields?: Record<string, unknown>;
    finishReason: string;
    model: string;
    usage: Usage;
    timings: StepTimings;
  };
  'text.delta': { step: number; text: string };
  'reasoning.delta': { step: number; text: string };
  /** A failed LLM request is about to be retried; text streamed in this step so far is discarded. */
  'llm.retry': {
    step: number;
    attempt: number;
    maxRetries: number;
    delayMs: number;
    errorClass: string;
    status?: number;
    message: string;
    discardedChars: number;
  };

  'tool.call': { callId: string; name: string; args: unknown; step: number; background: boolean };
  'tool.progress': { callId: string; name: string; text?: string; data?: unknown };
  'tool.result': {
    callId: string;
    name: string;
    /** The text sent back to the model. */
    output: string;
    isError: boolean;
    status: ToolResultStatus;
    /** How long the call ran, not counting its pre hooks (an approval waiting for the user). */
    durationMs: number;
    /** Bytes cut from the output by the `max_output` limit. */
    truncatedBytes?: number;
    metadata?: Record<string, unknown>;
    /** The result as content parts, when it is more than text (an image a tool read); `output` then holds its text. */
    parts?: ContentPart[];
  };

  /** A call runs on as a background job (started so, or promoted while running). */
  'job.start': { jobId: string; kind: JobKind; name: string; summary: string; callId?: string; promoted: boolean };
  'job.end': { jobId: string; kind: JobKind; name: string; status: JobStatus; output: string; isError: boolean; durationMs: number };

  /** A sub-agent starts working on a task; its own events carry `agentPath` [creature, sub-agent]. */
  'subagent.start': { name: string; jobId: string; callId: string; task: string; background: boolean; depth: number };
  'subagent.end': { name: string; jobId: string; callId: string; status: TurnStatus; text: string; usage: Usage; steps: number; toolCalls: number; durationMs: number; limit?: string };
  /**
   * A trigger fired. Emitted with the turn id of the turn it starts (that
   * turn may wait behind a running one: `queued`). `content` is the text the
   * creature reads; `context` the trigger's facts (channel, sender, ...).
   */
  'trigger.fired': { triggerId: string; kind: string; name: string; content: string; queued: boolean; context?: Record<string, unknown> };
  /** A trigger began waiting (at start, or added by a setup tool or code). */
  'trigger.added': { triggerId: string; kind: string; name: string; origin: 'config' | 'tool' | 'code'; description: string; resumable: boolean; nextFireAt?: number };
  /** A trigger stopped waiting: `removed` (a tool or code), `finished` (its count ran out), or `failed: ...`. */
  'trigger.removed': { triggerId: string; kind: string; name: string; reason: string };
  /** Runs a trigger missed while the creature was not running (reported, never replayed). */
  'trigger.missed': { triggerId: string; kind: string; name: string; count: number; since: number };
  'channel.message': { channel: string; sender: string; content: string; messageId: string; replyTo?: string };
  /**
   * The request overflowed the context window: the last tool round (the
   * assistant message with its calls and their results, `removedMessages` in
   * all) was dropped from the conversation and `note` appended as a user message.
   */
  'context.trimmed': { step: number; removedMessages: number; droppedTools: string[]; note: string };
  /**
   * The creature now talks to another model (`agent.switchModel`); the
   * conversation carries over. Resume builds with the last one chosen.
   */
  'model.changed': { model: string; previous: string; maxContext?: number };
  /**
   * The user started afresh (`/clear`): every message but the system prompt
   * was dropped from the conversation (`removedMessages`). The log keeps the
   * earlier turns; replay applies the same cut.
   */
  'context.cleared': { removedMessages: number };
  'compaction.start': { round: number; messages: number };
  /**
   * A compaction finished. `done`: the first `messagesCompacted` messages
   * after the system message were replaced by one summary message (replay
   * applies the same splice). `failed`: the conversation is unchanged.
   */
  'compaction.end': {
    round: number;
    status: 'done' | 'failed';
    summary: string;
    messagesCompacted: number;
    error?: string;
    /** Estimated prompt tokens of the compacted conversation (the next model call reports the real figure). */
    contextTokens?: number;
  };

  /**
   * The creature needs an answer from whoever is there (a person at the
   * terminal, a web page, a test): an approval, a question, a confirmation,
   * a choice. Answered by `agent.respond(id, reply)`.
   */
  'interaction.request': { id: string; kind: InteractionKind; payload: Record<string, unknown> };
  /** How a request ended: the reply given, or `cancelled` (the turn ended first) or `expired` (the process that asked is gone). */
  'interaction.reply': { id: string; reply: unknown; outcome: 'answered' | 'cancelled' | 'expired' | 'failed'; error?: string };

  /** A plugin's figures for surfaces to show (cost so far, budget left, ...); `data` is the plugin's own shape. */
  'plugin.report': { plugin: string; data: Record<string, unknown> };

  /** Cumulative token counts after each LLM round. */
  usage: { turn: Usage; total: Usage; contextTokens: number; maxContext?: number };
  warning: { message: string; code?: string };
  error: { error: SerializedError; fatal: boolean };
  /** Delivered only to a stream consumer that fell behind: `dropped` events were skipped. */
  'stream.lagged': { dropped: number };
}

export type AgentEventType = keyof EventPayloads;

type Build<T extends AgentEventType> = EventEnvelope & { type: T } & EventPayloads[T];

/** The union of every event. Narrow it with `event.type`. */
export type AgentEvent = { [T in AgentEventType]: Build<T> }[AgentEventType];

/** The event of one type. */
export type EventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;

/** An event before the bus stamps its envelope. */
export type EventDraft = { [T in AgentEventType]: { type: T } & EventPayloads[T] }[AgentEventType];

/** Type prefixes usable in filters: `tool.`, `turn.` ... */
export type EventPrefix = AgentEventType extends infer T
  ? T extends `${infer P}.${string}`
    ? `${P}.`
    : never
  : never;

/** True when `event` has type `type`, or starts with it when it ends in a dot. */
export function matchesType(event: { type: string }, filter: string): boolean {
  return filter.endsWith('.') ? event.type.startsWith(filter) : event.type === filter;
}

/** The envelope `turnId` of a turn: `turn_3`, or `turn_3.2` for its second branch. */
export function turnIdFor(turnIndex: number, branch = 1): string {
  return branch === 1 ? `turn_${turnIndex}` : `turn_${turnIndex}.${branch}`;
}

/** The turn index and branch a `turnId` names (inverse of `turnIdFor`). */
export function parseTurnId(turnId: string | null): { turn: number | null; branch: number | null } {
  const match = turnId ? /^turn_(\d+)(?:\.(\d+))?$/.exec(turnId) : null;
  return match ? { turn: Number(match[1]), branch: match[2] ? Number(match[2]) : 1 } : { turn: null, branch: null };
}

/** Type guard: narrow an event by exact type. */
export function isEvent<T extends AgentEventType>(event: AgentEvent, type: T): event is EventOf<T> {
  return event.type === type;
}
