/**
 * Tool calls across faults. Each call has an idempotency key (the creature,
 * its agent path, the turn and the call id); the host grants a key once per
 * placement epoch, so a call runs at most once even when a worker retries
 * after losing the host's reply or comes back from a partition.
 *
 * A creature moved from a failed worker continues from the host's copy of
 * its log. Its last turn may have stopped anywhere: a call started but
 * never answered, the round's assistant message never logged (it is logged
 * after the round's tools finish). `closeUnfinishedTurn` writes what the
 * creature would have logged had the turn been interrupted there: each
 * unanswered call gets an `interrupted` result saying it may or may not have
 * taken effect and was not run again, the round's assistant message with its
 * calls, and a `turn.end` with a note. The restarted model therefore sees the
 * calls it made and never re-issues one blindly; nothing is re-executed.
 */
import type { AgentEvent, EventOf } from '../events.js';
import type { HistoryEvent } from './protocol.js';

/** A call's idempotency key. */
export function callKey(creature: string, agentPath: readonly string[], turnId: string | null, callId: string): string {
  return `${creature}|${agentPath.join('/')}|${turnId ?? '-'}|${callId}`;
}

export const INTERRUPTED_CALL_NOTE = (node: string) =>
  `Interrupted: the worker running this call (${node}) failed before it returned. It may or may not have taken effect, and it was not run again; check before repeating it.`;

type Draft = HistoryEvent & { event: AgentEvent };

/**
 * The events that close a creature's unfinished last turn (none when its
 * last turn ended). Their seqs follow the creature's highest; pass them to
 * the session log and to the restarted creature's history alike.
 */
export function closeUnfinishedTurn(history: readonly HistoryEvent[], creature: string, node: string, now = Date.now()): HistoryEvent[] {
  const own = history.filter((h) => h.event.agentPath.length === 1 && h.event.agentPath[0] === creature);
  let start = -1;
  for (let i = own.length - 1; i >= 0; i--) {
    if (own[i]!.event.type === 'turn.start') {
      start = i;
      break;
    }
  }
  if (start < 0) return [];
  const opening = own[start]!;
  const turn = own.slice(start);
  if (turn.some((h) => h.event.type === 'turn.end')) return [];
  const base = opening.event as EventOf<'turn.start'>;
  let seq = Math.max(...own.map((h) => h.event.seq));
  const envelope = () => ({ seq: ++seq, ts: now, sessionId: base.sessionId, creatureId: base.creatureId, turnId: base.turnId, agentPath: base.agentPath });
  const out: Draft[] = [];
  const push = (event: AgentEvent) => out.push({ event, turn: opening.turn, branch: opening.branch });

  const calls = turn.filter((h) => h.event.type === 'tool.call').map((h) => h.event as EventOf<'tool.call'>);
  const answered = new Set(turn.filter((h) => h.event.type === 'tool.result').map((h) => (h.event as EventOf<'tool.result'>).callId));
  const ended = new Set(turn.filter((h) => h.event.type === 'step.end').map((h) => (h.event as EventOf<'step.end'>).step));
  let model = '';
  for (const h of own) if (h.event.type === 'step.end' || h.event.type === 'creature.start') model = h.event.model;
  for (const call of calls) {
    if (answered.has(call.callId)) continue;
    push({ ...envelope(), type: 'tool.result', callId: call.callId, name: call.name, output: INTERRUPTED_CALL_NOTE(node), isError: true, status: 'interrupted', durationMs: 0 });
  }
  // The round whose calls ran when the worker died: its assistant message was never logged.
  const open = [...new Set(calls.map((c) => c.step))].filter((step) => !ended.has(step));
  for (const step of open) {
    const text = turn
      .filter((h) => h.event.type === 'text.delta' && h.event.step === step)
      .map((h) => (h.event as EventOf<'text.delta'>).text)
      .join('');
    const toolCalls = calls.filter((c) => c.step === step).map((c) => ({ id: c.callId, name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args ?? {}) }));
    push({
      ...envelope(),
      type: 'step.end',
      step,
      text,
      toolCalls,
      finishReason: 'interrupted',
      model,
      usage: { input: 0, output: 0, cached: 0 },
      timings: { ttftMs: null, modelMs: 0, toolsMs: 0, overheadMs: 0 },
    });
  }
  const steps = new Set([...ended, ...open]).size;
  push({
    ...envelope(),
    type: 'turn.end',
    turnIndex: base.turnIndex,
    status: 'interrupted',
    text: '',
    usage: { input: 0, output: 0, cached: 0 },
    steps,
    toolCalls: calls.length,
    durationMs: now - base.ts,
    note: `[This turn was cut off: worker ${node} failed during it, and the lab moved me to another worker.]`,
  });
  return out;
}
