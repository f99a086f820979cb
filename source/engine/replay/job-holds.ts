/**
 * Background jobs land where they landed. A background call's result reaches
 * the model at the first check after the job ends: between two rounds of a
 * running turn, or as a turn of its own when the creature was idle or its
 * turn was ending. Replayed, a tool that ran for seconds may finish at once
 * (or the other way round), so its result would reach another round. Each
 * recorded job end is noted with the point it fell in (before which round,
 * or after how many turns); during the replay the job's end is held until the
 * creature gets there, and the round after that point is not served until the
 * job has ended.
 */
import type { AgentEvent } from '../events.js';
import { plugin, type PluginDefinition } from '../plugins/define.js';

/**
 * Where a recorded job ended: before the creature's round `step` ended (0-based,
 * all turns counted), once `turns` turns had ended, or never (still running
 * when the recording stopped).
 */
export type JobLanding = { kind: 'step'; step: number } | { kind: 'turns'; turns: number } | { kind: 'never' };

/** Where each background job of the creature's own ended, by the call id that started it. */
export function jobLandings(events: readonly AgentEvent[]): Map<string, JobLanding> {
  const landings = new Map<string, JobLanding>();
  const jobCalls = new Map<string, string>();
  let turns = 0;
  let steps = 0;
  const own = (e: AgentEvent) => e.agentPath.length === 1;
  events.forEach((event, i) => {
    if (!own(event)) return;
    if (event.type === 'job.start' && event.callId) {
      jobCalls.set(event.jobId, event.callId);
      landings.set(event.callId, { kind: 'never' });
    } else if (event.type === 'step.end') steps++;
    else if (event.type === 'turn.end') turns++;
    else if (event.type === 'job.end') {
      const callId = jobCalls.get(event.jobId);
      if (!callId) return;
      // What came next decides where it was told: another round of the turn, the turn's end, or a turn it started.
      const next = events.slice(i + 1).find((e) => own(e) && (e.type === 'step.end' || e.type === 'turn.end' || e.type === 'turn.start'));
      landings.set(callId, next?.type === 'step.end' ? { kind: 'step', step: steps } : { kind: 'turns', turns: next?.type === 'turn.end' ? turns + 1 : turns });
    }
  });
  return landings;
}

/** Holds the creature's background jobs to their recorded landings (one per replayed creature). */
export class JobGate {
  private turns = 0;
  /** The furthest round the creature has asked for (-1: none yet). */
  private stepsAsked = -1;
  private released = false;
  private readonly running = new Map<string, string>();
  private readonly ended = new Set<string>();
  private waiters: Array<() => void> = [];

  constructor(private readonly landings: ReadonlyMap<string, JobLanding>) {}

  follow(agent: { on(listener: (event: AgentEvent) => void): () => void }): () => void {
    return agent.on((event) => {
      if (event.agentPath.length !== 1) return;
      if (event.type === 'turn.end') this.turns++;
      else if (event.type === 'job.start' && event.callId) this.running.set(event.jobId, event.callId);
      else if (event.type === 'job.end') {
        const callId = this.running.get(event.jobId);
        this.running.delete(event.jobId);
        if (callId) this.ended.add(callId);
      } else return;
      this.wake();
    });
  }

  /**
   * The creature asks for its round `step` (0-based, all turns counted): jobs
   * that ended before it in the recording may end now, and the round waits
   * for those still running, so their results come after it as they did.
   */
  async beforeStep(step: number, signal: AbortSignal): Promise<void> {
    this.stepsAsked = Math.max(this.stepsAsked, step);
    this.wake();
    const due = (callId: string) => {
      const landing = this.landings.get(callId);
      return landing?.kind === 'step' && landing.step <= step;
    };
    await this.until(() => this.released || ![...this.running.values()].some(due), signal);
  }

  /** Resolves when the job of `callId` may end; one the recording never saw end is held until it is stopped. */
  async hold(callId: string, signal: AbortSignal | undefined): Promise<void> {
    const landing = this.landings.get(callId);
    if (!landing) return; // not a background call of the recording: the replay went its own way
    await this.until(() => {
      // A job the recording never saw end is stopped before the gate opens (playTurns), so its result never lands.
      if (this.released) return true;
      if (landing.kind === 'never') return false;
      return landing.kind === 'step' ? this.stepsAsked >= landing.step : this.turns >= landing.turns;
    }, signal);
  }

  /** Stop holding (the replay is winding down). */
  releaseAll(): void {
    this.released = true;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  private async until(done: () => boolean, signal: AbortSignal | undefined): Promise<void> {
    while (!done()) {
      if (signal?.aborted) return;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
}

/** The replay-side plugin that holds each background call of a creature (or a team's member, by name) until its landing. */
export function jobLandingPlugin(gateOf: (creature: string) => JobGate | undefined): PluginDefinition {
  return plugin({
    name: 'replay-job-landings',
    // Post hooks run in descending priority: hold after every other plugin has had its say.
    priority: -1_000_000,
    setup: () => ({
      postToolExecute: async (result, info) => {
        // A call run as a job has its job id here (`background` says how the call was dispatched, not where it ran).
        const gate = info.jobId !== undefined && info.agentPath.length === 1 ? gateOf(info.agentPath[0] ?? '') : undefined;
        if (gate) await gate.hold(info.callId, info.signal);
        return result;
      },
    }),
  });
}
