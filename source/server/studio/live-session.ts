/**
 * One running creature the studio hosts: its Agent, the replay buffer for
 * reconnecting clients, and the listeners (WebSocket clients) it fans out to.
 * Listeners are called inline by the engine's bus, so they must never block:
 * each socket queues and drops on its own (routes/socket.ts).
 */
import type { Agent, AgentEvent, InteractionRequest, TurnResult } from '../../index.js';
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
}

export class LiveSession {
  readonly log = new EventLog();
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
  ) {
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
    return this.agent.sessionId;
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
    };
  }

  /** Subscribe from `since`: the missed events are handed over first, synchronously, so none is lost or repeated. */
  subscribe(since: number, listener: (event: AgentEvent) => void): { replay: AgentEvent[]; lagged: number; unsubscribe: () => void } {
    const { events, lagged } = this.log.since(since);
    this.listeners.add(listener);
    return { replay: events, lagged, unsubscribe: () => this.listeners.delete(listener) };
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
      for (const off of this.detach.splice(0)) off();
      this.listeners.clear();
      for (const listener of [...this.stopListeners]) listener();
      this.stopListeners.clear();
    }
  }
}
