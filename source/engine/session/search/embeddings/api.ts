/**
 * The `api` embedder: an OpenAI-compatible `/embeddings` endpoint, found the
 * way chat models are: a backend from the model catalog (built-in `openai`,
 * `ollama`, `vllm`, ... or one from llm_profiles.yaml), its base URL (the
 * backend's env override first), and its key (`kt login` first, then the
 * environment variable). The model may name its backend: `ollama/nomic-embed-text`.
 *
 * The SDK client lives in `engine/llm/openai/` (the only folder allowed to
 * import `openai`) and is loaded only when this embedder is made.
 */
import type { Env } from '../../../config/paths.js';
import { ConfigError } from '../../../errors.js';
import { lookupKey } from '../../../llm/keys.js';
import { ModelCatalog } from '../../../llm/profiles/catalog.js';
import type { Backend } from '../../../llm/profiles/types.js';
import type { Embedder } from './provider.js';

export const DEFAULT_API_MODEL = 'text-embedding-3-small';
export const DEFAULT_API_BACKEND = 'openai';

/** Widths of well-known models, so no probe request is needed for them. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export interface ApiEmbedderOptions {
  /** `model` or `backend/model`; default `text-embedding-3-small`. */
  model?: string;
  /** Backend name when the model does not name one; default `openai`. */
  backend?: string;
  /** Width to ask the API for (Matryoshka truncation); unset = the model's own. */
  dimensions?: number;
  /** The model's own width when already known (from a saved config): no probe, and nothing extra sent. */
  knownDimensions?: number;
  env?: Env;
  /** Texts per request. */
  batchSize?: number;
  signal?: AbortSignal;
  /** For tests and proxies. */
  fetch?: typeof fetch;
  /** Retries per batch (default: the engine's policy). */
  maxRetries?: number;
}

/** An `Embedder` over the API. Sends one short probe request when the model's width is unknown. */
export async function createApiEmbedder(options: ApiEmbedderOptions = {}): Promise<Embedder & { backend: string; model: string; truncated: boolean }> {
  const env = options.env ?? process.env;
  const catalog = ModelCatalog.load(env);
  const { backend, model } = locate(options.model ?? DEFAULT_API_MODEL, options.backend ?? DEFAULT_API_BACKEND, catalog);
  const baseURL = (backend.baseURLEnv ? env[backend.baseURLEnv]?.trim() : undefined) || backend.baseURL;
  if (!baseURL) throw new ConfigError(`provider '${backend.name}' has no base URL for embeddings`, {}, { hint: 'set one with kt config provider add' });
  let apiKey = '';
  if (backend.apiKeyEnv) {
    const found = lookupKey(backend, env);
    if (!found) throw new ConfigError(`no API key for ${backend.name}: set ${backend.apiKeyEnv} or run kt login ${backend.name}`, {}, { code: 'MISSING_API_KEY' });
    apiKey = found.key;
  }
  const { OpenAIEmbeddings } = await import('../../../llm/openai/embeddings.js');
  const client = new OpenAIEmbeddings({
    model,
    apiKey,
    baseURL,
    provider: backend.name,
    ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.maxRetries !== undefined ? { retry: { maxRetries: options.maxRetries } } : {}),
  });
  const dimensions = options.dimensions ?? options.knownDimensions ?? KNOWN_DIMENSIONS[model] ?? (await probe(client, options.signal));
  const id = `api:${backend.name}/${model}:${dimensions}`;
  return {
    id,
    dimensions,
    backend: backend.name,
    model,
    truncated: options.dimensions !== undefined,
    async embed(texts, signal) {
      const vectors = await client.embed(texts, signal);
      for (const vector of vectors) {
        if (vector.length !== dimensions) {
          throw new ConfigError(`${backend.name}/${model} returned ${vector.length}-dimensional embeddings, not ${dimensions}`, {}, {
            hint: 'pass --dimensions to match the model, or leave it out',
          });
        }
      }
      return vectors;
    },
  };
}

/** `backend/model` when the first part names a backend (OpenRouter model ids contain slashes too), else `model` on `fallback`. */
function locate(spec: string, fallback: string, catalog: ModelCatalog): { backend: Backend; model: string } {
  const slash = spec.indexOf('/');
  const named = slash > 0 ? catalog.backends.get(spec.slice(0, slash)) : undefined;
  const backend = named ?? catalog.backends.get(fallback);
  const model = named ? spec.slice(slash + 1) : spec;
  if (!backend) {
    throw new ConfigError(`unknown provider '${fallback}' for embeddings; providers: ${[...catalog.backends.keys()].join(', ')}`);
  }
  if (backend.type !== 'openai' && backend.type !== 'openai-responses') {
    throw new ConfigError(`provider '${backend.name}' speaks the ${backend.type} API; embeddings need an OpenAI-compatible /embeddings endpoint`, {}, {
      hint: 'use openai, ollama, vllm, lmstudio or a custom OpenAI-compatible provider',
    });
  }
  if (!model) throw new ConfigError(`'${spec}' names no embedding model`);
  return { backend, model };
}

async function probe(client: { embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> }, signal: AbortSignal | undefined): Promise<number> {
  const [vector] = await client.embed(['dimension probe'], signal);
  return vector?.length ?? 0;
}
