/**
 * The tools that manage background jobs: `jobs` lists them, `read_job`
 * shows one's result, `wait` blocks until one ends, `stop_task` cancels one.
 * They work on the creature's job store (`ctx.runtime.jobs`), which holds
 * background tool calls and sub-agents alike.
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { JobControl, JobSnapshot } from '../../engine/tools/runtime.js';
import type { ToolContext } from '../../engine/tools/tool.js';
import { didYouMean } from '../../engine/util/close-match.js';

/** Lines `read_job` shows when not told otherwise. */
const DEFAULT_LINES = 200;
const MAX_WAIT_SECONDS = 600;

function jobsOf(ctx: ToolContext, name: string): JobControl {
  const jobs = ctx.runtime.jobs;
  if (!jobs) throw new ToolError('this creature runs no background jobs here', { tool: name });
  return jobs;
}

function find(jobs: JobControl, jobId: string, name: string): JobSnapshot {
  const job = jobs.get(jobId);
  if (job) return job;
  const ids = jobs.list().map((j) => j.jobId);
  throw new ToolError(`no job '${jobId}'${didYouMean(jobId, ids)}${ids.length ? '' : ' (no jobs have run)'}`, { tool: name });
}

function age(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}` : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

function headline(job: JobSnapshot, now = Date.now()): string {
  const took = job.endedAt ? `after ${age(job.endedAt - job.startedAt)}` : `for ${age(now - job.startedAt)}`;
  const state = job.status === 'running' ? `running ${took}` : `${job.status} ${took}`;
  return `${job.jobId}  ${job.kind === 'subagent' ? 'sub-agent' : 'tool'} ${job.name}  ${state}  ${job.summary}`.trimEnd();
}

/** The job's state, then its output (a window of lines when asked). */
function report(job: JobSnapshot, offset = 0, lines = DEFAULT_LINES): string {
  const head = headline(job);
  if (job.status === 'running') return `${head}\n(still running; the result arrives by itself when it ends, or use wait)`;
  const all = (job.output ?? '').split('\n');
  const shown = all.slice(offset, offset + lines);
  const more = offset + lines < all.length ? `\n[lines ${offset + 1}-${offset + shown.length} of ${all.length}; read_job with offset ${offset + lines} for more]` : '';
  return `${head}\n${shown.join('\n')}${more}`;
}

const jobsInput = builtinInput('jobs.jobs', () => z.object({}));

export const jobsTool: ToolFactory = {
  name: 'jobs',
  description: 'List background jobs (tool calls and sub-agents): running ones first, then recent ones.',
  create: () =>
    tool({
      name: 'jobs',
      description: 'List background jobs (tool calls and sub-agents): running ones first, then recent ones.',
      doc: `List this creature's background jobs: calls started with run_in_background, calls the user moved to the background, and sub-agents. Each line: job id, kind and name, state and time, what it was asked.

Results of background jobs arrive by themselves in a later message; use this to see what is still going, read_job to see a result again, wait to block until one ends, and stop_task to cancel one.`,
      input: jobsInput,
      execute: (_args, ctx) => {
        const jobs = jobsOf(ctx, 'jobs').list();
        if (!jobs.length) return 'No background jobs.';
        const now = Date.now();
        return jobs.map((job) => headline(job, now)).join('\n');
      },
    }),
};

const readJobInput = builtinInput('jobs.readJob', () => z.object({
  job_id: z.string().min(1).describe('The job id, e.g. bash_1a2b3c4d or agent_explore_1a2b3c4d.'),
  offset: z.number().int().min(0).default(0).describe('First output line to show, from 0.'),
  lines: z.number().int().min(1).max(5000).default(DEFAULT_LINES).describe('How many lines to show.'),
}));

export const readJobTool: ToolFactory = {
  name: 'read_job',
  description: "Show a background job's state and result (a window of its output lines).",
  create: () =>
    tool({
      name: 'read_job',
      description: "Show a background job's state and result (a window of its output lines).",
      doc: `Show one background job: its state, and once it ended, its output. Long output is shown a window at a time: \`offset\` is the first line (from 0), \`lines\` how many (default ${DEFAULT_LINES}).`,
      input: readJobInput,
      execute: ({ job_id, offset, lines }, ctx) => report(find(jobsOf(ctx, 'read_job'), job_id, 'read_job'), offset, lines),
    }),
};

const waitInput = builtinInput('jobs.wait', () => z.object({
  job_id: z.string().min(1).describe('The job to wait for.'),
  timeout: z.number().positive().max(MAX_WAIT_SECONDS).default(60).describe('Seconds to wait at most.'),
}));

export const waitTool: ToolFactory = {
  name: 'wait',
  description: 'Wait until a background job ends (or a timeout passes), then show its result.',
  create: () =>
    tool({
      name: 'wait',
      description: 'Wait until a background job ends (or a timeout passes), then show its result.',
      doc: `Block until the job ends, then show its state and output, like read_job. \`timeout\` is in seconds (default 60, at most ${MAX_WAIT_SECONDS}); when it passes first, the job keeps running and this says so. Only wait when you cannot do anything useful until the result is in: results arrive by themselves anyway.`,
      input: waitInput,
      execute: async ({ job_id, timeout }, ctx) => {
        const jobs = jobsOf(ctx, 'wait');
        find(jobs, job_id, 'wait');
        const job = await jobs.wait(job_id, { signal: ctx.signal, timeoutMs: timeout * 1000 });
        return job.status === 'running' ? `${headline(job)}\n(still running after waiting ${timeout}s)` : report(job);
      },
    }),
};

const stopTaskInput = builtinInput('jobs.stopTask', () => z.object({ job_id: z.string().min(1).describe('The job to cancel.') }));

export const stopTaskTool: ToolFactory = {
  name: 'stop_task',
  description: 'Cancel a running background job (tool call or sub-agent); its process tree is killed.',
  create: () =>
    tool({
      name: 'stop_task',
      description: 'Cancel a running background job (tool call or sub-agent); its process tree is killed.',
      doc: 'Cancel a running background job by id. A shell command is killed with its children; a sub-agent stops mid-turn. The job then ends with status cancelled; its partial output stays readable with read_job.',
      input: stopTaskInput,
      execute: ({ job_id }, ctx) => {
        const jobs = jobsOf(ctx, 'stop_task');
        const job = find(jobs, job_id, 'stop_task');
        if (!jobs.stop(job_id)) throw new ToolError(`job ${job_id} is not running (${job.status})`, { tool: 'stop_task' });
        return `Stopping job ${job_id} (${job.name}).`;
      },
    }),
};
