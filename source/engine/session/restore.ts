/**
 * A creature's state as a session left it: its conversation on the live
 * path, its turn tree, token totals and event numbering. Uses the last
 * snapshot when it lies on the live path and replays only what came after
 * it; otherwise replays the whole log.
 */
import type { OpenInteraction, RestoredState } from './records.js';
import type { EventOf } from '../events.js';
import { branchCounts, ConversationFold, FOLD_IGNORES, livePath, totalUsage, turnStartInfo } from './replay.js';
import { jobRecords } from './side-records.js';
import type { SessionStore } from './store.js';

/** State key of the branches the user picked (`/branch`), `{turn: branch}`. */
export const selectedBranchesKey = (creature: string) => `${creature}:branches`;

/** State key of a creature's scratchpad, `{name: note}`. */
export const scratchpadKey = (creature: string) => `${creature}:scratchpad`;

export function readCreatureState(store: SessionStore, creature: string, creatureId?: string): RestoredState {
  // Only branches and usage are read from these: their texts stay unresolved (resolve: false).
  const starts = [...store.events({ types: ['turn.start'], creature, resolve: false })]
    .filter((s) => s.event.agentPath.length === 1)
    .map((s) => turnStartInfo(s.event as EventOf<'turn.start'>));
  const path = livePath(starts, store.getState<Record<number, number>>(selectedBranchesKey(creature)) ?? {});
  // Snapshots are kept by instance id; files written before that keep them by name.
  const snapshot = (creatureId ? store.loadSnapshot(creatureId) : undefined) ?? store.loadSnapshot(creature);
  const usable = snapshot !== undefined && snapshot.turns.length <= path.length && snapshot.turns.every((t, i) => path[i] === t.branch);
  const fold = new ConversationFold(path, usable ? snapshot : undefined);
  for (const stored of store.events({ creature, skipTypes: FOLD_IGNORES, ...(usable ? { since: snapshot.eventId } : {}) })) fold.add(stored);
  const last = lastFigures(store, creature);
  return {
    ...last,
    openInteractions: openInteractions(store, creature),
    compactions: fold.compactions || compactionRounds(store, creature),
    messages: fold.messages,
    turns: fold.turns,
    branchCounts: branchCounts(starts),
    usage: totalUsage(store.events({ types: ['turn.end'], creature, resolve: false })),
    lastSeq: store.lastSeq(creature),
    scratchpad: store.getState<Record<string, string>>(scratchpadKey(creature)) ?? {},
    interruptedJobs: jobRecords(store, creature, 'running').map(({ status: _running, ...job }) => ({ ...job, kind: job.kind === 'subagent' ? 'subagent' : 'tool' })),
  };
}

/** The last model switched to and the last context size reported, from the creature's own events. */
function lastFigures(store: SessionStore, creature: string): { model?: string; contextTokens?: number } {
  const figures: { model?: string; contextTokens?: number } = {};
  for (const { event } of store.events({ types: ['model.changed', 'usage'], creature, resolve: false })) {
    if (event.agentPath.length !== 1) continue;
    if (event.type === 'model.changed') figures.model = event.model;
    // A round that reported no usage (cut off) says nothing about the context's size.
    else if (event.type === 'usage' && event.contextTokens > 0) figures.contextTokens = event.contextTokens;
  }
  return figures;
}

/** Requests logged without a reply: the process ended while they were open. */
function openInteractions(store: SessionStore, creature: string): OpenInteraction[] {
  const open = new Map<string, OpenInteraction>();
  for (const { event } of store.events({ types: ['interaction.request', 'interaction.reply'], creature })) {
    if (event.type === 'interaction.request') open.set(event.id, { id: event.id, kind: event.kind, payload: event.payload });
    else if (event.type === 'interaction.reply') open.delete(event.id);
  }
  return [...open.values()];
}

/** The last compaction round in the log (a snapshot taken after it holds the spliced conversation already). */
function compactionRounds(store: SessionStore, creature: string): number {
  let rounds = 0;
  for (const { event } of store.events({ types: ['compaction.end'], creature })) if (event.type === 'compaction.end' && event.status === 'done') rounds = Math.max(rounds, event.round);
  return rounds;
}
