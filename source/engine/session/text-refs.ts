/**
 * Text stored once. A streamed answer reaches the log as `text.delta` /
 * `reasoning.delta` events, then again whole in `step.end`, `turn.end` and the
 * conversation snapshot. Writing it four times made a 10 MB answer a 40 MB file.
 *
 * So: consecutive deltas of one step are merged as they are queued (their
 * concatenation is unchanged), and a long string that equals the text of a
 * step's deltas is written as a reference to those delta rows,
 * `"\u0000kt-text:<id>,<id>,…"`, resolved back when read. The deltas stay the
 * one copy, in the append-only log. A long string an event holds itself (an
 * answer in a text tool-call format, whose deltas show only the prose; a
 * large tool output) is referred to as that event's field,
 * `"\u0000kt-field:<id>:<field>"`, by the events and snapshots after it.
 * Genuine strings that happen to start with the marker prefix are escaped,
 * so every string round-trips.
 *
 * Which texts can be referred to is remembered by content hash (not the text
 * itself), per store, for what this process wrote or read.
 */
import { createHash, hash, type Hash } from 'node:crypto';

/** A reference to delta rows whose `text` fields, concatenated, are the string. */
const REF = '\u0000kt-text:';
/** A reference to a string field of an earlier event: `"\u0000kt-field:<id>:<field>"`. */
const FIELD = '\u0000kt-field:';
/** A genuine string that starts with `MARK` is stored behind this prefix. */
const LITERAL = '\u0000kt-lit:';
const MARK = '\u0000kt-';
/**
 * How `MARK` looks inside JSON: a cheap test for payloads that may need
 * decoding or escaping (anywhere in a string, so a hit is then checked
 * exactly). Not led by the quote: a search starts at each occurrence of the
 * pattern's first character, and JSON is full of quotes.
 */
export const MARK_IN_JSON = '\\u0000kt-';
/** Shorter strings are kept inline: a reference would save nothing worth a lookup. */
export const SHARED_MIN = 512;

/** A row waiting in the store's buffer: its columns, and its payload (JSON, or the object when it may still change). */
export interface PendingRow {
  seq: number;
  ts: number;
  type: string;
  creature: string;
  creatureId: string;
  agentPath: string | null;
  turn: number | null;
  branch: number | null;
  payload: string | Record<string, unknown>;
  /**
   * A delta row: the texts of the consecutive deltas merged into it, in
   * order (its payload's `text` is the first). Joined into `text` on flush.
   */
  parts: string[] | undefined;
}

/** Event types whose payload is kept as an object until the flush. */
export const DEFERRED = new Set(['text.delta', 'reasoning.delta', 'step.end', 'turn.end', 'tool.result', 'turn.start']);

export function isDeltaType(type: string): boolean {
  return type === 'text.delta' || type === 'reasoning.delta';
}

/**
 * Merge a delta into the row queued last when both belong to the same run —
 * same kind, step, creature and place in the turn tree — so the row carries
 * their joined text with the last one's seq and ts (the highest seq in the
 * log, which a resume continues from, is unchanged). Merging as they are
 * queued builds no row per delta. False: the delta starts a row of its own.
 */
export function mergeDelta(last: PendingRow | undefined, row: PendingRow, step: unknown, text: string): boolean {
  if (
    !last?.parts ||
    last.type !== row.type ||
    last.creature !== row.creature ||
    last.creatureId !== row.creatureId ||
    last.agentPath !== row.agentPath ||
    last.turn !== row.turn ||
    last.branch !== row.branch ||
    (last.payload as { step?: unknown }).step !== step
  ) {
    return false;
  }
  last.parts.push(text);
  last.seq = row.seq;
  last.ts = row.ts;
  return true;
}

/** A merged delta row's payload as written: its parts joined into `text`. */
export function joinParts(row: PendingRow): void {
  if (row.parts && row.parts.length > 1) (row.payload as Record<string, unknown>)['text'] = row.parts.join('');
}

function isDelta(row: PendingRow): boolean {
  return isDeltaType(row.type) && typeof row.payload === 'object';
}

/** A long top-level string field an event holds itself, not yet known: its field name, hash key and length. */
export type FreshField = readonly [field: string, key: string, length: number];

interface Run {
  turn: number | null;
  branch: number | null;
  step: unknown;
  ids: number[];
  length: number;
  /** The run's text until it is long enough to be referred to; then hashed as it grows. */
  parts: string[] | undefined;
  hash: Hash | undefined;
}

/** What a store knows about the text already in its log. */
export class TextLedger {
  /** Deltas of the step in progress, per creature (and sub-agent) and kind. */
  private runs = new Map<string, Run>();
  /** `<length>:<sha256>` of a text → the reference that reads it back. */
  private known = new Map<string, string>();
  /**
   * The lengths of the texts in `known`: a string of another length cannot
   * be one of them, so it is not hashed just to look it up (a one-turn run
   * then loads no node:crypto at all, ~7 ms; and a long session hashes less).
   */
  private knownLengths = new Set<number>();

  /** Before a row is encoded: a step that ends makes its deltas referable; a retry or a new turn discards them. */
  before(row: PendingRow): void {
    if (row.type === 'step.end') {
      const step = (row.payload as { step?: unknown }).step;
      for (const kind of ['text.delta', 'reasoning.delta']) {
        const key = runKey(row, kind);
        const run = this.runs.get(key);
        if (run?.hash && run.step === step && run.turn === row.turn && run.branch === row.branch && run.length >= SHARED_MIN) {
          this.remember(`${run.length}:${run.hash.digest('hex')}`, run.length, `${REF}${run.ids.join(',')}`);
        }
        this.runs.delete(key);
      }
    } else if (row.type === 'llm.retry' || row.type === 'turn.start') {
      this.runs.delete(runKey(row, 'text.delta'));
      this.runs.delete(runKey(row, 'reasoning.delta'));
    }
  }

  /**
   * After a row is written with its id: deltas join their step's run, and
   * long strings a row held itself (what `encode` reported as new) become
   * referable as that row's field — a text-format answer, a large tool output.
   */
  after(row: PendingRow, id: number, fresh: ReadonlyArray<FreshField> = []): void {
    for (const [field, key, length] of fresh) if (!this.known.has(key)) this.remember(key, length, `${FIELD}${id}:${field}`);
    if (!isDelta(row)) return;
    const { step, text } = row.payload as { step?: unknown; text: string };
    const key = runKey(row, row.type);
    let run = this.runs.get(key);
    if (!run || run.step !== step || run.turn !== row.turn || run.branch !== row.branch) {
      run = { turn: row.turn, branch: row.branch, step, ids: [], length: 0, parts: [], hash: undefined };
      this.runs.set(key, run);
    }
    run.ids.push(id);
    run.length += text.length;
    // Most steps say too little to be referred to: hashing starts once the run is long enough.
    if (run.hash) {
      run.hash.update(text);
    } else if (run.parts) {
      run.parts.push(text);
      if (run.length >= SHARED_MIN) {
        run.hash = createHash('sha256').update(run.parts.join(''));
        run.parts = undefined;
      }
    }
  }

  /** Remember that `text` is read back through `reference` (it was just resolved from it). */
  learn(text: string, reference: string): void {
    if (text.length >= SHARED_MIN) this.remember(keyOf(text), text.length, reference);
  }

  /** An event read back from the log: its long strings become referable as its fields (once a resume replays it). */
  learnFields(type: string, id: number, payload: Record<string, unknown>): void {
    if (!DEFERRED.has(type) || type.endsWith('.delta')) return;
    for (const [field, text] of Object.entries(payload)) {
      if (typeof text !== 'string' || text.length < SHARED_MIN) continue;
      const key = keyOf(text);
      if (!this.known.has(key)) this.remember(key, text.length, `${FIELD}${id}:${field}`);
    }
  }

  /** Forget everything: after a failed write, ids it noted may not exist. */
  reset(): void {
    this.runs = new Map();
    this.known = new Map();
    this.knownLengths = new Set();
  }

  private remember(key: string, length: number, reference: string): void {
    this.known.set(key, reference);
    this.knownLengths.add(length);
  }

  /**
   * `value` with long strings the log already holds replaced by references,
   * and marker-like strings escaped. `fresh` lists the long top-level string
   * fields it did not know (with their hash key), for `after`. References
   * stop at event `upTo`: a snapshot only points into the log it covers, so a
   * fork that copies it copies what it refers to.
   */
  encode(value: unknown, upTo = Infinity): { value: unknown; referenced: boolean; fresh: FreshField[] } {
    const found = { referenced: false };
    const fresh: FreshField[] = [];
    let encoded: unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] = typeof item === 'string' ? this.encodeString(item, upTo, found, (k) => fresh.push([key, k, item.length])) : mapStrings(item, (text) => this.encodeString(text, upTo, found));
      }
      encoded = out;
    } else {
      encoded = mapStrings(value, (text) => this.encodeString(text, upTo, found));
    }
    return { value: encoded, referenced: found.referenced, fresh };
  }

  /**
   * `encode` straight to JSON, for a large value that is not the store's to
   * change (a snapshot of the live conversation): strings are replaced as
   * they are written, with no encoded copy of the whole tree built first.
   */
  stringify(value: unknown, upTo = Infinity): { json: string; referenced: boolean } {
    const found = { referenced: false };
    const json = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? this.encodeString(item, upTo, found) : item));
    return { json, referenced: found.referenced };
  }

  /** One string as written: a reference when the log holds it already (up to `upTo`), else itself, escaped if it looks like one. */
  private encodeString(text: string, upTo: number, found: { referenced: boolean }, unknown?: (key: string) => void): string {
    // Hashed only when it could match, or when the caller wants its key to remember it.
    if (text.length >= SHARED_MIN && (unknown || this.knownLengths.has(text.length))) {
      const key = keyOf(text);
      const reference = this.known.get(key);
      if (reference && newestId(reference) <= upTo) {
        found.referenced = true;
        return reference;
      }
      unknown?.(key);
    }
    return text.startsWith(MARK) ? `${LITERAL}${text}` : text;
  }
}

/** Escape marker-like strings in a value that is never given references. */
export function escapeMarkers(value: unknown): unknown {
  return mapStrings(value, (text) => (text.startsWith(MARK) ? `${LITERAL}${text}` : text));
}

/**
 * Resolve references and escapes in a value just decoded from JSON, in place
 * (it is the caller's own fresh copy: building a second tree would double
 * what a long conversation costs to read). `texts` reads the `text` of delta
 * rows by id, `field` a string field of an event; `learned` hears each
 * resolved text with its reference, so a writable store can refer to it
 * again (a resumed conversation's snapshot).
 */
export function decodeRefs<T>(
  value: unknown,
  read: { texts: (ids: number[]) => string; field: (id: number, field: string) => string },
  learned?: (text: string, reference: string) => void,
): T {
  return replaceStrings(value, (text) => {
    if (!text.startsWith(MARK)) return text;
    if (text.startsWith(LITERAL)) return text.slice(LITERAL.length);
    let resolved: string;
    if (text.startsWith(REF)) {
      resolved = read.texts(text.slice(REF.length).split(',').map(Number));
    } else if (text.startsWith(FIELD)) {
      const [id = '', ...field] = text.slice(FIELD.length).split(':');
      resolved = read.field(Number(id), field.join(':'));
    } else {
      return text;
    }
    learned?.(resolved, text);
    return resolved;
  }) as T;
}

/**
 * Every string in a freshly decoded JSON value through `fn`, changed in
 * place; returns the value (or, for a bare string, the new string).
 */
export function replaceStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') value[i] = fn(item);
      else if (item && typeof item === 'object') replaceStrings(item, fn);
    }
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'string') record[key] = fn(item);
      else if (item && typeof item === 'object') replaceStrings(item, fn);
    }
  }
  return value;
}

/** The highest event id a reference reads. */
function newestId(reference: string): number {
  const ids = reference.startsWith(REF) ? reference.slice(REF.length).split(',') : [reference.slice(FIELD.length).split(':')[0]];
  return Math.max(...ids.map(Number));
}

function runKey(row: PendingRow, kind: string): string {
  return `${row.creature}\u0000${row.creatureId}\u0000${row.agentPath ?? ''}\u0000${kind}`;
}

// One-shot: a Hash object per string would hold native memory until a GC (thousands of them on a resume).
function keyOf(text: string): string {
  return `${text.length}:${hash('sha256', text)}`;
}

function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, fn));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = mapStrings(item, fn);
    return out;
  }
  return value;
}
