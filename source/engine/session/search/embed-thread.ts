/**
 * Index a session and embed its blocks, the embedding done by a second
 * thread that follows the indexing instead of after it.
 *
 * Why: for the local (hash) embedder both halves are CPU work of about the
 * same size (at 100k blocks ~2.5 s indexing, ~2 s embedding), and they
 * need each other only through the file: the embedding thread has its own
 * connection, embeds whole batches of the blocks committed so far, and the
 * two take turns at SQLite's write lock (each holds it only to store a
 * batch; the turn is handed over through write-turn.ts, not SQLite's busy
 * handler, and the indexer reads on instead of waiting for it). kt embedding of the 100k-block bench session took 3.2 s instead
 * of 4.4 s (median of 5, two cores; the CPU spent is the same); on a busy
 * machine it is no slower. While it runs, a third thread does the WAL
 * checkpoints of both connections (checkpoints.ts).
 *
 * The thread runs `embed-worker.js`, which the build puts beside the CLI's
 * code; where it is missing (the sources run by tests, the library build)
 * and for embedders that call an API (waiting on the network, not the CPU),
 * the blocks are embedded after the indexing, on this thread, as before.
 * The vectors are the same either way (tested).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SessionError } from '../../errors.js';
import { SessionStore } from '../store.js';
import { createEmbedder } from './embeddings/create.js';
import type { Embedder, EmbeddingConfig } from './embeddings/provider.js';
import { createCheckpointCell, leaveCheckpoints, signalCommit, stopCheckpoints, type CheckpointCell } from './checkpoints.js';
import { countBlocks, indexBlocks, type IndexResult } from './index.js';
import { embedBlocks, type EmbedOptions } from './vectors.js';
import { createWriteTurnCell, writeTurn, type WriteTurnCell } from './write-turn.js';

/** What the embedding thread is started with. */
export interface EmbedThreadData {
  path: string;
  config: EmbeddingConfig;
  /** Vectors per chunk of a new int8 copy, blocks per embedding batch (tests; default: the embedder's). */
  quantisedChunk?: number;
  batch?: number;
  /** The turn at the file's write lock, shared with the indexer (write-turn.ts). */
  writeTurn?: WriteTurnCell;
  /** Set when a thread of their own does the checkpoints (checkpoints.ts): told of each commit. */
  checkpoints?: CheckpointCell;
}

/** What a checkpointing thread is started with (the same worker file; see embed-worker.ts). */
export interface CheckpointThreadData {
  checkpointsOf: string;
  cell: CheckpointCell;
  writeTurn: WriteTurnCell;
}

/** Main thread → embedding thread (`bye`: its result arrived, it may end). */
export type ToEmbedThread = { type: 'more' } | { type: 'done' } | { type: 'abort' } | { type: 'bye' };
/** Embedding thread → main thread. */
export type FromEmbedThread = { type: 'progress'; done: number } | { type: 'result'; added: number; total: number } | { type: 'error'; message: string };

/** One end's view of the other (receiving `In`): a worker, its parent port, or (in tests) a MessageChannel's ports. */
export interface ThreadPort<In> {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: In) => void): unknown;
}

/** A started embedding thread, as the main thread sees it. */
export interface EmbedThread {
  port: ThreadPort<FromEmbedThread>;
  /** Settles when the thread has ended (after its result, or on a crash with the error). */
  exited: Promise<void>;
}

export interface IndexAndEmbedOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /**
   * Starts the embedding thread; returns undefined to embed on this thread instead. Default: a worker
   * running embed-worker.js, for the hash embedder, when that file is there.
   */
  spawn?: (data: EmbedThreadData) => EmbedThread | undefined;
  /**
   * Starts the thread that checkpoints the WAL for both (checkpoints.ts) once the embedding thread runs; returns
   * undefined to leave the checkpoints to the connections. Default: a worker running embed-worker.js, when that file is there.
   */
  spawnCheckpoints?: (data: CheckpointThreadData) => { exited: Promise<void> } | undefined;
  /** Tests: smaller batches and int8 chunks than the defaults. */
  batchEvents?: number;
  batch?: number;
  quantisedChunk?: number;
}

export interface IndexAndEmbedResult {
  blocks: IndexResult;
  vectors: { added: number; total: number };
}

/**
 * Bring the block index and the vectors (of `embedder`, whose settings are `config`) up to date.
 * Like indexBlocks then embedBlocks, with the embedding overlapping the indexing when it can.
 */
export async function indexAndEmbed(store: SessionStore, embedder: Embedder, config: EmbeddingConfig, options: IndexAndEmbedOptions = {}): Promise<IndexAndEmbedResult> {
  const spawn = options.spawn ?? (config.provider === 'hash' ? spawnWorker : undefined);
  const sizes = {
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
    ...(options.quantisedChunk !== undefined ? { quantisedChunk: options.quantisedChunk } : {}),
  };
  const embedOptions: EmbedOptions = {
    ...sizes,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  let thread: ReturnType<typeof follow> | undefined;
  let blocks: IndexResult;
  const cell = createWriteTurnCell();
  const checkpoints = startCheckpoints(store, cell, spawn ? (options.spawnCheckpoints ?? spawnWorker) : undefined);
  try {
    try {
      blocks = indexBlocks(store, {
        ...(options.batchEvents !== undefined ? { batchEvents: options.batchEvents } : {}),
        writeTurn: writeTurn(cell),
        // Started once the first batch is in: the index's reset (when stale) is done by then, and there is work.
        onBatch: () => {
          if (!thread && spawn) {
            const started = spawn({ path: store.path, config, ...sizes, writeTurn: cell, ...checkpoints.start() });
            thread = started ? follow(started, store, options) : undefined;
            if (!thread) void checkpoints.stop();
          }
          checkpoints.committed();
          thread?.port.postMessage({ type: 'more' } satisfies ToEmbedThread);
        },
      });
    } catch (error) {
      thread?.stop();
      await thread?.result.catch(() => undefined);
      throw error;
    }
    // Nothing new to index: whatever is left to embed is embedded here.
    if (!thread) return { blocks, vectors: await embedBlocks(store, embedder, embedOptions) };
    thread.port.postMessage({ type: 'done' } satisfies ToEmbedThread);
    return { blocks, vectors: await thread.result };
  } finally {
    await checkpoints.stop();
  }
}

/**
 * The checkpointing thread (checkpoints.ts) of a run with an embedding thread, started just before the
 * latter (`start` gives the cell to pass it). Until then, and when it could not be started, the
 * connections checkpoint as usual; `stop` (idempotent) ends it and gives this connection its setting back.
 */
function startCheckpoints(store: SessionStore, turn: WriteTurnCell, spawn: IndexAndEmbedOptions['spawnCheckpoints']) {
  let cell: CheckpointCell | undefined;
  let exited: Promise<void> | undefined;
  let restore: number | undefined;
  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    if (!cell) return;
    stopCheckpoints(cell);
    await exited;
    if (restore !== undefined) store.database.pragma(`wal_autocheckpoint = ${restore}`);
  };
  return {
    start(): { checkpoints?: CheckpointCell } {
      if (stopped) return {};
      const started = createCheckpointCell();
      const thread = spawn?.({ checkpointsOf: store.path, cell: started, writeTurn: turn });
      if (!thread) return {};
      cell = started;
      // A thread that failed only leaves the WAL longer until the end: the connections checkpoint it from then on.
      exited = thread.exited.catch(() => undefined);
      restore = leaveCheckpoints(store.database);
      return { checkpoints: started };
    },
    committed(): void {
      if (cell) signalCommit(cell);
    },
    stop: (): Promise<void> => (stopped ??= stop()),
  };
}

/** The main thread's side of a started thread: its result, progress passed on, an abort forwarded. */
function follow(thread: EmbedThread, store: SessionStore, options: IndexAndEmbedOptions): { port: ThreadPort<FromEmbedThread>; result: Promise<{ added: number; total: number }>; stop: () => void } {
  const stop = () => thread.port.postMessage({ type: 'abort' } satisfies ToEmbedThread);
  const result = new Promise<{ added: number; total: number }>((resolve, reject) => {
    let settled = false;
    const onAbort = () => stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    thread.port.on('message', (message: FromEmbedThread) => {
      if (message.type === 'progress') return options.onProgress?.(message.done, countBlocks(store.database));
      // The thread waits for this before it ends, so an end before its answer is a failure, never a race.
      thread.port.postMessage({ type: 'bye' } satisfies ToEmbedThread);
      if (message.type === 'result') settle(() => resolve({ added: message.added, total: message.total }));
      // An abort asked for here comes back as the signal's own reason, as embedBlocks would throw it.
      else settle(() => reject(options.signal?.aborted ? options.signal.reason : new SessionError(message.message)));
    });
    thread.exited.then(
      () => settle(() => reject(new SessionError(`the embedding thread for ${store.path} ended without a result`))),
      (error: unknown) => settle(() => reject(error)),
    );
  });
  // Aborted while this thread was busy indexing (it cannot stop mid-way): tell the other one now.
  if (options.signal?.aborted) stop();
  return { port: thread.port, result, stop };
}

/** The worker beside this module (dist/cli/embed-worker.js in the built kt), when there is one. */
function spawnWorker(data: EmbedThreadData | CheckpointThreadData): EmbedThread | undefined {
  const url = new URL('./embed-worker.js', import.meta.url);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  const worker = new Worker(url, { workerData: data });
  const exited = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => resolve());
  });
  return { port: worker, exited };
}

/**
 * The embedding thread's work (embed-worker.js runs it; tests run it on a MessageChannel): open the
 * file and embed whole batches of what is indexed, waiting for the next `more` when short of one;
 * after `done`, the rest.
 */
export async function followIndex(port: ThreadPort<ToEmbedThread> & { close?(): void }, data: EmbedThreadData): Promise<void> {
  const controller = new AbortController();
  let done = false;
  let pending = false;
  let wake: (() => void) | undefined;
  let bye: (() => void) | undefined;
  const answered = new Promise<void>((resolve) => (bye = resolve));
  port.on('message', (message: ToEmbedThread) => {
    if (message.type === 'bye') return bye?.();
    if (message.type === 'abort') controller.abort(new SessionError('embedding stopped'));
    if (message.type === 'done') done = true;
    pending = true;
    wake?.();
  });
  // Fewer blocks than a batch left: wait for the indexer's next batch (true), or its end (false).
  const whenShort = async (): Promise<boolean> => {
    if (!pending && !done) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    pending = false;
    controller.signal.throwIfAborted();
    return !done;
  };
  let store: SessionStore | undefined;
  try {
    // The indexer's store passed the quick check when kt opened the file; a second read of the whole file buys nothing.
    store = SessionStore.open(data.path, { checked: true });
    const { embedder } = await createEmbedder(data.config);
    // One run for the whole session: the table checks and the int8 copy's catch-up happen once.
    const checkpoints = data.checkpoints;
    if (checkpoints) leaveCheckpoints(store.database);
    const run = await embedBlocks(store, embedder, {
      signal: controller.signal,
      whenShort,
      onProgress: (count) => {
        if (checkpoints) signalCommit(checkpoints);
        port.postMessage({ type: 'progress', done: count } satisfies FromEmbedThread);
      },
      ...(data.quantisedChunk !== undefined ? { quantisedChunk: data.quantisedChunk } : {}),
      ...(data.batch !== undefined ? { batch: data.batch } : {}),
      ...(data.writeTurn ? { writeTurn: writeTurn(data.writeTurn) } : {}),
    });
    port.postMessage({ type: 'result', added: run.added, total: run.total } satisfies FromEmbedThread);
  } catch (error) {
    port.postMessage({ type: 'error', message: (error as Error).message } satisfies FromEmbedThread);
  } finally {
    store?.close();
  }
  // Ends (closing the port lets a worker exit) only once the answer has arrived.
  await answered;
  port.close?.();
}
