/**
 * How the parts of a creature emit events: one `Emitter` per creature, and a
 * scoped one per sub-agent run (`emitter.scope({agentPath, runId})`), all
 * feeding the creature's one bus. A part never needs to know whose events it
 * emits: the scope stamps the agent path, the run id and the turn.
 */
import type { AgentEvent, EventDraft } from '../events.js';
import type { EventBus } from './bus.js';

/** The turn now running in a creature; the turn lane keeps it up to date. */
export class ActiveTurn {
  id: string | null = null;
}

export interface EmitScope {
  agentPath: readonly string[];
  runId?: string;
  /** Events of this scope belong to this turn (a sub-agent's to the turn that started it). */
  turnId?: string | null;
}

export class Emitter {
  constructor(
    private readonly bus: EventBus,
    private readonly turn: ActiveTurn,
    readonly agentPath: readonly string[],
    readonly runId?: string,
    private readonly fixedTurn?: string | null,
  ) {}

  /** Stamp and deliver an event; it belongs to `turnId`, else to this scope's turn, else to the running turn. */
  emit(draft: EventDraft, turnId?: string | null): AgentEvent {
    const turn = turnId !== undefined ? turnId : this.fixedTurn !== undefined ? this.fixedTurn : this.turn.id;
    return this.bus.emit(draft, turn, this.agentPath, this.runId);
  }

  /** The turn this emitter's events go to when none is given. */
  get currentTurnId(): string | null {
    return this.fixedTurn !== undefined ? this.fixedTurn : this.turn.id;
  }

  /** An emitter for a part below this one (a sub-agent run). */
  scope(scope: EmitScope): Emitter {
    return new Emitter(this.bus, this.turn, scope.agentPath, scope.runId, scope.turnId !== undefined ? scope.turnId : this.fixedTurn);
  }
}
