/**
 * One running creature the studio hosts: its Agent, the replay buffer for
 * reconnecting clients, and the listeners (WebSocket clients) it fans out to.
 * Listeners are called inline by the engine's bus, so they must never block:
 * each socket queues and drops on its own (routes/socket.ts).
 */
import { SessionStore, type Agent, type AgentEvent, type InteractionRequest, type TurnResult } from '../../index.js';
import { EventLog } from './event-log.js';

export interface LiveSessionInfo {
  id: string;
  name: string;
  creature: string;
  ref: string;
  model: string;
  state: 'idle' | 'running' | 'stopping' | 'stopped';
  startedAt: number;
  lastSeq: number;
  turns: number;
  pending: InteractionRequest[];
  owner?: string;
  /** Set when the creature is a member of a terrarium the studio hosts. */
  team?: { name: string; members: Array<{ name: string; id: string }> };
}

/** The team a member session belongs to (studio/team.ts). */
export interface TeamLink {
  name: string;
  members(): Array<{ name: string; id: string }>;
}

export class LiveSession {
  readonly log: EventLog;
  /** The session file, read for events older than the replay buffer (set by the studio). */
  historyPath: string | undefined;
  readonly startedAt = Date.now();
  private readonly listeners = new Set<(event: AgentEvent) => void>();
  private readonly detach: Array<() => void> = [];
  private readonly running = new Set<Promise<TurnResult>>();
  private readonly stopListeners = new Set<() => void>();

  constructor(
    readonly agent: Agent,
    readonly ref: string,
    readonly name: string,
    readonly owner: string | undefined,
    private readonly onTurnError: (error: unknown) => void,
    /** A team member's id is the team session's id and its name (members share one session file). */
    private readonly memberOf?: TeamLink,
    replayBuffer?: number,
  ) {
    this.log = new EventLog(replayBuffer);
    this.detach.push(
      agent.on((event) => {
        this.log.push(event);
        for (const listener of this.listeners) listener(event);
      }),
    );
    // The server is a surface that can answer: approvals and questions are asked, not refused.
    this.detach.push(agent.interactions.attach());
  }

  get id(): string {
    return this.memberOf ? `${this.agent.sessionId}~${this.agent.name}` : this.agent.sessionId;
  }

  get team(): TeamLink | undefined {
    return this.memberOf;
  }

  info(): LiveSessionInfo {
    return {
      id: this.id,
      name: this.name,
      creature: this.agent.name,
      ref: this.ref,
      model: this.agent.model,
      state: this.agent.state,
      startedAt: this.startedAt,
      lastSeq: this.log.lastSeq,
      turns: this.agent.turns,
      pending: this.agent.interactions.open,
      ...(this.owner ? { owner: this.owner } : {}),
      ...(this.memberOf ? { team: { name: this.memberOf.name, members: this.memberOf.members() } } : {}),
    };
  }

  /**
   * Subscribe from `since`: the missed events are handed over first, in the
   * same synchronous step, so none is lost or repeated. Events older than the
   * buffer come from the session file (committed long since); `lagged` counts
   * any that could be found in neither.
   */
  subscribe(since: number, listener: (event: AgentEvent) => void): { replay: AgentEvent[]; lagged: number; unsubscribe: () => void } {
    const recent = this.log.since(since);
    let replay = recent.events;
    let lagged = recent.lagged;
    if (lagged > 0 && this.historyPath) {
      // The file is the authority for what it has committed (it merges a step's consecutive deltas
      // into one event carrying their text, under the last one's seq); the buffer adds what came after.
      const older = this.readHistory(since);
      const stored = older.at(-1)?.seq ?? since;
      replay = [...older, ...recent.events.filter((e) => e.seq > stored)];
      // A gap between the file's last event and the buffer's first: events in neither.
      const bufferFirst = recent.events[0]?.seq;
      lagged = bufferFirst !== undefined && bufferFirst > stored + 1 ? bufferFirst - stored - 1 : 0;
    }
    this.listeners.add(listener);
    return { replay, lagged, unsubscribe: () => this.listeners.delete(listener) };
  }

  /** This creature's committed events with seq > since, in order. */
  private readHistory(since: number): AgentEvent[] {
    try {
      const store = SessionStore.open(this.historyPath as string, { readonly: true });
      try {
        const out: AgentEvent[] = [];
        for (const { event } of store.events({ creature: this.agent.name })) if (event.seq > since) out.push(event);
        return out;
      } finally {
        store.close();
      }
    } catch {
      return [];
    }
  }

  /** Called once when the session stops (sockets close then). Returns the unsubscribe function. */
  onStop(listener: () => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Queue a turn; it runs after the one running now. */
  send(text: string): { queued: boolean } {
    const queued = this.agent.state === 'running';
    const turn = this.agent.injectInput(text, { source: 'user' });
    this.running.add(turn);
    turn.catch(this.onTurnError).finally(() => this.running.delete(turn));
    return { queued };
  }

  /** Resolves when every turn sent so far has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async stop(reason: string): Promise<void> {
    try {
      await this.agent.stop(reason);
    } finally {
      this.release();
    }
  }

  /** Detach from the creature (already stopped by its owner, e.g. the team) and close the sockets. */
  release(): void {
    for (const off of this.detach.splice(0)) off();
    this.listeners.clear();
    for (const listener of [...this.stopListeners]) listener();
    this.stopListeners.clear();
  }
}
