/**
 * Searching every session in a folder (`kt search --all`).
 *
 * Each `.kohakutr` file, newest first, is brought up to date (blocks, and
 * vectors if it has an embedding config) and searched on its own; the hits
 * are then merged BY SCORE, ties to the newer session. Scores of one mode
 * share a scale across files (BM25 is the same formula everywhere, only its
 * term statistics are per file; cosine and RRF scores are directly
 * comparable), so a strong match in an old session still beats a weak one
 * in a new session, which merging by rank (RRF across sessions) would not
 * allow: every session's first hit would tie.
 *
 * Files another process is writing are fine (WAL; indexing waits up to the
 * busy timeout for the writer). A file that cannot be indexed (locked,
 * read-only) is searched as it is; one that is not a session or is damaged
 * is skipped with a warning. The query is embedded once per embedder.
 */
import { basename } from 'node:path';
import { KTError, SessionError } from '../../errors.js';
import { SESSION_EXTENSION, sessionFiles } from '../listing.js';
import { SessionStore } from '../store.js';
import { createEmbedder, readEmbeddingConfig } from './embeddings/create.js';
import type { Embedder } from './embeddings/provider.js';
import { NoVectorsError } from './errors.js';
import { searchSession, type SearchHit, type SearchOptions } from './search.js';
import { updateIndex } from './update.js';

export interface SessionHit extends SearchHit {
  /** The session file. */
  session: string;
  /** Its name (the file name without `.kohakutr`). */
  sessionName: string;
}

export interface SearchAllOptions extends Omit<SearchOptions, 'index' | 'embedder'> {
  /** Update each session's index before searching it (default true); false searches what is indexed (read-only). */
  index?: boolean;
}

export interface SearchAllResult {
  hits: SessionHit[];
  /** Sessions searched. */
  searched: number;
  /** Files skipped or searched only in part, one line each. */
  warnings: string[];
}

export async function searchAll(dir: string, query: string, options: SearchAllOptions = {}): Promise<SearchAllResult> {
  const k = options.k ?? 10;
  const warnings: string[] = [];
  const embedders = new Map<string, Embedder>();
  const hits: SessionHit[] = [];
  let searched = 0;
  let withoutVectors = 0;
  for (const path of sessionFiles(dir)) {
    options.signal?.throwIfAborted();
    const name = basename(path, SESSION_EXTENSION);
    const store = openForSearch(path, options.index !== false, warnings);
    if (!store) continue;
    try {
      const notes: string[] = [];
      const embedder = await sharedEmbedder(store, embedders, options, notes);
      if (!store.readonly) await update(store, embedder, options, notes);
      const found = await searchSession(store, query, {
        ...options,
        k,
        // Read-only: search what the file holds, or a temporary index when it holds none.
        index: store.readonly,
        ...(embedder ? { embedder } : {}),
        onNote: (m) => notes.push(m),
      });
      searched++;
      for (const note of notes) warnings.push(`${name}: ${note}`);
      for (const hit of found) hits.push({ ...hit, session: path, sessionName: name });
    } catch (error) {
      if (error instanceof NoVectorsError) withoutVectors++;
      // A typed failure (locked, damaged, embedder unavailable) costs this session, not the whole search.
      else if (error instanceof KTError) warnings.push(`${name}: skipped: ${error.message}`);
      else throw error;
    } finally {
      store.close();
    }
  }
  if (options.mode === 'semantic' && withoutVectors > 0 && searched === 0) throw new NoVectorsError(`no session in ${dir}`);
  if (withoutVectors > 0) warnings.push(`${withoutVectors} session(s) without embeddings were not searched semantically`);
  // A stable sort keeps newer sessions first among equal scores: files were visited newest first.
  hits.sort((a, b) => b.score - a.score);
  return { hits: hits.slice(0, k), searched, warnings };
}

/** Index what is new; a file another process keeps locked is searched as it is, with a note. */
async function update(store: SessionStore, embedder: Embedder | undefined, options: SearchAllOptions, notes: string[]): Promise<void> {
  try {
    await updateIndex(store, { ...common(options), ...(embedder ? { embedder } : {}), onNote: (m) => notes.push(m) });
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    notes.push(`its index was not updated (${error.message})`);
  }
}

/** Writable when indexing is wanted and possible; read-only when the file cannot be written; undefined (with a warning) when it is not a usable session. */
function openForSearch(path: string, index: boolean, warnings: string[]): SessionStore | undefined {
  const name = basename(path, SESSION_EXTENSION);
  if (index) {
    try {
      return SessionStore.open(path);
    } catch {
      // Not writable here (locked, read-only file system, permissions): try reading it.
    }
  }
  try {
    const store = SessionStore.open(path, { readonly: true });
    if (index) warnings.push(`${name}: opened read-only, its index was not updated`);
    return store;
  } catch (error) {
    warnings.push(`${name}: skipped: ${(error as Error).message}`);
    return undefined;
  }
}

/** One embedder per embedding config across the folder, remembering query vectors, so the query is embedded once. */
async function sharedEmbedder(store: SessionStore, cache: Map<string, Embedder>, options: SearchAllOptions, notes: string[]): Promise<Embedder | undefined> {
  const config = readEmbeddingConfig(store);
  if (!config) return undefined;
  const key = JSON.stringify(config);
  const known = cache.get(key);
  if (known) return known;
  try {
    const { embedder } = await createEmbedder(config, common(options));
    const shared = rememberingEmbedder(embedder);
    cache.set(key, shared);
    return shared;
  } catch (error) {
    notes.push(`its embedder is unavailable (${(error as Error).message})`);
    return undefined;
  }
}

/** Single texts (queries) are embedded once; batches (blocks) pass through. */
function rememberingEmbedder(embedder: Embedder): Embedder {
  const queries = new Map<string, Float32Array>();
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    async embed(texts, signal) {
      const [text] = texts;
      if (texts.length !== 1 || text === undefined) return embedder.embed(texts, signal);
      let vector = queries.get(text);
      if (!vector) {
        [vector] = (await embedder.embed(texts, signal)) as [Float32Array];
        queries.set(text, vector);
      }
      return [vector];
    },
  };
}

function common(options: SearchAllOptions): { env?: SearchOptions['env']; signal?: AbortSignal } {
  return { ...(options.env ? { env: options.env } : {}), ...(options.signal ? { signal: options.signal } : {}) };
}
