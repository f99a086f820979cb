/**
 * Who a creature is in an existing session file: the session id and the
 * creature's instance id from its first `creature.start`. Read before the
 * creature is built, without writing or locking anything, so a resumed
 * creature carries the same ids as before and its events, snapshots and
 * replays stay one creature's.
 */
import { existsSync } from 'node:fs';
import { SessionStore } from './store.js';

export interface SessionIdentity {
  sessionId: string;
  creatureId?: string;
}

export function readSessionIdentity(path: string, creature: string): SessionIdentity | undefined {
  if (!existsSync(path)) return undefined;
  const store = SessionStore.open(path, { readonly: true });
  try {
    const sessionId = store.meta.sessionId;
    for (const stored of store.events({ types: ['creature.start'], creature })) {
      return { sessionId, creatureId: stored.event.creatureId };
    }
    return { sessionId };
  } finally {
    store.close();
  }
}
