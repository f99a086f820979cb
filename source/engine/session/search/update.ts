/**
 * Bring a session's whole search index up to date before a search: blocks
 * and full text always, vectors for the new blocks when the session has an
 * embedding config (set by `kt embedding`). Searching never picks an
 * embedding model on its own: an API model costs money and sends the
 * history to a server, which only an explicit `kt embedding` may decide.
 */
import type { Env } from '../../home.js';
import type { SessionStore } from '../store.js';
import { createEmbedder, readEmbeddingConfig } from './embeddings/create.js';
import type { Embedder, EmbeddingConfig } from './embeddings/provider.js';
import { indexBlocks, type IndexResult } from './index.js';
import { embedBlocks } from './vectors.js';

export interface UpdateOptions {
  env?: Env;
  signal?: AbortSignal;
  /** Use this embedder instead of the one the session's config describes. */
  embedder?: Embedder;
  /**
   * Where a failure to embed goes. Given: the failure becomes a note and
   * the blocks stay searchable by full text (and by the vectors already
   * made). Absent: it is thrown.
   */
  onNote?: (message: string) => void;
}

export interface UpdateResult {
  blocks: IndexResult;
  /** Vectors added now and held in all, when the session has an embedder. */
  vectors?: { added: number; total: number };
  /** The embedder used, to embed the query with it without making it again. */
  embedder?: Embedder;
}

export async function updateIndex(store: SessionStore, options: UpdateOptions = {}): Promise<UpdateResult> {
  const blocks = indexBlocks(store);
  if (store.readonly) return { blocks };
  const config = options.embedder ? undefined : readEmbeddingConfig(store);
  if (!options.embedder && !config) return { blocks };
  try {
    const embedder = options.embedder ?? (await embedderFor(config as EmbeddingConfig, options));
    const vectors = await embedBlocks(store, embedder, options.signal ? { signal: options.signal } : {});
    return { blocks, vectors, embedder };
  } catch (error) {
    if (!options.onNote || options.signal?.aborted) throw error;
    options.onNote(`new blocks were not embedded (${(error as Error).message}); they are found by full text only`);
    return { blocks };
  }
}

async function embedderFor(config: EmbeddingConfig, options: UpdateOptions): Promise<Embedder> {
  const made = await createEmbedder(config, { ...(options.env ? { env: options.env } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  return made.embedder;
}
