/**
 * A running call moved to the background (Ctrl+B): its line stays
 * in the transcript, marked as backgrounded, instead of vanishing from the
 * live region; `job.end` later adds its completion.
 */
import type { EventOf } from '../../index.js';
import { addItem } from './reduce.js';
import type { ViewState } from './view.js';

export function startJob(state: ViewState, event: EventOf<'job.start'>): ViewState {
  const call = event.callId ? state.running.find((t) => t.callId === event.callId) : undefined;
  const next: ViewState = {
    ...state,
    running: call ? state.running.filter((t) => t !== call) : state.running,
    jobs: [...state.jobs, { jobId: event.jobId, kind: event.kind, name: event.name, summary: event.summary, startedAt: event.ts }],
  };
  // Sub-agents have their own lines (subagent.start / subagent.end); a call started in the
  // background never had a line of its own (the jobs strip shows it).
  if (event.kind === 'subagent' || !call) return next;
  const summary = call.summary || event.summary;
  return addItem(next, {
    kind: 'info',
    tone: 'info',
    text: `⧗ ${event.name}${summary ? ` ${summary}` : ''} · moved to the background (${event.jobId})`,
  });
}
