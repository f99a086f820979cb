/**
 * A creature joining a session file it does not own (a terrarium's, see
 * `SessionHandle` in records.ts). Restore and recording work as for a file
 * of its own, keyed by the creature's name; the owner keeps the lock and
 * closes the store. A new member's `creature.start`/`system.prompt` are
 * written when it joins, so every creature in the file starts with them.
 */
import type { AgentEvent } from '../events.js';
import type { RestoredState, SessionHandle } from './records.js';
import { readCreatureState } from './restore.js';
import { saveJob } from './side-records.js';
import type { SessionStore } from './store.js';

export interface JoinedSession {
  store: SessionStore;
  sessionId: string;
  path: string;
  restored?: RestoredState;
  logged: readonly AgentEvent[];
  /** The store belongs to someone else: the recorder must not close it. */
  shared: true;
}

/** The ids a shared file already gives this creature, from its first `creature.start`. */
export function sharedIdentity(handle: SessionHandle, creature: string): { sessionId: string; creatureId?: string } {
  const store = handle.store;
  if (!store) return { sessionId: handle.sessionId };
  for (const stored of store.events({ types: ['creature.start'], creature })) return { sessionId: store.meta.sessionId, creatureId: stored.event.creatureId };
  return { sessionId: store.meta.sessionId };
}

export function joinSharedSession(handle: SessionHandle, creature: { name: string; creatureId: string; firstEvents: readonly AgentEvent[] }): JoinedSession {
  const { name } = creature;
  const existing = handle.store;
  if (existing && hasStarted(existing, name)) {
    const restored = readCreatureState(existing, name, creature.creatureId);
    // As for a file of its own: jobs running when the process ended are interrupted now.
    for (const job of restored.interruptedJobs ?? []) saveJob(existing, name, { ...job, status: 'interrupted', endedAt: Date.now() });
    addAgent(existing, name);
    return { store: existing, sessionId: existing.meta.sessionId, path: existing.path, restored, logged: [], shared: true };
  }
  const sessionId = existing?.meta.sessionId ?? handle.sessionId;
  const firstEvents = creature.firstEvents.map((e) => ({ ...e, sessionId }));
  let store: SessionStore;
  if (existing) {
    store = existing;
    for (const event of firstEvents) store.append(event, { turn: null, branch: null });
    store.flush();
  } else {
    store = handle.open(firstEvents, name);
  }
  addAgent(store, name);
  return { store, sessionId, path: store.path, logged: firstEvents, shared: true };
}

function hasStarted(store: SessionStore, name: string): boolean {
  for (const _ of store.events({ types: ['creature.start'], creature: name })) return true;
  return false;
}

/** `meta.agents` lists every creature the file holds, in the order they joined. */
function addAgent(store: SessionStore, name: string): void {
  const agents = store.meta.agents ?? [];
  if (!agents.includes(name)) store.updateMeta({ agents: [...agents, name] });
}
