/**
 * Writes a creature's events to its session file as they happen. Events
 * are queued and committed in batches: at every turn end (so a finished turn
 * is on disk within milliseconds), on a short timer during a turn, and when
 * the process exits. A conversation snapshot is taken now and then so a
 * resume replays only the tail of the log.
 */
import type { LiveTurn } from './records.js';
import { parseTurnId, type AgentEvent, type EventOf } from '../events.js';
import { contentText, type Message } from '../llm/messages.js';
import { scratchpadKey } from './restore.js';
import { saveJob, type JobRecord } from './side-records.js';
import type { SessionStore } from './store.js';

/** What the recorder needs of a creature. */
export interface RecordedCreature {
  readonly name: string;
  /** The instance id its snapshots are kept under. */
  readonly creatureId: string;
  readonly messages: readonly Message[];
  readonly liveTurns: LiveTurn[];
  readonly scratchpad: ReadonlyMap<string, string>;
  on(listener: (event: AgentEvent) => void): () => void;
}

export interface RecorderOptions {
  /** How long an event may wait before it is committed, during a turn (default 100 ms). */
  flushMs?: number;
  /** Take a snapshot at a turn end once this many events came since the last one (default 500). */
  snapshotEvery?: number;
  /**
   * Event types a new file already holds (written when it was created): the
   * creature's own first event of each type is that one, so it is not logged twice.
   */
  alreadyLogged?: readonly (string | AgentEvent)[];
  /** Close the store with the recorder (default true); false when the store is shared and its owner closes it. */
  closeStore?: boolean;
}

/**
 * Recorders still open. One exit handler commits them all: better-sqlite3 is
 * synchronous, so it can still write while the process exits, and one shared
 * listener keeps a process with many creatures (a terrarium) under Node's
 * listener warning.
 */
const open = new Set<SessionRecorder>();
const closeAll = () => {
  for (const recorder of [...open]) recorder.close();
};

export class SessionRecorder {
  private timer: NodeJS.Timeout | undefined;
  private sinceSnapshot = 0;
  private readonly jobs = new Map<string, JobRecord>();
  private savedScratchpad = '{}';
  private closed = false;
  private readonly detach: () => void;
  private readonly flushMs: number;
  private readonly snapshotEvery: number;
  /** First events a new file holds, by type (a type alone: skip its first emission whatever it says). */
  private readonly alreadyLogged: Map<string, AgentEvent | undefined>;
  private readonly closeStore: boolean;

  constructor(
    private readonly store: SessionStore,
    private readonly creature: RecordedCreature,
    options: RecorderOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 100;
    this.snapshotEvery = options.snapshotEvery ?? 500;
    this.alreadyLogged = new Map((options.alreadyLogged ?? []).map((e) => (typeof e === 'string' ? [e, undefined] : [e.type, e])));
    this.closeStore = options.closeStore ?? true;
    this.detach = creature.on((event) => this.record(event));
    if (!open.size) process.once('exit', closeAll);
    open.add(this);
  }

  private record(event: AgentEvent): void {
    if (this.closed) return;
    if (event.agentPath.length === 1 && this.alreadyLogged.has(event.type)) {
      const logged = this.alreadyLogged.get(event.type);
      this.alreadyLogged.delete(event.type);
      // A member's prompt logged when it joined the file may have grown since (the team section of the
      // members built after it): the prompt it starts with is the one it acts on, so that one is logged too.
      const changed = logged?.type === 'system.prompt' && event.type === 'system.prompt' && logged.text !== event.text;
      if (!changed) return;
    }
    this.store.append(event, parseTurnId(event.turnId));
    this.sinceSnapshot++;
    if (event.agentPath.length !== 1) return this.schedule();
    if (event.type === 'turn.start' && !this.store.meta.firstPrompt) {
      this.store.updateMeta({ firstPrompt: contentText(event.input).slice(0, 200) });
    }
    if (event.type === 'turn.end') return this.endOfTurn();
    // `kt resume` builds with the model the meta names: the last one chosen.
    if (event.type === 'model.changed') {
      this.store.updateMeta({ model: event.model });
      return this.flush();
    }
    // A splice is a conversation edit: commit it at once, not on the timer, so a crash right after keeps it.
    if (event.type === 'compaction.end' || event.type === 'context.cleared') return this.flush();
    if (event.type === 'job.start' || event.type === 'job.end') this.recordJob(event);
    this.schedule();
  }

  private endOfTurn(): void {
    this.flush();
    const meta = this.store.meta;
    this.store.updateMeta({ lastActive: Date.now(), turns: meta.turns + 1 });
    this.saveScratchpad();
    if (this.sinceSnapshot >= this.snapshotEvery) this.snapshot();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.flushMs).unref();
  }

  /** Commit everything queued. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.store.flush();
  }

  /** The `jobs` table follows job events, so a resume knows which jobs were cut off. */
  private recordJob(event: EventOf<'job.start'> | EventOf<'job.end'>): void {
    if (event.type === 'job.start') {
      const record: JobRecord = { jobId: event.jobId, kind: event.kind, name: event.name, summary: event.summary, status: 'running', startedAt: event.ts };
      this.jobs.set(event.jobId, record);
      saveJob(this.store, this.creature.name, record);
      return;
    }
    const started = this.jobs.get(event.jobId);
    this.jobs.delete(event.jobId);
    const record: JobRecord = {
      ...(started ?? { jobId: event.jobId, kind: event.kind, name: event.name, summary: '', startedAt: event.ts - event.durationMs }),
      status: event.status,
      endedAt: event.ts,
      output: event.output.length > 4000 ? `${event.output.slice(0, 4000)}…` : event.output,
      isError: event.isError,
    };
    saveJob(this.store, this.creature.name, record);
  }

  /** Tools may change the scratchpad at any time; it is written when a turn ends and on close. */
  private saveScratchpad(): void {
    const notes = Object.fromEntries(this.creature.scratchpad);
    const serialized = JSON.stringify(notes);
    if (serialized === this.savedScratchpad) return;
    this.store.setState(scratchpadKey(this.creature.name), notes);
    this.savedScratchpad = serialized;
  }

  /** Save the conversation with the log position it corresponds to. */
  snapshot(): void {
    this.flush();
    // Keyed by the instance id: two creatures of one name in one file keep their own snapshots.
    this.store.saveSnapshot(this.creature.creatureId, {
      eventId: this.store.lastEventId(),
      turns: this.creature.liveTurns,
      messages: [...this.creature.messages],
    });
    this.sinceSnapshot = 0;
  }

  /**
   * Commit what is queued and stop following the creature, writing nothing
   * more to this store: its recording continues in another file (a
   * terrarium's graphs merged or split), whose own recorder takes over.
   */
  release(): void {
    if (this.closed) return;
    this.closed = true;
    open.delete(this);
    if (!open.size) process.off('exit', closeAll);
    this.detach();
    this.flush();
  }

  /** Final flush and snapshot, then stop listening and close the file (unless it is shared). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    open.delete(this);
    if (!open.size) process.off('exit', closeAll);
    this.detach();
    try {
      this.snapshot();
      this.saveScratchpad();
      this.store.updateMeta({ lastActive: Date.now() });
    } finally {
      if (this.closeStore) this.store.close();
      else this.store.flush();
    }
  }
}
