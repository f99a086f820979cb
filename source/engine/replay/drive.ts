/**
 * Drive a built creature through a recording's turns: each user (or
 * trigger, channel, wire, api) turn is given again with its recorded input,
 * source and origin (the creature is built with its triggers off, so nothing
 * starts a turn on its own and each lands where it landed); a turn the creature started itself when background jobs finished
 * (`source: job`) is awaited, not given. Recorded interactions are answered
 * with the recorded replies. Ends when every recorded turn was played and
 * the background jobs the recording saw finish have finished.
 */
import type { Agent } from '../creature/agent.js';
import type { AgentEvent, InteractionKind } from '../events.js';
import type { CreatureRecording, RecordedInteraction, RecordedTurn } from './recording.js';

const KINDS: readonly InteractionKind[] = ['approval', 'ask', 'confirm', 'select'];

/** Answer the creature's questions from the recording (only when the recording has any: with none, nobody was there to ask). */
export function answerFromRecording(agent: Agent, recording: CreatureRecording): () => void {
  if (!recording.interactions.length) return () => {};
  const left: RecordedInteraction[] = [...recording.interactions];
  return agent.answer(KINDS, (request) => {
    const callId = request.payload['callId'];
    let at = callId !== undefined ? left.findIndex((ix) => ix.kind === request.kind && ix.payload['callId'] === callId) : -1;
    if (at < 0) at = left.findIndex((ix) => ix.kind === request.kind);
    const recorded = at >= 0 ? left.splice(at, 1)[0] : undefined;
    if (!recorded) throw new Error(`replay: the recording has no reply to this ${request.kind}`);
    if (recorded.outcome !== 'answered') throw new Error(`replay: the recorded ${request.kind} was ${recorded.outcome}`);
    return recorded.reply;
  });
}

/** Play the recorded turns into `agent`; resolves once it is done (or stalled waiting for a turn that never came). */
export interface PlayHooks {
  /** Runs before each given turn (a team waits here for the other members to get as far as they had). */
  beforeTurn?: (turn: RecordedTurn) => Promise<void>;
  windingDown?: () => void;
}

export async function playTurns(agent: Agent, recording: CreatureRecording, hooks: PlayHooks = {}): Promise<void> {
  const watcher = new TurnWatcher(agent);
  try {
    for (const turn of recording.turns) {
      if (turn.source === 'job') {
        if (!(await watcher.ownTurn())) return;
        continue;
      }
      await hooks.beforeTurn?.(turn);
      await agent.run(turn.input, { source: turn.source, ...(turn.origin ? { origin: turn.origin } : {}) });
    }
    const finished = finishedCalls(recording);
    // Jobs still running when the recording ended are stopped before anything held is let go, so none lands late.
    watcher.stopUnfinished(finished);
    hooks.windingDown?.();
    await watcher.settle(finished);
  } finally {
    watcher.close();
  }
}

/** Call ids of the background jobs the recording saw finish. */
function finishedCalls(recording: CreatureRecording): Set<string> {
  const finished = new Set<string>();
  const jobCalls = new Map<string, string>();
  for (const event of recording.events) {
    if (event.type === 'job.start' && event.callId) jobCalls.set(event.jobId, event.callId);
    else if (event.type === 'job.end') finished.add(jobCalls.get(event.jobId) ?? event.jobId);
  }
  return finished;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Turns the creature starts on its own (finished jobs), seen as they end; and its jobs' call ids. */
class TurnWatcher {
  private ended = 0;
  private consumed = 0;
  private wake: (() => void) | undefined;
  private readonly off: () => void;
  private readonly own = new Set<string>();
  private readonly jobCalls = new Map<string, string>();

  constructor(private readonly agent: Agent) {
    this.off = agent.on((event: AgentEvent) => {
      if (event.type === 'job.start' && event.callId) this.jobCalls.set(event.jobId, event.callId);
      if (event.agentPath.length === 1 && event.type === 'turn.start' && event.source === 'job' && event.turnId) this.own.add(event.turnId);
      if (event.agentPath.length === 1 && event.type === 'turn.end' && this.own.has(event.turnId ?? '')) this.ended++;
      if (event.type === 'turn.end' || event.type === 'job.end') {
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
      }
    });
  }

  /** Resolves true when the creature's next own turn ended, false when it is idle with nothing running that could start one. */
  async ownTurn(): Promise<boolean> {
    for (;;) {
      if (this.ended > this.consumed) {
        this.consumed++;
        return true;
      }
      // A finished job starts its turn a few promise steps after its end: look again after them.
      await tick();
      if (this.ended > this.consumed) continue;
      if (!this.busy()) return false;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Stop the jobs the recording did not see finish (still running when it ended). */
  stopUnfinished(finished: ReadonlySet<string>): void {
    for (const job of this.agent.jobs.list()) {
      const callId = this.jobCalls.get(job.jobId);
      if (job.status === 'running' && !(callId && finished.has(callId))) this.agent.jobs.stop(job.jobId);
    }
  }

  /** Wait for the jobs the recording saw finish (the others are stopped), then for the creature to be idle. */
  async settle(finished: ReadonlySet<string>): Promise<void> {
    this.stopUnfinished(finished);
    for (const job of this.agent.jobs.list()) {
      const callId = this.jobCalls.get(job.jobId);
      if (job.status === 'running' && callId && finished.has(callId)) await this.agent.jobs.wait(job.jobId, { signal: new AbortController().signal });
    }
    for (;;) {
      await tick();
      if (!this.busy()) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private busy(): boolean {
    return this.agent.state === 'running' || this.agent.jobs.list().some((j) => j.status === 'running');
  }

  close(): void {
    this.off();
  }
}
