/**
 * Lanes: the separate streams of model calls a creature makes. The creature
 * itself is one lane (`main`); every sub-agent run is another, named by its
 * agent path and the tool call that started it. Job ids are random, so a
 * recorded run and its replay share a lane name only through the call id
 * (which comes from the recorded model response and so is the same).
 */
import type { AgentEvent } from '../events.js';

export const MAIN_LANE = 'main';

/** The lane of a sub-agent run. */
export function subagentLane(agentPath: readonly string[], callId: string): string {
  return `${agentPath.join('/')}#${callId}`;
}

/** Follows a creature's events and says which lane each belongs to. */
export class LaneTracker {
  /** Sub-agent run (job) id → its lane. */
  private readonly runs = new Map<string, string>();
  /** Lanes of runs logged without a run id (older files), by agent path. */
  private readonly anonymous = new Map<string, string>();

  /** The lane of an event (call `observe` on every event in order first). */
  laneOf(event: AgentEvent): string {
    if (event.agentPath.length <= 1) return MAIN_LANE;
    if (event.runId) {
      const lane = this.runs.get(event.runId);
      if (lane) return lane;
    }
    const path = event.agentPath.join('/');
    return this.anonymous.get(path) ?? `${path}#?`;
  }

  observe(event: AgentEvent): void {
    if (event.type !== 'subagent.start') return;
    const lane = subagentLane([...event.agentPath, event.name], event.callId);
    this.runs.set(event.jobId, lane);
    this.anonymous.set([...event.agentPath, event.name].join('/'), lane);
  }
}
