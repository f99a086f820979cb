/**
 * What a session keeps of a creature's triggers: the kind and options of
 * each resumable trigger made at run time (by a setup tool or code), and the
 * small state every trigger saved (a timer's next due time, a schedule's
 * last run). Config triggers are rebuilt from the config and get their state
 * back by id.
 */
import type { TriggerOrigin } from './trigger.js';

export interface TriggerSpec {
  kind: string;
  options: Record<string, unknown>;
}

export interface PersistedTrigger extends TriggerSpec {
  id: string;
  name: string;
  origin: TriggerOrigin;
}

export interface PersistedTriggers {
  version: 1;
  records: PersistedTrigger[];
  /** Saved state by trigger id. */
  states: Record<string, Record<string, unknown>>;
}

/** One trigger's row: its spec when a resume must rebuild it, and its saved state. */
export interface TriggerRow {
  record?: PersistedTrigger;
  state?: Record<string, unknown>;
  /** Position among the creature's triggers (rows are stored by id; lists keep the order they were added in). */
  order?: number;
}

/** Where the rows live (the creature's session state, one row per trigger, so saving one never rewrites the others). */
export interface TriggerStore {
  load(): Record<string, TriggerRow>;
  save(id: string, row: TriggerRow | undefined): void;
}

/** The rows as the manager reads them at start. */
export function fromRows(rows: Record<string, TriggerRow>): PersistedTriggers {
  const persisted: PersistedTriggers = { version: 1, records: [], states: {} };
  const ordered = Object.entries(rows).sort(([a, x], [b, y]) => (x.order ?? 0) - (y.order ?? 0) || a.localeCompare(b));
  for (const [id, row] of ordered) {
    if (row.record) persisted.records.push(row.record);
    if (row.state) persisted.states[id] = row.state;
  }
  return persisted;
}

export function restoredRecords(persisted: PersistedTriggers | undefined): PersistedTrigger[] {
  return persisted?.version === 1 ? persisted.records : [];
}
