/**
 * The owner's side of a shared session file (`SessionHandle`): created on
 * first use (atomically, 0600, with the first creature's opening events),
 * or opened when it exists; holds the file's lock until `close`. Creatures
 * built on it record into the one store; only the owner closes it.
 */
import { hostname } from 'node:os';
import type { AgentEvent } from '../events.js';
import type { SessionMeta } from './meta.js';
import type { SessionHandle } from './records.js';
import { newSessionId } from './attach.js';
import { SessionStore } from './store.js';

/** What a new file's meta says besides what the file works out itself (id, format, times, agents, host). */
export type SharedMeta = Omit<SessionMeta, 'sessionId' | 'formatVersion' | 'createdAt' | 'lastActive' | 'agents' | 'turns' | 'hostname' | 'nodeVersion'>;

export class SharedSessionFile implements SessionHandle {
  private current: SessionStore | undefined;
  readonly sessionId: string;

  private constructor(
    readonly path: string,
    private readonly meta: () => SharedMeta,
    store?: SessionStore,
  ) {
    this.current = store;
    this.sessionId = store?.meta.sessionId ?? newSessionId();
  }

  /** A file to create at `path` when the first creature joins; `meta` is read then. */
  static create(path: string, meta: () => SharedMeta): SharedSessionFile {
    return new SharedSessionFile(path, meta);
  }

  /** An existing file, opened as its owner (its lock taken: a second owner gets `SessionBusyError`). */
  static open(path: string): SharedSessionFile {
    const store = SessionStore.open(path, { owner: true });
    return new SharedSessionFile(path, () => ({ ...store.meta }), store);
  }

  /** A file just made (a graph's merge or split, graph-files.ts), owned from now on. */
  static adopt(store: SessionStore): SharedSessionFile {
    return new SharedSessionFile(store.path, () => ({ ...store.meta }), store);
  }

  get store(): SessionStore | undefined {
    return this.current;
  }

  open(firstEvents: readonly AgentEvent[], creature: string): SessionStore {
    if (this.current) return this.current;
    const now = Date.now();
    this.current = SessionStore.create(
      this.path,
      { ...this.meta(), sessionId: this.sessionId, createdAt: now, lastActive: now, agents: [creature], turns: 0, hostname: hostname(), nodeVersion: process.version },
      { firstEvents },
    );
    return this.current;
  }

  /** Flush and close the store and release the lock. Idempotent; call after every creature on it stopped. */
  close(): void {
    this.current?.close();
  }
}
