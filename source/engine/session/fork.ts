/**
 * `kt fork` / `/fork`: a new session file holding a session's log up to an
 * event, to continue from there without touching the original. A cut inside
 * a tool call (the call logged, its result not yet) is refused: the copy
 * would start with a question nobody answered.
 */
import { cpSync, existsSync } from 'node:fs';
import type { EventOf } from '../events.js';
import { SessionError } from '../errors.js';
import { artifactsDir } from './artifacts.js';
import { newSessionId } from './attach.js';
import type { SessionMeta } from './meta.js';
import { SessionStore } from './store.js';

export interface ForkResult {
  path: string;
  sessionId: string;
  /** Events copied. */
  events: number;
  /** The last event copied. */
  upTo: number;
}

export function forkSession(source: string, target: string, options: { upTo?: number } = {}): ForkResult {
  const from = SessionStore.open(source, { readonly: true });
  let meta: SessionMeta;
  let cut: number;
  let turns = 0;
  try {
    meta = from.meta;
    const last = from.lastEventId();
    cut = options.upTo ?? last;
    if (!Number.isInteger(cut) || cut < 1 || cut > last) throw new SessionError(`event ${cut} is not in ${source} (events 1 to ${last})`);
    const open = new Map<string, { name: string; id: number }>();
    for (const { id, event } of from.events({ until: cut, types: ['tool.call', 'tool.result', 'turn.end'] })) {
      if (event.type === 'tool.call') open.set(event.callId, { name: event.name, id });
      else if (event.type === 'tool.result') open.delete((event as EventOf<'tool.result'>).callId);
      else if (event.agentPath.length === 1) turns++;
    }
    const pending = [...open.entries()][0];
    if (pending) {
      const [callId, call] = pending;
      const answer = [...from.events({ since: cut, types: ['tool.result'] })].find((s) => s.event.type === 'tool.result' && s.event.callId === callId);
      throw new SessionError(
        `cannot fork at event ${cut}: it falls inside the ${call.name} call ${callId} (logged at ${call.id})${answer ? `; fork at ${answer.id} or later, or before ${call.id}` : ''}`,
        { code: 'FORK_NOT_STABLE' },
      );
    }
  } finally {
    from.close();
  }
  const sessionId = newSessionId();
  const now = Date.now();
  const { formatVersion: _version, ...rest } = meta;
  const copy = SessionStore.create(target, { ...rest, sessionId, createdAt: now, lastActive: now, turns, forkedFrom: { sessionId: meta.sessionId, path: source, eventId: cut } });
  try {
    const db = copy.database;
    db.prepare('ATTACH DATABASE ? AS source').run(source);
    db.transaction(() => {
      db.prepare('INSERT INTO events SELECT * FROM source.events WHERE id <= ?').run(cut);
      // Search indexes are not copied, so neither is the state that says what they hold.
      db.prepare("INSERT INTO state SELECT * FROM source.state WHERE key NOT LIKE 'search.%' AND key NOT LIKE 'embedding.%'").run();
      db.prepare('INSERT INTO snapshots SELECT * FROM source.snapshots WHERE event_id <= ?').run(cut);
    })();
    db.prepare('DETACH DATABASE source').run();
    // The copied log refers to the same artifact files.
    if (existsSync(artifactsDir(source))) cpSync(artifactsDir(source), artifactsDir(target), { recursive: true });
    return { path: target, sessionId, events: cut, upTo: cut };
  } finally {
    copy.close();
  }
}
