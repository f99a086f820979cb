/**
 * A creature's background jobs: tool calls started with
 * `run_in_background`, calls promoted while running, and sub-agents. A job
 * outlives the turn that started it; it ends on its own, by `stop_task`, or
 * when the creature stops.
 *
 * Finished jobs whose owner wants to hear about them land in an inbox; the
 * creature delivers the inbox to the model — between two rounds of a running
 * turn, or as a new turn when it is idle.
 */
import { randomHex } from '../util/random-id.js';
import { AbortReason } from '../errors.js';
import type { EventDraft, JobKind, JobStatus, ToolResultStatus } from '../events.js';
import type { ContentPart } from '../llm/messages.js';
import type { JobControl, JobSnapshot } from '../tools/runtime.js';
import { outputText } from './executor.js';

/** How a job's work ended. */
export interface JobOutcome {
  status: ToolResultStatus;
  output: string | ContentPart[];
  isError: boolean;
}

export interface JobSpec {
  /** A preset id (from `newId`), when the work needed it before it started. */
  jobId?: string;
  kind: JobKind;
  name: string;
  summary: string;
  /** The tool call the job answers, when it came from one. */
  callId?: string;
  /** The work, already running; it must settle once `controller` aborts. */
  work: Promise<JobOutcome>;
  controller: AbortController;
  /** Deliver the result to the model when it ends (default true). */
  notify?: boolean;
  promoted?: boolean;
}

interface Job extends JobSnapshot {
  controller: AbortController;
  done: Promise<void>;
  notify: boolean;
}

/** Jobs kept after they end, so `jobs` and `read_job` can still show them. */
const KEEP_FINISHED = 200;

export class JobStore implements JobControl {
  private readonly jobs = new Map<string, Job>();
  private readonly inbox: JobSnapshot[] = [];

  constructor(
    private readonly hooks: {
      emit(draft: EventDraft): void;
      /** A job that notifies ended; its snapshot is in the inbox. */
      onFinished?(job: JobSnapshot): void;
    },
  ) {}

  /** Register work that is already running as a job. Returns its id. */
  add(spec: JobSpec): string {
    const jobId = spec.jobId ?? newJobId(spec.kind, spec.name);
    const job: Job = {
      jobId,
      kind: spec.kind,
      name: spec.name,
      summary: spec.summary,
      status: 'running',
      startedAt: Date.now(),
      controller: spec.controller,
      notify: spec.notify ?? true,
      done: Promise.resolve(),
    };
    job.done = spec.work.then(
      (outcome) => this.finish(job, outcome),
      (error: unknown) => this.finish(job, { status: 'error', output: `Error: ${error instanceof Error ? error.message : String(error)}`, isError: true }),
    );
    this.jobs.set(jobId, job);
    this.hooks.emit({ type: 'job.start', jobId, kind: job.kind, name: job.name, summary: job.summary, ...(spec.callId ? { callId: spec.callId } : {}), promoted: spec.promoted ?? false });
    return jobId;
  }

  /** A fresh job id for `add`, for work that must know its id before it starts. */
  newId(kind: JobKind, name: string): string {
    return newJobId(kind, name);
  }

  /** Jobs a resumed session had running when its process ended, shown as interrupted. */
  restoreInterrupted(jobs: readonly Omit<JobSnapshot, 'status'>[]): void {
    for (const job of jobs) {
      this.jobs.set(job.jobId, { ...job, status: 'interrupted', controller: new AbortController(), done: Promise.resolve(), notify: false, output: '[the session ended while this job ran]', isError: true });
    }
  }

  list(): JobSnapshot[] {
    const all = [...this.jobs.values()].map(snapshot);
    const running = all.filter((j) => j.status === 'running');
    const ended = all.filter((j) => j.status !== 'running').sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
    return [...running, ...ended];
  }

  get(jobId: string): JobSnapshot | undefined {
    const job = this.jobs.get(jobId);
    return job ? snapshot(job) : undefined;
  }

  get running(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (job.status === 'running') n++;
    return n;
  }

  async wait(jobId: string, options: { signal: AbortSignal; timeoutMs?: number }): Promise<JobSnapshot> {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job '${jobId}'`);
    const waits: Promise<unknown>[] = [job.done, abortOf(options.signal)];
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs !== undefined) waits.push(new Promise((resolve) => (timer = setTimeout(resolve, options.timeoutMs))));
    try {
      await Promise.race(waits);
    } finally {
      if (timer) clearTimeout(timer);
    }
    options.signal.throwIfAborted();
    // The model saw this result through wait; do not deliver it a second time.
    if (job.status !== 'running') this.takeFromInbox(jobId);
    return snapshot(job);
  }

  stop(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.status !== 'running') return false;
    // The model asked for this; telling it again in a later turn would only cost a round.
    job.notify = false;
    job.controller.abort(new AbortReason('cancelled', 'stopped with stop_task'));
    return true;
  }

  /** Cancel every running job and wait until they have settled. */
  async stopAll(detail: string): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.status === 'running');
    for (const job of running) job.controller.abort(new AbortReason('cancelled', detail));
    await Promise.all(running.map((j) => j.done));
  }

  /** Finished jobs not yet told to the model, oldest first; empties the inbox. */
  drainInbox(): JobSnapshot[] {
    return this.inbox.splice(0);
  }

  get hasInbox(): boolean {
    return this.inbox.length > 0;
  }

  private finish(job: Job, outcome: JobOutcome): void {
    job.status = jobStatus(outcome.status);
    job.endedAt = Date.now();
    job.output = outputText(outcome.output);
    job.isError = outcome.isError;
    this.hooks.emit({
      type: 'job.end',
      jobId: job.jobId,
      kind: job.kind,
      name: job.name,
      status: job.status,
      output: job.output,
      isError: outcome.isError,
      durationMs: job.endedAt - job.startedAt,
    });
    this.prune();
    if (!job.notify) return;
    const shown = snapshot(job);
    this.inbox.push(shown);
    this.hooks.onFinished?.(shown);
  }

  private takeFromInbox(jobId: string): void {
    const at = this.inbox.findIndex((j) => j.jobId === jobId);
    if (at >= 0) this.inbox.splice(at, 1);
  }

  private prune(): void {
    const ended = [...this.jobs.values()].filter((j) => j.status !== 'running');
    for (const job of ended.slice(0, Math.max(0, ended.length - KEEP_FINISHED))) this.jobs.delete(job.jobId);
  }
}

/** `bash_1a2b3c4d`, or `agent_explore_1a2b3c4d` for a sub-agent, as in the original. */
function newJobId(kind: JobKind, name: string): string {
  const suffix = randomHex(4);
  return kind === 'subagent' ? `agent_${name}_${suffix}` : `${name}_${suffix}`;
}

function jobStatus(status: ToolResultStatus): JobStatus {
  return status === 'ok' ? 'done' : status;
}

function snapshot(job: Job): JobSnapshot {
  const { controller: _c, done: _d, notify: _n, ...view } = job;
  return { ...view };
}

function abortOf(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The user message that tells the model about finished jobs. */
export function jobNotice(jobs: readonly JobSnapshot[]): string {
  return jobs
    .map((job) => {
      const what = job.kind === 'subagent' ? `Sub-agent ${job.name}` : `Background job ${job.name}`;
      const how = job.status === 'done' ? 'finished' : `ended: ${job.status}`;
      return `[${what} (${job.jobId}) ${how}]\n${job.output ?? ''}`.trimEnd();
    })
    .join('\n\n');
}
