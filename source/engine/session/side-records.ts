/**
 * The session's side tables: background jobs (so a resume knows which were
 * cut off) and sub-agent runs (each run's final conversation). Both follow
 * the event log; neither is needed to rebuild the creature's conversation.
 */
import type { SessionStore } from './store.js';

/** A background job as the session keeps it. */
export interface JobRecord {
  jobId: string;
  kind: string;
  name: string;
  summary: string;
  status: string;
  startedAt: number;
  endedAt?: number;
  output?: string;
  isError?: boolean;
}

export interface SubagentRun {
  creature: string;
  name: string;
  jobId: string;
  turn: number | null;
  status: string;
  messages: unknown[];
}

/** Insert or update a background job's record. */
export function saveJob(store: SessionStore, creature: string, job: JobRecord): void {
  store.use(
    (db) =>
      db
        .prepare(
          'INSERT INTO jobs (job_id, creature, kind, status, record, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(job_id) DO UPDATE SET status = excluded.status, record = excluded.record, updated_at = excluded.updated_at',
        )
        .run(job.jobId, creature, job.kind, job.status, JSON.stringify(job), Date.now()),
    'write',
  );
}

/** A creature's job records (of one status, when given), oldest first. */
export function jobRecords(store: SessionStore, creature: string, status?: string): JobRecord[] {
  const rows = store.use(
    (db) =>
      (status
        ? db.prepare('SELECT record FROM jobs WHERE creature = ? AND status = ? ORDER BY updated_at').all(creature, status)
        : db.prepare('SELECT record FROM jobs WHERE creature = ? ORDER BY updated_at').all(creature)) as Array<{ record: string }>,
  );
  return rows.map((r) => JSON.parse(r.record) as JobRecord);
}

/** Record one finished sub-agent run with its conversation (images go to the artifacts folder). */
export function saveSubagentRun(store: SessionStore, run: SubagentRun): void {
  store.use(
    (db) =>
      db
        .prepare('INSERT INTO subagent_runs (creature, name, job_id, turn, status, messages, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(run.creature, run.name, run.jobId, run.turn, run.status, store.artifacts.pack(run.messages), Date.now()),
    'write',
  );
}

/** A creature's sub-agent runs, oldest first. */
export function subagentRuns(store: SessionStore, creature: string): SubagentRun[] {
  const rows = store.use(
    (db) =>
      db.prepare('SELECT name, job_id, turn, status, messages FROM subagent_runs WHERE creature = ? ORDER BY id').all(creature) as Array<{
        name: string;
        job_id: string;
        turn: number | null;
        status: string;
        messages: string;
      }>,
  );
  return rows.map((r) => ({ creature, name: r.name, jobId: r.job_id, turn: r.turn, status: r.status, messages: store.artifacts.unpack<unknown[]>(r.messages) }));
}
