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

/** Where the records live (the creature's session state). */
export interface TriggerStore {
  load(): PersistedTriggers | undefined;
  save(records: PersistedTriggers): void;
}

export function restoredRecords(persisted: PersistedTriggers | undefined): PersistedTrigger[] {
  return persisted?.version === 1 ? persisted.records : [];
}
