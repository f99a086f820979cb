/**
 * `ReplayProvider`: a `Provider` that answers every model call from a
 * recording instead of a model. Each lane (the creature, each sub-agent run)
 * gets its own recorded responses in order, told apart by the caller the
 * controller names (`StreamOptions.caller`); compaction requests get the
 * recorded summaries. It never opens a connection.
 *
 * A call the recording has no response for (the replayed creature went on
 * longer than the recorded one) is answered with an empty final answer and
 * counted in `extraCalls`, so the run ends and the comparison can say where.
 */
import type { ToolCallRequest } from '../llm/messages.js';
import type { LLMRequest, LLMStreamPart, LlmCaller, Provider, StreamOptions } from '../llm/provider.js';
import { UsageError } from '../errors.js';
import { MAIN_LANE, subagentLane } from './lanes.js';
import { loadRecording, type CreatureRecording, type Progress, type RecordedStep } from './recording.js';
import type { AgentEvent } from '../events.js';
import { JobGate, jobLandings } from './job-holds.js';

export interface ReplayProviderOptions {
  /** Which creature of the file (default its first). */
  creature?: string;
  /** Characters per streamed text delta (default: the whole text at once). */
  chunkSize?: number;
}

/** A model call the recording could not answer. */
export interface ExtraCall {
  lane: string;
  turnId: string | null;
  step: number;
}

export class ReplayProvider implements Provider {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly maxContext?: number;
  readonly recording: CreatureRecording;
  /** Model calls served, in order. */
  served = 0;
  readonly extraCalls: ExtraCall[] = [];
  private readonly next = new Map<string, number>();
  private readonly used = new Map<string, number>();
  private readonly claimed = new Set<string>();
  /** Sub-agent lanes handed to callers that named no call id (older engines), by path. */
  private readonly byRun = new Map<string, string>();
  private summaries = 0;
  private readonly chunkSize: number | undefined;
  /** The creature's background jobs, held to where they ended in the recording (`follow` feeds it; its plugin holds them). */
  readonly jobs: JobGate;

  /** From a session file, or a recording already read. */
  constructor(source: string | CreatureRecording, options: ReplayProviderOptions = {}) {
    this.recording = typeof source === 'string' ? pickCreature(source, options.creature) : source;
    this.id = this.recording.model.includes('/') ? this.recording.model : `replay/${this.recording.model}`;
    const slash = this.id.indexOf('/');
    this.provider = this.id.slice(0, slash);
    this.model = this.id.slice(slash + 1);
    if (this.recording.maxContext !== undefined) this.maxContext = this.recording.maxContext;
    this.chunkSize = options.chunkSize;
    this.jobs = new JobGate(jobLandings(this.recording.events));
  }

  /** Recorded responses never asked for, by lane. */
  get unserved(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [lane, steps] of this.recording.lanes) {
      const left = steps.length - (this.used.get(lane) ?? 0);
      if (left > 0) out[lane] = left;
    }
    return out;
  }

  /** Throw unless every recorded response was served and no call went beyond the recording. */
  assertComplete(): void {
    const left = Object.entries(this.unserved);
    if (left.length || this.extraCalls.length) {
      const parts = [
        ...left.map(([lane, n]) => `${n} recorded response(s) of ${lane} never asked for`),
        ...this.extraCalls.map((c) => `an extra model call in ${c.lane} (${c.turnId ?? 'no turn'}, step ${c.step})`),
      ];
      throw new Error(`ReplayLLM: the replay did not follow the recording: ${parts.join('; ')}`);
    }
  }

  async *stream(_request: LLMRequest, { signal, caller }: StreamOptions): AsyncIterable<LLMStreamPart> {
    signal.throwIfAborted();
    this.served++;
    if (caller?.purpose === 'compaction') {
      const summary = this.recording.summaries[this.summaries++];
      if (summary?.status === 'failed') throw new Error(summary.error ?? 'the recorded compaction failed');
      if (summary) yield { type: 'text', text: summary.summary };
      yield { type: 'finish', finishReason: 'stop' };
      return;
    }
    const lane = this.laneFor(caller);
    const steps = this.recording.lanes.get(lane) ?? [];
    let index = this.next.get(lane) ?? 0;
    // The creature's own rounds are served turn by turn: a turn that ended early leaves its
    // remaining responses behind instead of handing them to the next turn.
    if (lane === MAIN_LANE && caller?.turnId) {
      const own = steps.findIndex((s, i) => i >= index && s.turnId === caller.turnId);
      index = own >= 0 ? own : steps.length;
    }
    const step: RecordedStep | undefined = steps[index];
    if (!step) {
      this.extraCalls.push({ lane, turnId: caller?.turnId ?? null, step: caller?.step ?? 0 });
      yield { type: 'finish', finishReason: 'stop' };
      return;
    }
    this.next.set(lane, index + 1);
    this.used.set(lane, (this.used.get(lane) ?? 0) + 1);
    if (lane !== MAIN_LANE) await this.reached(step.after, signal);
    // Jobs that ended before this round did in the recording end first, so their results are told after it as they were.
    else await this.jobs.beforeStep(index, signal);
    if (step.reasoning) yield* this.chunks('reasoning', step.reasoning);
    if (step.text) yield* this.chunks('text', step.text);
    for (const call of step.toolCalls) yield { type: 'tool_call', call: { ...call } as ToolCallRequest };
    yield {
      type: 'finish',
      finishReason: step.finishReason,
      usage: { ...step.usage },
      ...(step.providerFields ? { providerFields: structuredClone(step.providerFields) } : {}),
    };
  }

  /**
   * Keep the recorded order between a background run and the creature: follow the
   * creature's events, and hold each sub-agent response until the creature has got as
   * far as it had when that response ended in the recording (else a background report
   * that arrived after a turn would arrive inside it, replayed at full speed).
   */
  follow(agent: { on(listener: (event: AgentEvent) => void): () => void }): () => void {
    this.following = true;
    const unfollowJobs = this.jobs.follow(agent);
    const off = agent.on((event) => {
      if (event.agentPath.length !== 1) return;
      if (event.type === 'step.end') this.progress.steps++;
      else if (event.type === 'turn.end') this.progress.turns++;
      else return;
      this.wakeWaiters();
    });
    return () => {
      off();
      unfollowJobs();
    };
  }

  /** Stop holding responses (the creature went another way, or the replay is winding down). */
  releaseAll(): void {
    this.following = false;
    this.jobs.releaseAll();
    this.wakeWaiters();
  }

  private following = false;
  private readonly progress: Progress = { turns: 0, steps: 0 };
  private waiters: Array<() => void> = [];

  private wakeWaiters(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  private async reached(after: Progress, signal: AbortSignal): Promise<void> {
    const done = () => !this.following || this.progress.turns > after.turns || (this.progress.turns === after.turns && this.progress.steps >= after.steps);
    while (!done()) {
      signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  private *chunks(type: 'text' | 'reasoning', text: string): Generator<LLMStreamPart> {
    const size = this.chunkSize ?? text.length;
    for (let i = 0; i < text.length; i += size) yield { type, text: text.slice(i, i + size) };
  }

  /** The lane a call belongs to: the creature's own, or the sub-agent run its call id names. */
  private laneFor(caller: LlmCaller | undefined): string {
    if (!caller || caller.agentPath.length <= 1) return MAIN_LANE;
    if (caller.callId) {
      const lane = subagentLane(caller.agentPath, caller.callId);
      if (this.recording.lanes.has(lane)) return this.claim(lane);
      const key = `${caller.agentPath.join('/')}#${caller.callId}`;
      const known = this.byRun.get(key);
      if (known) return known;
      // No run with that call id: take the next run of the same sub-agent not yet claimed (an older file).
      const path = `${caller.agentPath.join('/')}#`;
      const free = [...this.recording.lanes.keys()].find((l) => l.startsWith(path) && !this.claimed.has(l));
      const chosen = free ?? lane;
      this.byRun.set(key, chosen);
      return this.claim(chosen);
    }
    return this.claim(`${caller.agentPath.join('/')}#?`);
  }

  private claim(lane: string): string {
    this.claimed.add(lane);
    return lane;
  }
}

function pickCreature(path: string, name: string | undefined): CreatureRecording {
  const recording = loadRecording(path);
  const found = name ? recording.creatures.find((c) => c.name === name) : recording.creatures[0];
  if (!found) throw new UsageError(`no creature named '${name}' in ${path} (it has ${recording.creatures.map((c) => c.name).join(', ')})`);
  return found;
}
