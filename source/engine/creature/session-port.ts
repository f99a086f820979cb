/**
 * What a creature needs of its session file, as a port: keep a sub-agent
 * run's conversation, and keep small named state (plugins' state) across
 * resumes. The creature is built before its file is opened for writing (so a
 * failed build writes nothing); until `connect` the port keeps state in
 * memory, and `connect` loads what the file holds and writes through from
 * then on. A creature without a session file never connects: memory only.
 */
import type { Message } from '../llm/messages.js';

/** The part of a session store the port writes to. */
export interface SessionBackend {
  getState<T>(key: string): T | undefined;
  setState(key: string, value: unknown): void;
  deleteState(key: string): void;
  /** State rows `<group>:<id>` by id. */
  statesUnder<T>(group: string): Record<string, T>;
  saveRun(run: { name: string; jobId: string; status: string; messages: Message[] }): void;
}

/** State keys the port persists; everything a plugin stores sits under one of them. */
const PLUGIN_STATE_KEY = 'plugins';

export class SessionPort {
  private backend: SessionBackend | undefined;
  private readonly state = new Map<string, unknown>();
  /** Records written before the file opened, by group then id (undefined = deleted). */
  private readonly pendingRecords = new Map<string, Map<string, unknown>>();

  /** Back the port with an open session: its saved state is loaded, and later writes go to it. */
  connect(backend: SessionBackend): void {
    this.backend = backend;
    const saved = backend.getState<Record<string, unknown>>(PLUGIN_STATE_KEY);
    // What was set before the file opened (during build) wins over what the file held.
    const pending = new Map(this.state);
    for (const [key, value] of Object.entries(saved ?? {})) this.state.set(key, value);
    for (const [key, value] of pending) this.state.set(key, value);
    if (pending.size) this.persist();
    for (const [group, records] of this.pendingRecords) for (const [id, value] of records) this.writeRecord(group, id, value);
    this.pendingRecords.clear();
  }

  /**
   * Records kept one row each (`<group>:<id>`), for state with many small
   * parts that change one at a time (a creature's triggers): writing one
   * never rewrites the others.
   */
  records<T>(group: string): Record<string, T> {
    const saved = this.backend?.statesUnder<T>(group) ?? {};
    for (const [id, value] of this.pendingRecords.get(group) ?? []) {
      if (value === undefined) delete saved[id];
      else saved[id] = value as T;
    }
    return saved;
  }

  /** Write (or with undefined, delete) one record. */
  setRecord(group: string, id: string, value: unknown): void {
    if (this.backend) this.writeRecord(group, id, value);
    else {
      const records = this.pendingRecords.get(group) ?? new Map<string, unknown>();
      records.set(id, value);
      this.pendingRecords.set(group, records);
    }
  }

  private writeRecord(group: string, id: string, value: unknown): void {
    if (value === undefined) this.backend?.deleteState(`${group}:${id}`);
    else this.backend?.setState(`${group}:${id}`, value);
  }

  get connected(): boolean {
    return this.backend !== undefined;
  }

  getState<T>(key: string): T | undefined {
    return this.state.get(key) as T | undefined;
  }

  setState(key: string, value: unknown): void {
    this.state.set(key, value);
    this.persist();
  }

  saveRun(run: { name: string; jobId: string; status: string; messages: Message[] }): void {
    this.backend?.saveRun(run);
  }

  private persist(): void {
    this.backend?.setState(PLUGIN_STATE_KEY, Object.fromEntries(this.state));
  }
}
