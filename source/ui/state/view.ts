/**
 * The view model every interactive mode renders: what is finished
 * (`committed`, append-only, so the cli mode can hand it to Ink's
 * `<Static>` and never repaint it) and what is still moving (the streaming
 * answer's tail, running tools and sub-agents, background jobs, usage).
 */
import type { ApprovalMode, JobKind, TurnStatus, Usage } from '../../index.js';

export type Tone = 'info' | 'warning' | 'error' | 'success';

export type Item =
  | { kind: 'user'; id: number; text: string }
  /** A finished piece of the answer: the stream is committed in safe markdown chunks. */
  | { kind: 'assistant'; id: number; text: string; continues: boolean }
  | {
      kind: 'tool';
      id: number;
      callId: string;
      name: string;
      summary: string;
      ok: boolean;
      status: string;
      output: string;
      durationMs: number;
      metadata?: Record<string, unknown> | undefined;
      /** Empty for the creature's own calls; the sub-agent's path below it otherwise. */
      under: readonly string[];
    }
  | { kind: 'subagent'; id: number; name: string; task: string; status: TurnStatus; text: string; durationMs: number; steps: number; toolCalls: number }
  | { kind: 'info'; id: number; text: string; tone: Tone }
  /** A turn nobody typed: `label` names what started it (`⏰ timer 'standup'`), `text` is what it handed the creature. */
  | { kind: 'trigger'; id: number; label: string; text: string };

/** A trigger as the footer counts it. */
export interface TriggerView {
  id: string;
  kind: string;
  name: string;
  origin: 'config' | 'tool' | 'code';
  nextFireAt?: number;
}

export interface RunningTool {
  callId: string;
  name: string;
  summary: string;
  startedAt: number;
  /** Last lines of progress output, bounded. */
  preview: string[];
  /** Set while the call waits for the user's approval: the timer stops, the row says so. */
  waitingSince?: number | undefined;
}

/** How long a tool has been running at `now`, not counting an approval it waits for. */
export function toolElapsed(tool: RunningTool, now: number): number {
  return Math.max(0, (tool.waitingSince ?? now) - tool.startedAt);
}

export interface RunningSubagent {
  jobId: string;
  name: string;
  task: string;
  startedAt: number;
  background: boolean;
  toolCalls: number;
  /** What it is doing now: its running tool, or its streaming text's last line. */
  activity: string;
}

export interface JobView {
  jobId: string;
  kind: JobKind;
  name: string;
  summary: string;
  startedAt: number;
}

/** `approval`: the creature waits for the user to answer an approval (not tool time). */
export type Phase = 'idle' | 'waiting' | 'thinking' | 'streaming' | 'tools' | 'approval';

export interface UsageView extends Usage {
  contextTokens: number;
  maxContext: number | undefined;
}

export interface ViewState {
  committed: readonly Item[];
  /**
   * A resumed transcript's last screenful, drawn in the live region (cli mode) for the moment
   * the whole repaint takes to render into the scrollback; empty otherwise.
   */
  preview: readonly Item[];
  /** The answer's tail that is not safely renderable on its own yet. */
  streaming: string;
  /** Whether `streaming` follows an already committed chunk of the same answer. */
  streamingContinues: boolean;
  reasoning: string;
  running: readonly RunningTool[];
  subagents: readonly RunningSubagent[];
  jobs: readonly JobView[];
  usage: UsageView;
  phase: Phase;
  turnActive: boolean;
  queued: number;
  model: string;
  creature: string;
  nextId: number;
  /** Ctrl+O (or `--verbose` from the start): running tools show their whole preview, finished commands all their output. */
  expanded: boolean;
  /** Items before this index were cleared from the screen (`/clear`); they stay in the session. */
  shownFrom: number;
  /** Bumped to reprint the transcript (Ctrl+L, `/clear`, a resize). */
  epoch: number;
  /** A compaction is summarising older turns in the background (its round). */
  compacting: number | undefined;
  /** What the session has cost so far, when the cost_tracker plugin reports it. */
  costUsd: number | undefined;
  /** Approvals the creature waits for (request id, and the tool call when it names one). */
  awaiting: readonly { id: string; callId?: string | undefined }[];
  /** Characters streamed since the last exact usage figure; `usage.output` holds their estimate meanwhile. */
  streamedChars: number;
  /** When the creature asks before edits and commands (the footer shows it; Shift+Tab and /approvals change it). */
  approvalMode: ApprovalMode;
  /** The creature's triggers (from their events, refreshed from the creature so next fire times move on). */
  triggers: readonly TriggerView[];
}

export function initialView(init: { model?: string; creature?: string; maxContext?: number; approvalMode?: ApprovalMode; expanded?: boolean } = {}): ViewState {
  return {
    committed: [],
    preview: [],
    streaming: '',
    streamingContinues: false,
    reasoning: '',
    running: [],
    subagents: [],
    jobs: [],
    usage: { input: 0, output: 0, cached: 0, contextTokens: 0, maxContext: init.maxContext },
    phase: 'idle',
    turnActive: false,
    queued: 0,
    model: init.model ?? '',
    creature: init.creature ?? '',
    nextId: 1,
    expanded: init.expanded ?? false,
    shownFrom: 0,
    epoch: 0,
    compacting: undefined,
    costUsd: undefined,
    awaiting: [],
    streamedChars: 0,
    approvalMode: init.approvalMode ?? 'default',
    triggers: [],
  };
}
