/**
 * What the search needs of an embedding model: a stable identity, a fixed
 * width, and a way to turn texts into vectors. Vectors made by one embedder
 * are only comparable with that embedder's, so the index records `id` and
 * refuses to mix.
 */

export interface Embedder {
  /** Names the model and its settings; vectors with different ids are incompatible. */
  readonly id: string;
  /** Length of every vector `embed` returns. */
  readonly dimensions: number;
  /** Texts it embeds well in one call (and one transaction); absent: the caller's default. */
  readonly batchSize?: number;
  /** One vector per text, in order. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

export type EmbeddingProviderName = 'hash' | 'api';

/**
 * The embedding settings a session keeps in state (`embedding.config`), so
 * a later search embeds its query the same way the blocks were embedded.
 */
export interface EmbeddingConfig {
  provider: EmbeddingProviderName;
  /** `hash-v1` for hash; the API model id otherwise. */
  model: string;
  dimensions: number;
  /** For `api`: `dimensions` is asked of the API (Matryoshka truncation), not the model's own width. */
  truncate?: boolean;
  /** For `api`: the backend (from the model catalog) serving `/embeddings`; default `openai`. */
  backend?: string;
}

/** State key of a session's embedding settings. */
export const EMBEDDING_STATE_KEY = 'embedding.config';
