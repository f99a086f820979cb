/**
 * A creature's recording moved to another session file while it runs: a
 * terrarium whose graphs merge or split gives the members of a changed graph
 * the graph's new file. The new file already holds the creature's history
 * (copied by the terrarium before the move); from the move on, its events,
 * plugin state and sub-agent runs go there, and tools find the new file.
 * Synchronous on purpose: between the copy and the move no event may land
 * in the old file, so nothing the creature does falls between the two.
 */
import { SessionError } from '../errors.js';
import type { SessionHandle } from '../session/records.js';
import type { ToolSession } from '../tools/tool.js';
import type { BusIdentity } from './bus.js';
import type { SessionBackend, SessionPort } from './session-port.js';

/** A recorder as the creature holds it (session/recorder.ts; structural, the session code loads lazily). */
export interface HeldRecorder {
  release(): void;
  close(): void;
}

/** What a move needs, made at build time when the session code is loaded: so the move itself needs no import. */
export interface SessionLink {
  recorder: HeldRecorder;
  /** A recorder following this creature into `store` (which owns nothing: the file's owner closes it). */
  follow(store: NonNullable<SessionHandle['store']>): HeldRecorder;
  backend(store: NonNullable<SessionHandle['store']>): SessionBackend;
}

export function moveRecording(link: SessionLink, handle: SessionHandle, parts: { port: SessionPort; toolSession: ToolSession; identity: BusIdentity }): string {
  const store = handle.store;
  if (!store) throw new SessionError(`the session file ${handle.sessionId} a creature was moved to is not open`);
  link.recorder.release();
  link.recorder = link.follow(store);
  parts.port.connect(link.backend(store));
  parts.toolSession.state.set('session.path', store.path);
  parts.toolSession.state.set('session.artifacts', store.artifacts.dir);
  // Events from now on carry the file's id, as a creature built on it would.
  parts.identity.sessionId = store.meta.sessionId;
  return store.path;
}
