/**
 * A session file read as a recording: for each creature, the model's
 * responses lane by lane (the creature's own rounds, each sub-agent run's),
 * the compaction summaries, the user turns on the live path, every tool's
 * recorded answer, the interactions and their replies, and the events the
 * comparison reads. Only what the live path holds counts: a regenerated
 * turn's abandoned branch is not part of the behaviour being pinned.
 */
import type { AgentEvent, EventOf, InputSource, InteractionKind, TurnOrigin, TurnStatus } from '../events.js';
import type { ContentPart, ToolCallRequest, Usage, UserContent } from '../llm/messages.js';
import type { SessionMeta } from '../session/meta.js';
import { livePath, turnStartInfo } from '../session/replay.js';
import { selectedBranchesKey } from '../session/restore.js';
import { SessionStore } from '../session/store.js';
import { LaneTracker } from './lanes.js';

/** One model response, as the log kept it (`step.end`). */
export interface RecordedStep {
  turnId: string | null;
  step: number;
  text: string;
  reasoning?: string;
  toolCalls: ToolCallRequest[];
  usage: Usage;
  finishReason: string;
  providerFields?: Record<string, unknown>;
  /** How far the creature's own rounds had got when this response ended (turns ended, rounds ended). */
  after: Progress;
}

/** The creature's own progress: turns ended, and rounds (step.end) ended. */
export interface Progress {
  turns: number;
  steps: number;
}

export interface RecordedTurn {
  index: number;
  input: UserContent;
  source: InputSource;
  /** What started it when no person did (a trigger, a wire, a channel): given again the same way. */
  origin?: TurnOrigin;
  status?: TurnStatus;
  text?: string;
  /** Its place in the log (event id of its start). */
  at: number;
  /** In a team: how far every other member had got (its progress events) when this turn started. */
  needs?: Record<string, number>;
}

/** What a tool answered, recorded (a background call's is its job's output). */
export interface RecordedAnswer {
  output: string;
  isError: boolean;
  parts?: ContentPart[];
  metadata?: Record<string, unknown>;
}

export interface RecordedInteraction {
  kind: InteractionKind;
  payload: Record<string, unknown>;
  reply: unknown;
  outcome: EventOf<'interaction.reply'>['outcome'] | 'open';
}

export interface CreatureRecording {
  name: string;
  /** `provider/model` it last ran on. */
  model: string;
  /** The context window the log reported, so compaction triggers as it did. */
  maxContext?: number;
  lanes: Map<string, RecordedStep[]>;
  /** Summaries of finished compactions, in round order (failed ones as errors). */
  summaries: Array<{ status: 'done' | 'failed'; summary: string; error?: string }>;
  turns: RecordedTurn[];
  /** Tool answers by call id (a list: two lanes may reuse an id). */
  answers: Map<string, RecordedAnswer[]>;
  interactions: RecordedInteraction[];
  /** The creature's events on the live path, in log order. */
  events: AgentEvent[];
  /** The log position (event id) of each of `events`: orders divergences across a team's members. */
  positions: number[];
}

export interface Recording {
  path: string;
  meta: SessionMeta;
  creatures: CreatureRecording[];
  /** Steps of all lanes and creatures: how many model calls the recording serves. */
  steps: number;
}

/** Read the session at `path` as a recording (read-only; the file is never written). */
export function loadRecording(path: string): Recording {
  const store = SessionStore.open(path, { readonly: true });
  try {
    const meta = store.meta;
    const names = meta.agents.length ? meta.agents : [''];
    const creatures = names.map((name) => readCreature(store, name, meta));
    if (creatures.length > 1) noteTeamOrder(creatures);
    return { path, meta, creatures, steps: creatures.reduce((n, c) => n + [...c.lanes.values()].reduce((m, l) => m + l.length, 0), 0) };
  } finally {
    store.close();
  }
}

function readCreature(store: SessionStore, name: string, meta: SessionMeta): CreatureRecording {
  const starts = [...store.events({ types: ['turn.start'], creature: name })].filter((s) => s.event.agentPath.length === 1);
  const path = livePath(
    starts.map((s) => turnStartInfo(s.event as EventOf<'turn.start'>)),
    store.getState<Record<number, number>>(selectedBranchesKey(name)) ?? {},
  );
  const onPath = (turn: number | null, branch: number | null) => turn === null || path[turn - 1] === (branch ?? 1);
  const recording: CreatureRecording = { name, model: meta.model ?? 'replay/recorded', lanes: new Map(), summaries: [], turns: [], answers: new Map(), interactions: [], events: [], positions: [] };
  const lanes = new LaneTracker();
  const jobCalls = new Map<string, string>();
  const openInteractions = new Map<string, RecordedInteraction>();
  const progress: Progress = { turns: 0, steps: 0 };
  for (const stored of store.events({ creature: name })) {
    if (!onPath(stored.turn, stored.branch)) continue;
    const event = stored.event;
    lanes.observe(event);
    recording.events.push(event);
    recording.positions.push(stored.id);
    switch (event.type) {
      case 'creature.start':
        if (event.agentPath.length === 1 && event.model) recording.model = event.model;
        break;
      case 'model.changed':
        recording.model = event.model;
        if (event.maxContext) recording.maxContext = event.maxContext;
        break;
      case 'usage':
        if (event.maxContext && recording.maxContext === undefined) recording.maxContext = event.maxContext;
        break;
      case 'step.end': {
        const lane = lanes.laneOf(event);
        const list = recording.lanes.get(lane) ?? [];
        list.push({
          turnId: event.turnId,
          step: event.step,
          text: event.text,
          toolCalls: event.toolCalls,
          usage: event.usage,
          finishReason: event.finishReason,
          after: { ...progress },
          ...(event.reasoning ? { reasoning: event.reasoning } : {}),
          ...(event.providerFields ? { providerFields: event.providerFields } : {}),
        });
        recording.lanes.set(lane, list);
        if (event.agentPath.length === 1) progress.steps++;
        break;
      }
      case 'turn.start':
        if (event.agentPath.length === 1) recording.turns.push({ index: event.turnIndex, at: stored.id, input: event.input, source: event.source, ...(event.origin ? { origin: event.origin } : {}) });
        break;
      case 'turn.end': {
        const turn = event.agentPath.length === 1 ? recording.turns.findLast((t) => t.index === event.turnIndex) : undefined;
        if (turn) Object.assign(turn, { status: event.status, text: event.text });
        if (event.agentPath.length === 1) progress.turns++;
        break;
      }
      case 'compaction.end':
        if (event.agentPath.length === 1) recording.summaries.push({ status: event.status, summary: event.summary, ...(event.error ? { error: event.error } : {}) });
        break;
      case 'tool.result':
        answer(recording, event.callId, { output: event.output, isError: event.isError, ...(event.parts ? { parts: event.parts } : {}), ...(event.metadata ? { metadata: event.metadata } : {}) });
        break;
      case 'job.start':
        if (event.callId) jobCalls.set(event.jobId, event.callId);
        break;
      case 'job.end': {
        // A background call's tool result is the placeholder the executor writes; what the tool itself answered is the job's output.
        const callId = jobCalls.get(event.jobId);
        if (callId && event.kind === 'tool') answer(recording, callId, { output: event.output, isError: event.isError }, true);
        break;
      }
      case 'interaction.request': {
        const ix: RecordedInteraction = { kind: event.kind, payload: event.payload, reply: undefined, outcome: 'open' };
        openInteractions.set(event.id, ix);
        recording.interactions.push(ix);
        break;
      }
      case 'interaction.reply': {
        const ix = openInteractions.get(event.id);
        if (ix) Object.assign(ix, { reply: event.reply, outcome: event.outcome });
        break;
      }
      default:
        break;
    }
  }
  return recording;
}

function answer(recording: CreatureRecording, callId: string, value: RecordedAnswer, replaceLast = false): void {
  const list = recording.answers.get(callId) ?? [];
  if (replaceLast && list.length) list[list.length - 1] = value;
  else list.push(value);
  recording.answers.set(callId, list);
}

/** The member events a team replay counts to keep members in their recorded order (the member's own, not its sub-agents'). */
export function isProgress(event: AgentEvent): boolean {
  return event.agentPath.length === 1 && (event.type === 'turn.start' || event.type === 'step.end' || event.type === 'tool.result' || event.type === 'turn.end');
}

/**
 * A team's members run side by side: note, for every member turn, how far each
 * other member had got in the log when it started, so a replay starts it no
 * earlier (a file another member writes, a member a privileged one adds).
 */
function noteTeamOrder(creatures: CreatureRecording[]): void {
  const all = creatures.flatMap((c) => c.events.map((event, i) => ({ creature: c, event, id: c.positions[i] as number })));
  all.sort((a, b) => a.id - b.id);
  const counts = new Map<string, number>(creatures.map((c) => [c.name, 0]));
  const turnsSeen = new Map<CreatureRecording, number>();
  for (const { creature, event } of all) {
    if (event.type === 'turn.start' && event.agentPath.length === 1) {
      const n = turnsSeen.get(creature) ?? 0;
      turnsSeen.set(creature, n + 1);
      const turn = creature.turns[n];
      if (turn) turn.needs = Object.fromEntries([...counts].filter(([name, count]) => name !== creature.name && count > 0));
    }
    if (isProgress(event)) counts.set(creature.name, (counts.get(creature.name) ?? 0) + 1);
  }
}
