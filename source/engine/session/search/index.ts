/**
 * The block index: blocks and their full text, built incrementally from the
 * event log. The state key `search.indexed` records the last event indexed
 * and the extractor's state, so each run reads only newer events.
 *
 * Events are indexed in batches; each batch commits its blocks, their full
 * text and the new position in one transaction. A batch is read and cut
 * into blocks in a read transaction (which never blocks the session's
 * writer); the write transaction then checks that the position is still the
 * one the batch was read from, else drops it and reads on from the new one.
 * A crash, or a second indexer in another process, therefore never sees
 * half a batch or indexes an event twice, and the write lock is held only
 * to store, so a live session's recorder is not kept waiting by a long
 * first index.
 *
 * Read-only sessions: when the file already holds an index, it is searched
 * as it is (possibly behind the log; `behind` says by how much). When it
 * holds none, the index is built in the connection's TEMP schema (memory
 * and temp files, never the session file) and lives as long as the store
 * is open. That keeps one search path (FTS5 with BM25) for every case
 * instead of a slower LIKE scan with different ranking; vectors are not
 * built there.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SessionStore } from '../store.js';
import { BlockExtractor, NO_BLOCK_EVENTS, emptyExtractorState, type Block, type ExtractorState } from './blocks.js';
import { guarded } from './errors.js';
import { ALONE, type WriteTurn } from './write-turn.js';
import { BLOCKS_TABLE, FTS_TABLE, createTables, dropTables, hasTables, type IndexSchema } from './tables.js';

/** State key of the index position. */
export const INDEX_STATE_KEY = 'search.indexed';
/** State key of the vector position (vectors.ts); cleared when the blocks are rebuilt. */
export const VECTORS_STATE_KEY = 'search.vectors';
/** Bump when block extraction changes: older indexes are rebuilt. */
export const BLOCKS_VERSION = 1;

/** Where the index stands, as kept in state. */
export interface IndexPosition extends ExtractorState {
  version: number;
  /** The last event indexed. */
  eventId: number;
}

export interface IndexOptions {
  /** Events read per batch (default 4000). */
  batchEvents?: number;
  /** Called after each committed batch with the blocks it added (to embed them meanwhile). */
  onBatch?: (added: number) => void;
  /** Taken around each write transaction (another thread of this process writes the same file: write-turn.ts). */
  writeTurn?: WriteTurn;
}

export interface IndexResult {
  /** Blocks added by this run. */
  added: number;
  /** Blocks in the index now. */
  blocks: number;
  /** `file`: the session file; `memory`: a temporary index over a read-only session. */
  where: 'file' | 'memory';
  /** Events logged after the index's position that this run could not add (read-only file with an older index). */
  behind: number;
}

/** Temporary indexes of read-only connections, by connection. */
const memoryPositions = new WeakMap<BetterSqlite3.Database, IndexPosition>();

/** Bring the block index up to date with the log (see the file comment for read-only sessions). */
export function indexBlocks(store: SessionStore, options: IndexOptions = {}): IndexResult {
  const db = store.database;
  return guarded(store.path, () => {
    if (store.readonly && hasTables(db, 'main')) {
      const position = store.getState<IndexPosition>(INDEX_STATE_KEY);
      return { added: 0, blocks: countBlocks(db), where: 'file', behind: Math.max(0, store.lastEventId() - (position?.eventId ?? 0)) };
    }
    const schema: IndexSchema = store.readonly ? 'temp' : 'main';
    if (schema === 'main') resetIfStale(store);
    else createTables(db, 'temp');
    const added = indexBatches(store, schema, options.batchEvents ?? 4000, options.onBatch, options.writeTurn);
    return { added, blocks: countBlocks(db), where: schema === 'main' ? 'file' : 'memory', behind: 0 };
  });
}

/** Whether any blocks are searchable on this connection (in the file, or a temporary index). */
export function hasIndex(store: SessionStore): boolean {
  const db = store.database;
  return guarded(store.path, () => hasTables(db, 'temp') || hasTables(db, 'main'));
}

/**
 * Blocks in the index.
 * @internal takes a better-sqlite3 handle, whose types are not published.
 */
export function countBlocks(db: BetterSqlite3.Database): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${BLOCKS_TABLE}`).get() as { n: number }).n;
}

/** Blocks per creature label, most first. */
export function blocksByCreature(store: SessionStore): Array<{ creature: string; blocks: number }> {
  if (!hasIndex(store)) return [];
  return guarded(store.path, () =>
    store.database
      .prepare(`SELECT creature, count(*) AS blocks FROM ${BLOCKS_TABLE} GROUP BY creature ORDER BY blocks DESC, creature`)
      .all() as Array<{ creature: string; blocks: number }>,
  );
}

/**
 * Start over when the index in the file does not match its recorded
 * position: an index from an older extraction version, tables without a
 * position (state lost) or a position without tables (tables dropped).
 */
function resetIfStale(store: SessionStore): void {
  const db = store.database;
  db.transaction(() => {
    const position = store.getState<IndexPosition | null>(INDEX_STATE_KEY) ?? undefined;
    const tables = hasTables(db, 'main');
    const stale = position ? position.version !== BLOCKS_VERSION || !tables : tables;
    if (stale) {
      dropTables(db, 'main');
      store.setState(INDEX_STATE_KEY, null);
      store.setState(VECTORS_STATE_KEY, null);
    }
    createTables(db, 'main');
  }).immediate();
}

/** A batch read and cut into blocks, waiting to be written. */
interface PendingBatch {
  /** The position it was read from. */
  from: number;
  blocks: Block[];
  next: IndexPosition;
}

const BLOCKS_PER_INSERT = 16;

/** A block's columns onto `args`, in the order of the INSERT statements. */
function pushValues(args: unknown[], b: Block): void {
  args.push(b.eventId, b.creature, b.round, b.block, b.kind, b.tool ?? null, b.content, b.ts, b.turn, b.branch);
}

function indexBatches(store: SessionStore, schema: IndexSchema, batchEvents: number, onBatch?: (added: number) => void, turn: WriteTurn = ALONE): number {
  const db = store.database;
  const insertInto = `INSERT INTO ${schema}.${BLOCKS_TABLE} (event_id, creature, round, block, kind, tool, content, ts, turn, branch) VALUES `;
  const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const insertBlock = db.prepare(insertInto + row);
  // Blocks a statement at a time: a row costs ~40 % less than one statement per block (100k blocks: 0.52 -> 0.30 s CPU).
  const insertBlocks = db.prepare(insertInto + Array(BLOCKS_PER_INSERT).fill(row).join(', '));
  // The batch's full text in one statement, read back from its block rows: cheaper than binding every text a second time.
  const insertTexts = db.prepare(`INSERT INTO ${schema}.${FTS_TABLE} (rowid, content) SELECT id, content FROM ${schema}.${BLOCKS_TABLE} WHERE id >= ?`);
  const load = (): IndexPosition =>
    (schema === 'main' ? store.getState<IndexPosition | null>(INDEX_STATE_KEY) : memoryPositions.get(db)) ?? { version: BLOCKS_VERSION, eventId: 0, ...emptyExtractorState() };
  const save = (position: IndexPosition) => (schema === 'main' ? store.setState(INDEX_STATE_KEY, position) : memoryPositions.set(db, position));

  // Read (and cut into blocks) in a read transaction, which never blocks the session's writer; then write
  // under the write lock, held only to store. Reading was most of a batch's time.
  const read = db.transaction((from: IndexPosition | undefined, last: number): PendingBatch | undefined => {
    const position = from ?? load();
    if (position.eventId >= last) return undefined;
    const until = Math.min(last, position.eventId + batchEvents);
    const extractor = new BlockExtractor(position);
    // Blocks are gathered while reading and written after: the connection cannot write while a read is still iterating.
    const blocks: Block[] = [];
    for (const stored of store.events({ since: position.eventId, until, skipTypes: NO_BLOCK_EVENTS, learn: false, envelope: false })) {
      for (const block of extractor.add(stored)) blocks.push(block);
    }
    return { from: position.eventId, blocks, next: { ...extractor.snapshot(), version: BLOCKS_VERSION, eventId: until } };
  });
  const write = db.transaction((batch: PendingBatch): boolean => {
    // Another indexer (another process on this file) added these events meanwhile: read on from where it got.
    const now = load();
    if (now.eventId !== batch.from || now.version !== BLOCKS_VERSION) return false;
    const blocks = batch.blocks;
    let first: number | undefined;
    let i = 0;
    for (; i + BLOCKS_PER_INSERT <= blocks.length; i += BLOCKS_PER_INSERT) {
      const args: unknown[] = [];
      for (let j = i; j < i + BLOCKS_PER_INSERT; j++) pushValues(args, blocks[j]!);
      const last = Number(insertBlocks.run(...args).lastInsertRowid);
      // The rows of one statement take consecutive ids (each the largest so far plus one), the last one reported.
      first ??= last - (BLOCKS_PER_INSERT - 1);
    }
    for (; i < blocks.length; i++) {
      const args: unknown[] = [];
      pushValues(args, blocks[i]!);
      const { lastInsertRowid } = insertBlock.run(...args);
      first ??= Number(lastInsertRowid);
    }
    if (first !== undefined) insertTexts.run(first);
    save(batch.next);
    return true;
  });

  const last = store.lastEventId();
  let total = 0;
  // Read but not yet written: one batch, or several read on while the other thread held the write turn.
  let pending: PendingBatch | undefined;
  let merged = 0;
  for (;;) {
    const batch = read(pending?.next, last);
    if (batch) pending = pending ? { from: pending.from, blocks: pending.blocks.concat(batch.blocks), next: batch.next } : batch;
    if (!pending) return total;
    // The embedding thread is storing its batch: reading the next one beats waiting, and both are stored in one
    // transaction (the same blocks, ids and text as two). Measured: the indexer waited ~0.7 s of a 100k-block run.
    if (batch && turn.busy() && ++merged < MAX_MERGED_BATCHES) continue;
    const ready = pending;
    pending = undefined;
    merged = 0;
    // IMMEDIATE takes the write lock before the position is read again, so two indexers never both add a batch.
    if (schema === 'main' ? turn(() => write.immediate(ready)) : write(ready)) {
      total += ready.blocks.length;
      onBatch?.(ready.blocks.length);
    }
  }
}

/** Batches read on at most while another thread holds the write turn, before waiting for it. */
const MAX_MERGED_BATCHES = 4;
