/**
 * A member's agent events as engine events (the original's kinds): its
 * text, its activity (tools, sub-agents, triggers, compaction), turn start
 * and end, errors. Also where a turn ends for output wiring: with the
 * number of wire hops that led to it, so a loop of wires stops.
 */
import type { AgentEvent, EventOf } from '../events.js';
import type { EngineEvent } from './engine-events.js';
import type { TerrariumCreature } from './member.js';

const ACTIVITY = ['tool.', 'subagent.', 'trigger.', 'compaction.', 'job.', 'interaction.'];

export function memberEvents(
  member: TerrariumCreature,
  emit: (event: Omit<EngineEvent, 'ts'>) => void,
  turnEnded: (event: EventOf<'turn.end'>, hops: number) => void,
): () => void {
  // Hops of wire-started turns, from the fire that started them.
  const hops = new Map<string, number>();
  return member.agent.on((event: AgentEvent) => {
    const base = { creatureId: member.id, creature: member.name };
    const own = event.agentPath.length === 1;
    if (event.type === 'text.delta' && own) emit({ ...base, kind: 'text', payload: { text: event.text, turnId: event.turnId } });
    else if (event.type === 'turn.start' && own) emit({ ...base, kind: 'processing_start', payload: { turnId: event.turnId, source: event.source, ...(event.origin ? { origin: event.origin } : {}) } });
    else if (event.type === 'turn.end' && own) {
      emit({ ...base, kind: 'processing_end', payload: { turnId: event.turnId, status: event.status, text: event.text } });
      const n = event.turnId ? (hops.get(event.turnId) ?? 0) : 0;
      if (event.turnId) hops.delete(event.turnId);
      turnEnded(event, n);
    } else if (event.type === 'error') emit({ ...base, kind: 'error', payload: { error: event.error, fatal: event.fatal } });
    if (event.type === 'trigger.fired' && event.kind === 'wire' && event.turnId) hops.set(event.turnId, Number(event.context?.hops ?? 1));
    if (ACTIVITY.some((prefix) => event.type.startsWith(prefix))) emit({ ...base, kind: 'activity', payload: { type: event.type, event } });
  });
}
