/**
 * One session file: an SQLite database in WAL mode (a reader never blocks
 * the writer, and a killed process loses at most what it had not committed).
 *
 * Events are buffered in memory and committed in one transaction per flush:
 * the recorder flushes at every turn end, on a short timer and on exit, so a
 * crash loses at most the last flush window and never corrupts the file.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ensurePrivateDir } from '../home.js';
import { SessionError } from '../errors.js';
import type { AgentEvent } from '../events.js';
import { turnIdFor } from '../events.js';
import type { LiveTurn } from './records.js';
import type { Message } from '../llm/messages.js';
import { Artifacts, artifactsDir, mayHoldLargeData } from './artifacts.js';
import { buildSessionFile, reached } from './create.js';
import { openForCheck, validate } from './file-check.js';
import { guard } from './guard.js';
import { SessionLock } from './lock.js';
import type { SessionMeta } from './meta.js';
import { openDatabase } from './sqlite.js';
import { FORMAT_VERSION, SCHEMA } from './schema.js';
import { decodeRefs, DEFERRED, escapeMarkers, isDeltaType, joinParts, MARK_IN_JSON, mergeDelta, SHARED_MIN, TextLedger, type FreshField, type PendingRow } from './text-refs.js';

/** An event as stored: its log id, and where in the turn/branch tree it sits. */
export interface StoredEvent {
  id: number;
  event: AgentEvent;
  creature: string;
  turn: number | null;
  branch: number | null;
}

export interface EventQuery {
  /** Only events with a larger id. */
  since?: number;
  /** Only events with an id up to and including this. */
  until?: number;
  types?: readonly string[];
  /** Leave out events of these types (read in log order all the same; a `types` list of several would be sorted). */
  skipTypes?: readonly string[];
  creature?: string;
  /**
   * `false`: payloads as stored — text references, escapes and artifact
   * names left unresolved, nothing learned — for readers that only need
   * numbers and ids (a turn's branch, its usage). Resolving them reads other
   * rows; skipping it keeps a scan of a long log cheap.
   */
  resolve?: boolean;
  /**
   * `false`: do not note the long texts read as referable by later writes.
   * For readers that copy text elsewhere (the search index), where noting
   * each one costs a hash and memory and helps no later write.
   */
  learn?: boolean;
  /**
   * `false`: each event is its payload object with only `type`, `ts` and `agentPath` added (no
   * `seq`, `sessionId`, `creatureId` or `turnId`), instead of a new object with every envelope
   * field. For readers of what events say (the search index), which then build no copy per event.
   */
  envelope?: boolean;
}

export interface Snapshot {
  /** The last event the messages include. */
  eventId: number;
  /** The live turns the messages hold (branch, where each starts, its input). */
  turns: LiveTurn[];
  messages: Message[];
}

interface Row {
  id: number;
  seq: number;
  ts: number;
  type: string;
  creature: string;
  creature_id: string;
  agent_path: string | null;
  turn: number | null;
  branch: number | null;
  payload: string;
}

const NOTHING_FRESH: ReadonlyArray<FreshField> = [];

/** An event's fields kept in columns (or derived from them), not in its payload. */
function isEnvelope(key: string): boolean {
  return key === 'type' || key === 'seq' || key === 'ts' || key === 'sessionId' || key === 'creatureId' || key === 'turnId' || key === 'agentPath';
}

export class SessionStore {
  private pending: PendingRow[] = [];
  /** Events queued since the last flush (merged deltas share a row). */
  private queued = 0;
  /** Which long texts the log holds already, so they are written once. */
  private readonly ledger = new TextLedger();
  private readonly insert: BetterSqlite3.Statement | undefined;
  /** Reads one row a text reference points at (prepared on first use: a resume resolves thousands). */
  private referredRow: BetterSqlite3.Statement | undefined;
  private closed = false;
  private metaCache: SessionMeta | undefined;
  /** Large binary data (images) kept beside the file instead of inside the log. */
  readonly artifacts: Artifacts;

  private constructor(
    readonly path: string,
    private readonly db: BetterSqlite3.Database,
    readonly readonly: boolean,
    /** Held by the store that owns the file (writes its log); released on close. */
    private readonly lock?: SessionLock,
    artifactsFor = path,
  ) {
    this.artifacts = new Artifacts(artifactsDir(artifactsFor));
    if (!readonly) {
      this.insert = db.prepare(
        'INSERT INTO events (seq, ts, type, creature, creature_id, agent_path, turn, branch, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
    }
  }

  /**
   * A new session file, owned by this process (see `open`'s `owner`). It
   * appears atomically, its meta and `firstEvents` already committed (see
   * create.ts). Refuses to overwrite a file (`SESSION_EXISTS`).
   */
  static create(
    path: string,
    meta: Omit<SessionMeta, 'formatVersion'>,
    options: {
      firstEvents?: readonly AgentEvent[];
      /** Fill the new file from others (a merge, a split: graph-files.ts) before it appears; the draft writes as a store does. */
      populate?: (draft: SessionStore) => void;
    } = {},
  ): SessionStore {
    ensurePrivateDir(dirname(path));
    const lock = SessionLock.acquire(path);
    try {
      reached('locked');
      if (existsSync(path)) throw new SessionError(`a session file already exists at ${path}`, { code: 'SESSION_EXISTS' });
      buildSessionFile(path, (db, temp) => {
        const draft = new SessionStore(temp, db, false, undefined, path);
        draft.writeMeta({ ...meta, formatVersion: FORMAT_VERSION });
        reached('meta');
        for (const event of options.firstEvents ?? []) draft.append(event, { turn: null, branch: null });
        draft.flush();
        reached('first-events');
      }, options.populate ? (db, temp) => {
        const draft = new SessionStore(temp, db, false, undefined, path);
        options.populate?.(draft);
        draft.flush();
      } : undefined);
      const store = SessionStore.openWritable(path, lock);
      reached('opened');
      return store;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /**
   * Open an existing session. It is checked first without changing it (see
   * file-check.ts), so a file that is not a session, is damaged, or is from
   * a newer version is reported and left exactly as it was, with nothing
   * created beside it. Opening for writing also runs SQLite's quick check.
   *
   * `owner`: this store writes the session's log, so it takes the file's
   * lock (one writer per file; a second gets `SessionBusyError`). Other
   * writable stores (search indexes, UI state) and readers do not.
   *
   * `checked`: this process opened the file for writing a moment ago (so it
   * passed the quick check), and another thread opens it again; the quick
   * check, a read of the whole file, is not repeated.
   */
  static open(path: string, options: { readonly?: boolean; owner?: boolean; checked?: boolean } = {}): SessionStore {
    if (!existsSync(path)) throw new SessionError(`no session file at ${path}`);
    const { db: check, inPlace, onlyCopy } = openForCheck(path);
    try {
      validate(path, check, { thorough: !options.readonly && !options.checked });
    } catch (error) {
      check.close();
      throw error;
    }
    // A file whose journal still needs rolling back cannot be read in place: a reader keeps the rolled-back copy.
    if (options.readonly && (inPlace || onlyCopy)) return new SessionStore(path, check, true);
    check.close();
    if (options.readonly) return new SessionStore(path, guard(path, () => openDatabase(path, { readonly: true, fileMustExist: true })), true);
    const lock = options.owner ? SessionLock.acquire(path) : undefined;
    try {
      return SessionStore.openWritable(path, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  private static openWritable(path: string, lock: SessionLock | undefined): SessionStore {
    const db = guard(path, () => openDatabase(path, { fileMustExist: true }));
    try {
      guard(path, () => {
        configure(db);
        db.exec(SCHEMA); // older files gain tables added since
      });
    } catch (error) {
      db.close();
      throw error;
    }
    return new SessionStore(path, db, false, lock);
  }

  get meta(): SessionMeta {
    this.metaCache ??= this.read(() => {
      const rows = this.db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>;
      return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)])) as unknown as SessionMeta;
    });
    return this.metaCache;
  }

  updateMeta(patch: Partial<SessionMeta>): void {
    this.writeMeta(patch);
    this.metaCache = undefined;
  }

  /**
   * Queue an event; it is written at the next flush. Deltas and the events
   * that repeat their text keep their payload as an object until then, to be
   * merged or to refer to the deltas (see text-refs.ts); the rest is
   * serialised now, as it was when emitted. A delta that continues the run
   * queued last is merged into its row at once.
   */
  append(event: AgentEvent, position: { turn: number | null; branch: number | null }): void {
    const { type, seq, ts, creatureId, agentPath } = event;
    const creature = agentPath[0] ?? 'creature';
    const path = agentPath.length === 1 ? null : JSON.stringify(agentPath);
    this.queued++;
    // Built once and filled in below; a delta merged into the row queued last drops it.
    const row: PendingRow = { seq, ts, type, creature, creatureId, agentPath: path, turn: position.turn, branch: position.branch, payload: '', parts: undefined };
    if (isDeltaType(type)) {
      const { step, text } = event as unknown as { step?: unknown; text: string };
      if (mergeDelta(this.pending[this.pending.length - 1], row, step, text)) return;
      // The payload is a copy: the merged text is written into it, never into the event the listeners saw.
      row.payload = payloadOf(event);
      row.parts = [text];
    } else if (DEFERRED.has(type)) {
      row.payload = payloadOf(event);
    } else {
      const payload = payloadOf(event);
      row.payload = this.artifacts.pack(payload);
      if (row.payload.includes(MARK_IN_JSON)) row.payload = this.artifacts.pack(escapeMarkers(payload));
    }
    this.pending.push(row);
  }

  /** Events queued and not yet written. */
  get unflushed(): number {
    return this.queued;
  }

  /** Write the queued events in one transaction, deltas of a step merged and repeated text referred to. */
  flush(): void {
    if (!this.pending.length || this.closed || !this.insert) return;
    const rows = this.pending;
    this.pending = [];
    this.queued = 0;
    const insert = this.insert;
    try {
      this.write(() => this.db.transaction(() => {
        let referenced = false;
        for (const row of rows) {
          joinParts(row);
          this.ledger.before(row);
          let payload = row.payload;
          let fresh: ReadonlyArray<FreshField> = NOTHING_FRESH;
          if (typeof payload !== 'string') {
            const json = JSON.stringify(payload);
            // No string in it is long enough to be referred to (a string of n characters takes at least
            // n + 2 in JSON), none looks like a reference, and no data URL is large enough to move out:
            // the JSON is what encoding and packing would write.
            if (json.length < SHARED_MIN + 2 && !json.includes(MARK_IN_JSON)) {
              payload = json;
            } else {
              const encoded = this.ledger.encode(payload);
              referenced ||= encoded.referenced;
              fresh = encoded.fresh;
              payload = this.artifacts.pack(encoded.value);
            }
          }
          const { lastInsertRowid } = insert.run(row.seq, row.ts, row.type, row.creature, row.creatureId, row.agentPath, row.turn, row.branch, payload);
          this.ledger.after(row, Number(lastInsertRowid), fresh);
        }
        if (referenced) this.markReferences();
      })());
    } catch (error) {
      // The rows it noted were rolled back: refer to nothing written before this point.
      this.ledger.reset();
      throw error;
    }
  }

  lastEventId(): number {
    return this.read(() => (this.db.prepare('SELECT max(id) AS id FROM events').get() as { id: number | null }).id ?? 0);
  }

  /** The highest bus sequence number a creature reached, to continue its numbering. */
  lastSeq(creature: string): number {
    return this.read(() => (this.db.prepare('SELECT max(seq) AS seq FROM events WHERE creature = ?').get(creature) as { seq: number | null }).seq ?? 0);
  }

  /** Stored events in log order. */
  *events(query: EventQuery = {}): Generator<StoredEvent> {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (query.since !== undefined) {
      where.push('id > ?');
      args.push(query.since);
    }
    if (query.until !== undefined) {
      where.push('id <= ?');
      args.push(query.until);
    }
    if (query.creature !== undefined) {
      where.push('creature = ?');
      args.push(query.creature);
    }
    if (query.types?.length) {
      where.push(`type IN (${query.types.map(() => '?').join(', ')})`);
      args.push(...query.types);
    }
    if (query.skipTypes?.length) {
      where.push(`type NOT IN (${query.skipTypes.map(() => '?').join(', ')})`);
      args.push(...query.skipTypes);
    }
    // Without the envelope, seq and creature_id are not read: two columns fewer to copy out of every row.
    const columns = query.envelope === false ? 'id, ts, type, creature, agent_path, turn, branch, payload' : '*';
    const sql = `SELECT ${columns} FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    const sessionId = this.meta.sessionId;
    const iterator = this.read(() => (this.db.prepare(sql).iterate(...args) as IterableIterator<Row>));
    // The statement stays busy until its iterator is finished: end it on any exit,
    // or the connection refuses every later query ("busy executing a query").
    try {
      for (;;) {
        const next = this.read(() => iterator.next());
        if (next.done) return;
        yield this.decode(next.value, sessionId, query.resolve !== false, query.learn !== false, query.envelope !== false);
      }
    } finally {
      iterator.return?.();
    }
  }

  private decode(row: Row, sessionId: string, resolve = true, learn = true, envelope = true): StoredEvent {
    let payload: Record<string, unknown>;
    try {
      if (!resolve) return toStored(row, sessionId, JSON.parse(row.payload) as Record<string, unknown>, envelope);
      payload = this.unpack<Record<string, unknown>>(row.payload);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new SessionError(`${this.path}: event ${row.id} (${row.type}) is damaged: its data is not valid JSON`, { cause: error, code: 'SESSION_EVENT_DAMAGED' });
    }
    // A resumed creature's next snapshot can then refer to what the log already holds.
    if (!this.readonly && learn) this.ledger.learnFields(row.type, row.id, payload);
    return toStored(row, sessionId, payload, envelope);
  }

  getState<T>(key: string): T | undefined {
    const row = this.read(() => this.db.prepare('SELECT value FROM state WHERE key = ?').get(key) as { value: string } | undefined);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setState(key: string, value: unknown): void {
    this.write(() => this.db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value)));
  }

  deleteState(key: string): void {
    this.write(() => this.db.prepare('DELETE FROM state WHERE key = ?').run(key));
  }

  /** Every state row whose key starts with `prefix` (keys returned whole). */
  statesWithPrefix<T>(prefix: string): Array<[string, T]> {
    // Range scan on the primary key: every key that starts with the prefix sorts between it and prefix + U+FFFF.
    const rows = this.read(() => this.db.prepare('SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key').all(prefix, `${prefix}\uffff`) as Array<{ key: string; value: string }>);
    return rows.map((row) => [row.key, JSON.parse(row.value) as T]);
  }

  saveSnapshot(creature: string, snapshot: Snapshot): void {
    this.write(() =>
      this.db
        .prepare(
          'INSERT INTO snapshots (creature, event_id, turns, messages, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(creature) DO UPDATE SET event_id = excluded.event_id, turns = excluded.turns, messages = excluded.messages, created_at = excluded.created_at',
        )
        .run(creature, snapshot.eventId, this.packShared(snapshot.turns, snapshot.eventId), this.packShared(snapshot.messages, snapshot.eventId), Date.now()),
    );
  }

  loadSnapshot(creature: string): Snapshot | undefined {
    const row = this.read(
      () => this.db.prepare('SELECT event_id, turns, messages FROM snapshots WHERE creature = ?').get(creature) as
        | { event_id: number; turns: string; messages: string }
        | undefined,
    );
    if (!row) return undefined;
    return { eventId: row.event_id, turns: this.unpack<LiveTurn[]>(row.turns), messages: this.unpack<Message[]>(row.messages) };
  }

  /** JSON of a value the log partly holds already (a snapshot): texts the log has become references. */
  private packShared(value: unknown, upTo: number): string {
    const { json, referenced } = this.ledger.stringify(value, upTo);
    if (referenced) this.markReferences();
    // Large inline data (an image) goes to the artifacts folder: the rare case pays for an encoded copy.
    return mayHoldLargeData(json) ? this.artifacts.pack(this.ledger.encode(value, upTo).value) : json;
  }

  /** A stored payload back to its value: data URLs restored, text references resolved from the deltas that hold them. */
  private unpack<T>(json: string): T {
    const value = this.artifacts.unpack<unknown>(json);
    if (!json.includes(MARK_IN_JSON)) return value as T;
    return decodeRefs<T>(
      value,
      { texts: (ids) => ids.map((id) => this.referredText(id, 'text', true)).join(''), field: (id, field) => this.referredText(id, field, false) },
      this.readonly ? undefined : (text, reference) => this.ledger.learn(text, reference),
    );
  }

  /** A string field of an earlier event that another event or a snapshot refers to. */
  private referredText(id: number, field: string, delta: boolean): string {
    const row = this.read(() => (this.referredRow ??= this.db.prepare('SELECT type, payload FROM events WHERE id = ?')).get(id) as { type: string; payload: string } | undefined);
    let text: unknown;
    if (row && (!delta || row.type.endsWith('.delta'))) {
      // Only the one field is wanted: the rest of the row's references are resolved only when that field needs it.
      text = (JSON.parse(row.payload) as Record<string, unknown>)[field];
      if (typeof text === 'string' && (text.startsWith('\u0000kt-') || text.startsWith('kt-artifact:'))) text = this.unpack<Record<string, unknown>>(row.payload)[field];
    }
    if (typeof text !== 'string') throw new SessionError(`${this.path} is damaged: event ${id}, whose ${field} another record refers to, is missing or changed`);
    return text;
  }

  /**
   * The file now holds text references, which a kt reading format 1 would
   * show as garbage: say so in its format version (an older file being
   * resumed is upgraded here, when its first reference is written).
   */
  private markReferences(): void {
    if (this.meta.formatVersion >= FORMAT_VERSION) return;
    this.writeMeta({ formatVersion: FORMAT_VERSION });
    this.metaCache = undefined;
  }

  /**
   * Run `fn` on the database with this file's error handling; `write` refuses a read-only store.
   * @internal better-sqlite3's types stay out of the published declarations (they are a dev dependency).
   */
  use<T>(fn: (db: BetterSqlite3.Database) => T, mode: 'read' | 'write' = 'read'): T {
    return mode === 'write' ? this.write(() => fn(this.db)) : this.read(() => fn(this.db));
  }

  /**
   * The underlying database, for the search index (same file, same connection).
   * @internal see `use`.
   */
  get database(): BetterSqlite3.Database {
    return this.db;
  }

  /** Flush and close, and release the file's lock if this store owns it. Idempotent. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      if (!this.readonly) leaveWal(this.db);
      this.db.close();
      this.lock?.release();
    }
  }

  private writeMeta(patch: Partial<SessionMeta>): void {
    const upsert = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.write(() => this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) if (value !== undefined) upsert.run(key, JSON.stringify(value));
    })());
  }

  private read<T>(fn: () => T): T {
    return guard(this.path, fn);
  }

  private write<T>(fn: () => T): T {
    if (this.readonly) throw new SessionError(`${this.path} is open read-only`);
    return guard(this.path, fn);
  }
}

function configure(db: BetterSqlite3.Database): void {
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a process crash loses nothing committed; only a power cut can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
}

/**
 * Back to a rollback journal when the last connection leaves: a closed
 * session then has no `-wal`/`-shm`, and reading it read-only creates none.
 * Fails (harmlessly, at once) while another connection still uses the file.
 */
function leaveWal(db: BetterSqlite3.Database): void {
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch {
    // another connection is open; the last one to close switches
  }
}

/** An event's own fields, in their order: what its row's payload holds. */
function payloadOf(event: AgentEvent): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  const fields = event as unknown as Record<string, unknown>;
  // for…in over an event (a plain object: no inherited enumerable keys) allocates nothing per field.
  for (const key in fields) if (!isEnvelope(key)) payload[key] = fields[key];
  return payload;
}

function toStored(row: Row, sessionId: string, payload: Record<string, unknown>, envelope = true): StoredEvent {
  const agentPath = row.agent_path ? (JSON.parse(row.agent_path) as string[]) : [row.creature];
  if (!envelope) {
    // The payload was parsed for this call alone: completing it in place is safe.
    payload.type = row.type;
    payload.ts = row.ts;
    payload.agentPath = agentPath;
    return { id: row.id, event: payload as unknown as AgentEvent, creature: row.creature, turn: row.turn, branch: row.branch };
  }
  const event = {
    type: row.type,
    ...payload,
    seq: row.seq,
    ts: row.ts,
    sessionId,
    creatureId: row.creature_id,
    turnId: row.turn === null ? null : turnIdFor(row.turn, row.branch ?? 1),
    agentPath,
  } as unknown as AgentEvent;
  return { id: row.id, event, creature: row.creature, turn: row.turn, branch: row.branch };
}
