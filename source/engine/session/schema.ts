/**
 * The `.kohakutr` file: one SQLite database per session. The `events` table
 * is the log and the source of truth; everything else (snapshots, state,
 * search indexes) can be rebuilt from it or is a cache of it.
 */

/**
 * Bumped when a file written by this version could not be read by an older one.
 * 2: `step.end`, `turn.end` and snapshots may refer to text held by delta rows (text-refs.ts).
 */
export const FORMAT_VERSION = 2;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  creature TEXT NOT NULL,
  creature_id TEXT NOT NULL,
  agent_path TEXT,
  turn INTEGER,
  branch INTEGER,
  payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, creature);

CREATE TABLE IF NOT EXISTS state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS snapshots (
  creature TEXT PRIMARY KEY,
  event_id INTEGER NOT NULL,
  turns TEXT NOT NULL,
  messages TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS subagent_runs (
  id INTEGER PRIMARY KEY,
  creature TEXT NOT NULL,
  name TEXT NOT NULL,
  job_id TEXT NOT NULL,
  turn INTEGER,
  status TEXT NOT NULL,
  messages TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS jobs (
  job_id TEXT PRIMARY KEY,
  creature TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  record TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;
