/**
 * A creature's state as a session left it: its conversation on the live
 * path, its turn tree, token totals and event numbering. Uses the last
 * snapshot when it lies on the live path and replays only what came after
 * it; otherwise replays the whole log.
 */
import type { RestoredState } from '../creature/agent.js';
import type { EventOf } from '../events.js';
import { branchCounts, ConversationFold, livePath, totalUsage, turnStartInfo } from './replay.js';
import { jobRecords } from './side-records.js';
import type { SessionStore } from './store.js';

/** State key of the branches the user picked (`/branch`), `{turn: branch}`. */
export const selectedBranchesKey = (creature: string) => `${creature}:branches`;

/** State key of a creature's scratchpad, `{name: note}`. */
export const scratchpadKey = (creature: string) => `${creature}:scratchpad`;

export function readCreatureState(store: SessionStore, creature: string): RestoredState {
  const starts = [...store.events({ types: ['turn.start'], creature })]
    .filter((s) => s.event.agentPath.length === 1)
    .map((s) => turnStartInfo(s.event as EventOf<'turn.start'>));
  const path = livePath(starts, store.getState<Record<number, number>>(selectedBranchesKey(creature)) ?? {});
  const snapshot = store.loadSnapshot(creature);
  const usable = snapshot !== undefined && snapshot.turns.length <= path.length && snapshot.turns.every((t, i) => path[i] === t.branch);
  const fold = new ConversationFold(path, usable ? snapshot : undefined);
  for (const stored of store.events({ creature, ...(usable ? { since: snapshot.eventId } : {}) })) fold.add(stored);
  return {
    messages: fold.messages,
    turns: fold.turns,
    branchCounts: branchCounts(starts),
    usage: totalUsage(store.events({ types: ['turn.end'], creature })),
    lastSeq: store.lastSeq(creature),
    scratchpad: store.getState<Record<string, string>>(scratchpadKey(creature)) ?? {},
    interruptedJobs: jobRecords(store, creature, 'running').map(({ status: _running, ...job }) => ({ ...job, kind: job.kind === 'subagent' ? 'subagent' : 'tool' })),
  };
}
