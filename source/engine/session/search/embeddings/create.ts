/**
 * From settings to an embedder, and the settings a session keeps.
 */
import type { Env } from '../../../home.js';
import { ConfigError } from '../../../errors.js';
import type { SessionStore } from '../../store.js';
import { DEFAULT_HASH_DIMENSIONS, HASH_MODEL, HashEmbedder } from './hash.js';
import { EMBEDDING_STATE_KEY, type Embedder, type EmbeddingConfig, type EmbeddingProviderName } from './provider.js';

export interface EmbedderRequest {
  provider: EmbeddingProviderName;
  /** API model (`backend/model` allowed); must be left out or `hash-v1` for hash. */
  model?: string;
  dimensions?: number;
  backend?: string;
  /** For api with `dimensions`: ask the API for that width (default), or only expect it (false: the model's own width, as saved). */
  truncate?: boolean;
}

export interface CreateEmbedderOptions {
  env?: Env;
  signal?: AbortSignal;
  /** For tests and proxies (api only). */
  fetch?: typeof fetch;
}

/** The embedder a request (a saved config, or flags) describes, with the config that reproduces it. */
export async function createEmbedder(request: EmbedderRequest, options: CreateEmbedderOptions = {}): Promise<{ embedder: Embedder; config: EmbeddingConfig }> {
  if (request.dimensions !== undefined && (!Number.isInteger(request.dimensions) || request.dimensions < 8 || request.dimensions > 8192)) {
    throw new ConfigError(`embedding dimensions must be an integer from 8 to 8192, not ${request.dimensions}`);
  }
  if (request.provider === 'hash') {
    if (request.model !== undefined && request.model !== HASH_MODEL) {
      throw new ConfigError(`the hash embedder has no models (got '${request.model}'); leave --model out or use --provider api`);
    }
    const embedder = new HashEmbedder(request.dimensions ?? DEFAULT_HASH_DIMENSIONS);
    return { embedder, config: { provider: 'hash', model: HASH_MODEL, dimensions: embedder.dimensions } };
  }
  if (request.provider === 'api') {
    // Loaded only here: it pulls in the model catalog (and zod), which a hash or full-text search never needs.
    const { createApiEmbedder, DEFAULT_API_BACKEND, DEFAULT_API_MODEL } = await import('./api.js');
    const embedder = await createApiEmbedder({
      model: request.model ?? DEFAULT_API_MODEL,
      backend: request.backend ?? DEFAULT_API_BACKEND,
      ...(request.dimensions !== undefined ? (request.truncate === false ? { knownDimensions: request.dimensions } : { dimensions: request.dimensions }) : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const config: EmbeddingConfig = { provider: 'api', model: embedder.model, dimensions: embedder.dimensions, backend: embedder.backend, truncate: embedder.truncated };
    return { embedder, config };
  }
  throw new ConfigError(`unknown embedding provider '${String(request.provider)}'; use hash or api`);
}

/** The session's saved embedding settings, if `kt embedding` (or the API) chose some. */
export function readEmbeddingConfig(store: SessionStore): EmbeddingConfig | undefined {
  const config = store.getState<EmbeddingConfig | null>(EMBEDDING_STATE_KEY);
  return config && (config.provider === 'hash' || config.provider === 'api') ? config : undefined;
}

export function saveEmbeddingConfig(store: SessionStore, config: EmbeddingConfig): void {
  store.setState(EMBEDDING_STATE_KEY, config);
}
