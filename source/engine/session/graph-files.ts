/**
 * A terrarium graph's session file when graphs merge or split
 * (terrarium/graphs.ts). Nothing is dropped: the files a new one is made
 * from stay on disk, and its meta names them (`parentSessionIds`, with
 * `mergedAt` or `splitAt`).
 *
 * Merge: the surviving graph's file (the first source) is copied raw, row ids
 * kept, so its text references (text-refs.ts) stay valid; every other
 * source's events are then read back whole (references resolved, images
 * restored) and appended through the store's ordinary path, so their
 * references are written again against the new rows. Turn and branch
 * positions, seq, ts and instance ids are kept; only log ids change. Their
 * snapshots are not copied (they name the old ids): those creatures restore
 * by replaying the log until their next snapshot.
 *
 * Split: a raw copy of the whole file for each part that leaves.
 *
 * Both build the new file completely before it appears (create.ts).
 */
import { cpSync, existsSync } from 'node:fs';
import { SessionError } from '../errors.js';
import { artifactsDir } from './artifacts.js';
import { newSessionId } from './attach.js';
import type { SessionMeta } from './meta.js';
import { SessionStore } from './store.js';

/** Search indexes are not copied (they are rebuilt), so neither is the state saying what they hold. */
const COPIED_STATE = "key NOT LIKE 'search.%' AND key NOT LIKE 'embedding.%'";
/** Appended events are committed in batches of this many (the buffer stays small on a long log). */
const BATCH = 1000;

/** A new file at `target` holding every source's history; the first source's rows keep their ids. */
export function mergeSessionFiles(target: string, sources: readonly SessionStore[], at = Date.now()): SessionStore {
  const [first, ...rest] = sources;
  if (!first || !rest.length) throw new SessionError(`merging sessions into ${target} needs two files or more`);
  for (const source of sources) source.flush();
  const metas = sources.map((s) => s.meta);
  const meta: Omit<SessionMeta, 'formatVersion'> = {
    ...lineageFree(first.meta),
    sessionId: newSessionId(),
    createdAt: at,
    lastActive: at,
    agents: [...new Set(metas.flatMap((m) => m.agents))],
    turns: metas.reduce((sum, m) => sum + m.turns, 0),
    parentSessionIds: metas.map((m) => m.sessionId),
    mergedAt: at,
  };
  for (const source of sources) copyArtifacts(source.path, target);
  return SessionStore.create(target, meta, {
    populate: (draft) => {
      copyRaw(draft, first.path, { snapshots: true });
      for (const source of rest) {
        for (const stored of source.events()) {
          draft.append(stored.event, { turn: stored.turn, branch: stored.branch });
          if (draft.unflushed >= BATCH) draft.flush();
        }
        draft.flush();
        copyRaw(draft, source.path, { events: false, snapshots: false });
      }
    },
  });
}

/** A new file at `target` with all of `source`'s history: what a part leaving a split graph continues in. */
export function splitSessionFile(source: SessionStore, target: string, at = Date.now()): SessionStore {
  source.flush();
  const meta: Omit<SessionMeta, 'formatVersion'> = {
    ...lineageFree(source.meta),
    sessionId: newSessionId(),
    createdAt: at,
    lastActive: at,
    parentSessionIds: [source.meta.sessionId],
    splitAt: at,
  };
  copyArtifacts(source.path, target);
  return SessionStore.create(target, meta, { populate: (draft) => copyRaw(draft, source.path, { snapshots: true }) });
}

function lineageFree(meta: SessionMeta): Omit<SessionMeta, 'formatVersion'> {
  const { formatVersion: _version, parentSessionIds: _parents, mergedAt: _merged, splitAt: _split, ...rest } = meta;
  return rest;
}

/**
 * Rows of `source` into the draft as they are. Events (when copied) keep their
 * ids, so this runs first, on an empty log. State, jobs and sub-agent runs
 * already in the draft win over the source's (the surviving graph's do).
 */
function copyRaw(draft: SessionStore, source: string, what: { events?: boolean; snapshots: boolean }): void {
  draft.use((db) => {
    db.prepare('ATTACH DATABASE ? AS source').run(source);
    try {
      db.transaction(() => {
        if (what.events ?? true) db.prepare('INSERT INTO events SELECT * FROM source.events').run();
        db.prepare(`INSERT OR IGNORE INTO state SELECT * FROM source.state WHERE ${COPIED_STATE}`).run();
        if (what.snapshots) db.prepare('INSERT OR IGNORE INTO snapshots SELECT * FROM source.snapshots').run();
        db.prepare('INSERT OR IGNORE INTO jobs SELECT * FROM source.jobs').run();
        db.prepare(
          'INSERT INTO subagent_runs (creature, name, job_id, turn, status, messages, created_at) SELECT creature, name, job_id, turn, status, messages, created_at FROM source.subagent_runs ORDER BY id',
        ).run();
      })();
    } finally {
      db.prepare('DETACH DATABASE source').run();
    }
  }, 'write');
}

/** Artifacts are stored by content hash: copying one folder into another never clashes. */
function copyArtifacts(source: string, target: string): void {
  if (existsSync(artifactsDir(source))) cpSync(artifactsDir(source), artifactsDir(target), { recursive: true });
}
