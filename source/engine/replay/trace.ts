/**
 * A creature's behaviour as the comparison sees it, lane by lane: the
 * system prompt and tool set it started with, each tool call in order with
 * its arguments and (attached by call id, so parallel calls finishing in
 * another order change nothing) its result, and each turn's final answer.
 * Built the same way from the recorded events and from the replay's.
 */
import { parseTurnId, type AgentEvent } from '../events.js';
import { LaneTracker, MAIN_LANE } from './lanes.js';

export interface TraceResult {
  output: string;
  isError: boolean;
}

export type TraceItem =
  | { kind: 'prompt'; text: string; at: number }
  | { kind: 'tools'; names: string[]; at: number }
  | { kind: 'call'; turn: number | null; step: number; callId: string; name: string; args: unknown; result?: TraceResult; at: number }
  | { kind: 'answer'; turn: number | null; status: string; text: string; at: number };

export interface Trace {
  lanes: Map<string, TraceItem[]>;
  /** Lanes in the order they first appeared. */
  order: string[];
}

/** Strings of one side made comparable with the other's (scratch folder → recorded folder, dates masked). */
export type Normalise = (text: string) => string;

/** `positions`: each event's place in the log (a team's members interleave); default its index. */
export function traceOf(events: Iterable<AgentEvent>, normalise: Normalise = (t) => t, positions?: readonly number[]): Trace {
  const lanes = new LaneTracker();
  const trace: Trace = { lanes: new Map(), order: [] };
  const calls = new Map<string, Extract<TraceItem, { kind: 'call' }>>();
  const jobCalls = new Map<string, string>();
  const add = (lane: string, item: TraceItem) => {
    let list = trace.lanes.get(lane);
    if (!list) {
      list = [];
      trace.lanes.set(lane, list);
      trace.order.push(lane);
    }
    list.push(item);
  };
  let index = 0;
  let at = 0;
  let lastPrompt: string | undefined;
  for (const event of events) {
    at = positions?.[index] ?? index + 1;
    index++;
    lanes.observe(event);
    switch (event.type) {
      case 'creature.start':
        if (event.agentPath.length === 1) add(MAIN_LANE, { kind: 'tools', names: [...event.tools].sort(), at });
        break;
      case 'system.prompt':
        // A prompt logged again unchanged (a resume) is not a change of behaviour.
        if (event.agentPath.length === 1 && event.text !== lastPrompt) {
          // Prompts that follow each other with nothing done in between (a team's section growing
          // as its members are built) count as the last one: the prompt the creature acted on.
          const last = trace.lanes.get(MAIN_LANE)?.at(-1);
          if (last?.kind === 'prompt') Object.assign(last, { text: event.text, at });
          else add(MAIN_LANE, { kind: 'prompt', text: event.text, at });
        }
        lastPrompt = event.text;
        break;
      case 'tool.call': {
        const item: TraceItem = { kind: 'call', turn: parseTurnId(event.turnId).turn, step: event.step, callId: event.callId, name: event.name, args: event.args, at };
        calls.set(event.callId, item);
        add(lanes.laneOf(event), item);
        break;
      }
      case 'tool.result': {
        const call = calls.get(event.callId);
        if (call) call.result = { output: event.output, isError: event.isError };
        break;
      }
      case 'job.start':
        if (event.callId) jobCalls.set(event.jobId, event.callId);
        break;
      case 'job.end': {
        const call = calls.get(jobCalls.get(event.jobId) ?? '');
        if (call) call.result = { output: event.output, isError: event.isError };
        break;
      }
      case 'turn.end':
        add(lanes.laneOf(event), { kind: 'answer', turn: event.agentPath.length === 1 ? event.turnIndex : parseTurnId(event.turnId).turn, status: event.status, text: event.text, at });
        break;
      default:
        break;
    }
  }
  // Job ids are random: name a job by the call that started it on both sides.
  const jobs = [...jobCalls].filter(([id]) => id.length > 0);
  const clean = (text: string) => normalise(jobs.reduce((t, [id, callId]) => t.split(id).join(`<job of ${callId}>`), text));
  for (const list of trace.lanes.values()) {
    for (const item of list) {
      if (item.kind === 'prompt') item.text = clean(item.text);
      else if (item.kind === 'answer') item.text = clean(item.text);
      else if (item.kind === 'call' && item.result) item.result = { ...item.result, output: clean(item.result.output) };
    }
  }
  return trace;
}
