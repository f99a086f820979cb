/**
 * The creature the UI talks to, which may arrive after the first frame: the
 * terminal app draws itself while the engine still loads and the creature is
 * built, so typing can start at once. Components read `slot.agent` (undefined
 * until then) and re-render when it arrives; `ready` waits for it.
 */
import type { Agent } from '../../index.js';

export class AgentSlot {
  agent: Agent | undefined;
  /** `!cmd` blocks run since the last message: the next message carries them to the model. */
  readonly shellContext: string[] = [];
  /**
   * Leave the attached creature (its session is saved) for the session at `path`: set by the app when
   * the command that started it can build a creature from a session (`/resume`); undefined otherwise.
   */
  switchSession: ((path: string, name: string) => Promise<void>) | undefined;
  readonly ready: Promise<Agent>;
  private fill!: (agent: Agent) => void;
  private readonly listeners = new Set<() => void>();

  constructor(agent?: Agent) {
    this.ready = new Promise<Agent>((resolve) => (this.fill = resolve));
    if (agent) this.set(agent);
  }

  set(agent: Agent): void {
    this.agent = agent;
    this.fill(agent);
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getAgent = (): Agent | undefined => this.agent;
}
