/**
 * The shapes a session stores and gives back: what a creature needs to be
 * put back where a session left it. They live here, beside the store, so
 * that session/ depends on nothing above it (only on `events` and the
 * message types); a creature imports these types, never the other way.
 */
import type { AgentEvent, InteractionKind, JobKind } from '../events.js';
import type { SessionStore } from './store.js';
import type { Message, Usage, UserContent } from '../llm/messages.js';

/** One turn on the live path: its branch, where it starts in the conversation (-1 once compacted), its input. */
export interface LiveTurn {
  branch: number;
  /** Conversation length before the turn's user message; -1 when the turn was summarised by a compaction. */
  start: number;
  input: UserContent;
}

/** A background job that was still running when its process ended. */
export interface InterruptedJob {
  jobId: string;
  kind: JobKind;
  name: string;
  summary: string;
  startedAt: number;
  endedAt?: number;
  output?: string;
  isError?: boolean;
}

/** A question the creature asked that was still open when its process ended. */
export interface OpenInteraction {
  id: string;
  kind: InteractionKind;
  payload: Record<string, unknown>;
}

/** A creature's state, replayed from its session. */
export interface RestoredState {
  messages: Message[];
  turns: LiveTurn[];
  branchCounts: ReadonlyMap<number, number>;
  usage: Usage;
  lastSeq: number;
  /** The scratchpad as the session left it. */
  scratchpad?: Record<string, string>;
  /** Background jobs that were still running when the session's process ended. */
  interruptedJobs?: InterruptedJob[];
  /** Questions left unanswered when the process ended. */
  openInteractions?: OpenInteraction[];
  /** Compactions done so far (the next one's round number follows). */
  compactions?: number;
  /** The last model chosen with `switchModel` (`model.changed`), when one was. */
  model?: string;
  /** Prompt tokens of the creature's last model call that reported them (what the context meter shows). */
  contextTokens?: number;
}

/**
 * A session file someone else owns (a terrarium, a server), handed to
 * several creatures: each records into it and restores its own state from
 * it by name, and none closes it or takes its lock. `open` creates the file
 * on first use, holding the first events of the creature that asked, so a
 * shared file also appears with a creature's opening events or not at all.
 */
export interface SessionHandle {
  /** The id the file has, or will have once created. */
  readonly sessionId: string;
  /** The open store, once the file exists. */
  readonly store: SessionStore | undefined;
  /** The store, creating the file (with `firstEvents` in its creating transaction) when it does not exist yet. */
  open(firstEvents: readonly AgentEvent[], creature: string): SessionStore;
}
