/**
 * Searching one session's history.
 *
 * - `fts`: BM25 over the block text (FTS5, porter stemming). Score = −bm25,
 *   so higher is better. The creature filter is part of the SQL query, so
 *   the top k are exact (no over-fetch needed).
 * - `semantic`: nearest blocks by cosine distance to the embedded query.
 *   Score = 1 − distance. The creature filter over-fetches neighbours and
 *   filters them, widening until k are found or the table is exhausted.
 * - `hybrid`: reciprocal rank fusion (k = 60) of the FTS and vector lists,
 *   each taken deeper than k; score = the fused RRF score.
 * - `auto`: hybrid when the session has vectors, else fts.
 *
 * Without vectors, `semantic` throws `NoVectorsError` and `hybrid` falls
 * back to fts (with a note). A creature filter `swe` keeps `swe` and its
 * sub-agents (`swe/explore`); `explore` keeps every sub-agent of that name;
 * `swe/explore` keeps only that one.
 */
import { basename } from 'node:path';
import type { Env } from '../../home.js';
import { SessionError, UsageError } from '../../errors.js';
import type { SessionStore } from '../store.js';
import { formatAge } from '../../util/age.js';
import type { BlockKind } from './blocks.js';
import { createEmbedder, readEmbeddingConfig } from './embeddings/create.js';
import type { Embedder } from './embeddings/provider.js';
import { guarded, NoVectorsError } from './errors.js';
import { toFtsQuery } from './fts-query.js';
import { reciprocalRankFusion } from './fusion.js';
import { hasIndex, indexBlocks } from './index.js';
import { BLOCKS_TABLE, FTS_TABLE } from './tables.js';
import { MAX_KNN, nearestBlocks, vectorPosition, type VectorPosition } from './vectors.js';

export type SearchMode = 'fts' | 'semantic' | 'hybrid' | 'auto';
export const SEARCH_MODES: readonly SearchMode[] = ['fts', 'semantic', 'hybrid', 'auto'];

export interface SearchOptions {
  mode?: SearchMode;
  /** Hits to return (default 10, at most 1000). */
  k?: number;
  /** Only this creature and its sub-agents, or sub-agents of this name (see the file comment). */
  creature?: string;
  /** Embeds the query for semantic/hybrid; default: the one the session's `embedding.config` describes. */
  embedder?: Embedder;
  /** For API keys when the embedder comes from the session's config. */
  env?: Env;
  signal?: AbortSignal;
  /** The time ages are measured from (default: now). */
  now?: number;
  /** Bring the block index up to date before searching (default true; read-only files: see indexBlocks). */
  index?: boolean;
  /**
   * Vectors from which semantic ranking reads the session's int8 copy first and re-ranks its best
   * candidates exactly (default 20,000; `Infinity` keeps every search an exact scan).
   */
  twoStageFrom?: number;
  /** Told when the search changes course, e.g. hybrid without vectors falling back to full text. */
  onNote?: (message: string) => void;
}

export interface SearchHit {
  content: string;
  round: number;
  block: number;
  creature: string;
  kind: BlockKind;
  tool?: string;
  /** Higher is better; the scale depends on the mode (see the file comment). */
  score: number;
  ts: number;
  eventId: number;
  turn: number | null;
  branch: number | null;
  /** `3h ago`. */
  age: string;
}

type Plan = { mode: 'fts' } | { mode: 'semantic' | 'hybrid'; vectors: VectorPosition; embedder: Embedder };

interface Ranked {
  id: number;
  score: number;
}

/** Hybrid takes each list this many times deeper than k, so fusion can promote items ranked lower in one list. */
const FUSION_DEPTH = 4;
const MIN_FUSION_LIST = 50;

/** The best `k` blocks of a session for `query`. */
export async function searchSession(store: SessionStore, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1 || k > 1000) throw new UsageError(`k must be a whole number from 1 to 1000, not ${k}`);
  if (options.index !== false) indexBlocks(store);
  if (!hasIndex(store)) return [];
  const plan = await planSearch(store, options.mode ?? 'auto', options);
  let ranked: Ranked[];
  if (plan.mode === 'fts') {
    ranked = ftsRanked(store, query, k, options.creature);
  } else {
    const [vector] = await plan.embedder.embed([query], options.signal);
    if (!vector) throw new SessionError('the embedder returned no vector for the query');
    if (plan.mode === 'semantic') {
      ranked = vectorRanked(store, plan.vectors, vector, k, options);
    } else {
      const depth = Math.max(k * FUSION_DEPTH, MIN_FUSION_LIST);
      const lists = [ftsRanked(store, query, depth, options.creature), vectorRanked(store, plan.vectors, vector, depth, options)];
      ranked = reciprocalRankFusion(lists.map((list) => list.map((r) => r.id))).slice(0, k);
    }
  }
  return loadHits(store, ranked, options.now ?? Date.now());
}

/** The mode that will actually run, with what it needs. */
async function planSearch(store: SessionStore, requested: SearchMode, options: SearchOptions): Promise<Plan> {
  if (!SEARCH_MODES.includes(requested)) throw new UsageError(`unknown search mode '${String(requested)}'; use ${SEARCH_MODES.join(', ')}`);
  if (requested === 'fts') return { mode: 'fts' };
  const vectors = vectorPosition(store);
  if (!vectors) {
    if (requested === 'semantic') throw new NoVectorsError(basename(store.path));
    if (requested === 'hybrid') options.onNote?.('this session has no embeddings, so hybrid search fell back to full text (run kt embedding to add them)');
    return { mode: 'fts' };
  }
  try {
    const embedder = await queryEmbedder(store, vectors, options);
    return { mode: requested === 'auto' ? 'hybrid' : requested, vectors, embedder };
  } catch (error) {
    if (requested !== 'auto') throw error;
    options.onNote?.(`cannot embed the query (${(error as Error).message}); searching full text only`);
    return { mode: 'fts' };
  }
}

/** An embedder that makes vectors comparable with the stored ones. */
async function queryEmbedder(store: SessionStore, vectors: VectorPosition, options: SearchOptions): Promise<Embedder> {
  let embedder = options.embedder;
  if (!embedder) {
    const config = readEmbeddingConfig(store);
    if (!config) throw new SessionError(`${basename(store.path)} has vectors but no embedding settings`, { hint: 'run kt embedding <session> again' });
    ({ embedder } = await createEmbedder(config, { ...(options.env ? { env: options.env } : {}), ...(options.signal ? { signal: options.signal } : {}) }));
  }
  if (embedder.id !== vectors.embedder) {
    throw new SessionError(`the vectors in ${basename(store.path)} were made by ${vectors.embedder}, not ${embedder.id}`, {
      hint: 'search with the same embedding settings, or run kt embedding again with the new ones',
    });
  }
  return embedder;
}

function ftsRanked(store: SessionStore, query: string, limit: number, creature: string | undefined): Ranked[] {
  const match = toFtsQuery(query);
  if (!match) return [];
  // Without a filter the block table is not needed to rank: leaving out the join saves a lookup per match.
  const sql =
    creature === undefined
      ? `SELECT rowid AS id, bm25(${FTS_TABLE}) AS rank FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ? ORDER BY rank LIMIT ?`
      : `SELECT b.id AS id, bm25(${FTS_TABLE}) AS rank FROM ${FTS_TABLE} JOIN ${BLOCKS_TABLE} b ON b.id = ${FTS_TABLE}.rowid
         WHERE ${FTS_TABLE} MATCH ? AND (b.creature = ? OR substr(b.creature, 1, ?) = ? OR substr(b.creature, ?) = ?) ORDER BY rank LIMIT ?`;
  const args: Array<string | number> = [match];
  if (creature !== undefined) args.push(creature, creature.length + 1, `${creature}/`, -(creature.length + 1), `/${creature}`);
  args.push(limit);
  const rows = guarded(store.path, () => store.database.prepare(sql).all(...args) as Array<{ id: number; rank: number }>);
  return rows.map((r) => ({ id: r.id, score: -r.rank }));
}

function vectorRanked(store: SessionStore, vectors: VectorPosition, vector: Float32Array, limit: number, options: SearchOptions): Ranked[] {
  const creature = options.creature;
  let fetch = creature === undefined ? limit : limit * 8;
  for (;;) {
    const near = nearestBlocks(store, vectors, vector, fetch, options.twoStageFrom === undefined ? {} : { twoStageFrom: options.twoStageFrom });
    const kept = creature === undefined ? near : keepCreature(store, near, creature);
    if (kept.length >= limit || near.length < Math.min(fetch, MAX_KNN) || fetch >= MAX_KNN) {
      return kept.slice(0, limit).map((n) => ({ id: n.id, score: 1 - n.distance }));
    }
    fetch = Math.min(MAX_KNN, fetch * 4);
  }
}

function keepCreature<T extends { id: number }>(store: SessionStore, items: T[], creature: string): T[] {
  if (!items.length) return items;
  const rows = guarded(store.path, () =>
    store.database
      .prepare(`SELECT id, creature FROM ${BLOCKS_TABLE} WHERE id IN (${items.map(() => '?').join(',')})`)
      .all(...items.map((i) => i.id)) as Array<{ id: number; creature: string }>,
  );
  const labels = new Map(rows.map((r) => [r.id, r.creature]));
  return items.filter((item) => {
    const label = labels.get(item.id);
    return label !== undefined && matchesCreature(label, creature);
  });
}

/** The creature filter in JS; the FTS query applies the same rule in SQL. */
export function matchesCreature(label: string, filter: string): boolean {
  return label === filter || label.startsWith(`${filter}/`) || label.endsWith(`/${filter}`);
}

interface BlockRow {
  id: number;
  event_id: number;
  creature: string;
  round: number;
  block: number;
  kind: BlockKind;
  tool: string | null;
  content: string;
  ts: number;
  turn: number | null;
  branch: number | null;
}

function loadHits(store: SessionStore, ranked: Ranked[], now: number): SearchHit[] {
  if (!ranked.length) return [];
  const rows = guarded(store.path, () =>
    store.database.prepare(`SELECT * FROM ${BLOCKS_TABLE} WHERE id IN (${ranked.map(() => '?').join(',')})`).all(...ranked.map((r) => r.id)) as BlockRow[],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ranked.flatMap(({ id, score }) => {
    const row = byId.get(id);
    if (!row) return [];
    const hit: SearchHit = {
      content: row.content,
      round: row.round,
      block: row.block,
      creature: row.creature,
      kind: row.kind,
      ...(row.tool !== null ? { tool: row.tool } : {}),
      score,
      ts: row.ts,
      eventId: row.event_id,
      turn: row.turn,
      branch: row.branch,
      age: formatAge(row.ts, now),
    };
    return [hit];
  });
}

