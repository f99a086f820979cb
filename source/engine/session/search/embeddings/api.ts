/**
 * The `api` embedder: an embeddings endpoint, found the way chat models are:
 * a backend from the model catalog (built-in `openai`, `gemini`, `ollama`,
 * `vllm`, ... or one from llm_profiles.yaml), its base URL (the backend's env
 * override first), and its key (`kt login` first, then the environment
 * variable). The model may name its backend: `ollama/nomic-embed-text`,
 * `gemini/gemini-embedding-001`.
 *
 * OpenAI-compatible backends are called at `/embeddings`, Gemini backends
 * at `:batchEmbedContents`. Each SDK client lives in its adapter folder
 * (`engine/llm/openai/`, `engine/llm/gemini/`, the only folders allowed to
 * import the SDKs) and is loaded only when this embedder is made.
 */
import type { Env } from '../../../home.js';
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
  'gemini-embedding-001': 3072,
  'text-embedding-004': 768,
};

/** Backend types with an embeddings API we speak. */
const EMBEDDING_TYPES: ReadonlySet<string> = new Set(['openai', 'openai-responses', 'gemini']);

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
  // Gemini backends may leave it out: the client knows Google's.
  if (!baseURL && backend.type !== 'gemini') throw new ConfigError(`provider '${backend.name}' has no base URL for embeddings`, {}, { hint: 'set one with kt config provider add' });
  let apiKey = '';
  if (backend.apiKeyEnv) {
    const found = lookupKey(backend, env);
    if (!found) throw new ConfigError(`no API key for ${backend.name}: set ${backend.apiKeyEnv} or run kt login ${backend.name}`, {}, { code: 'MISSING_API_KEY' });
    apiKey = found.key;
  }
  const client = await connect(backend, {
    model,
    apiKey,
    provider: backend.name,
    ...(baseURL ? { baseURL } : {}),
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
  if (!EMBEDDING_TYPES.has(backend.type)) {
    throw new ConfigError(`provider '${backend.name}' speaks the ${backend.type} API, which has no embeddings; embeddings need an OpenAI-compatible /embeddings endpoint or the Gemini API`, {}, {
      hint: 'use openai, gemini, ollama, vllm, lmstudio or a custom OpenAI-compatible or Gemini provider',
    });
  }
  if (!model) throw new ConfigError(`'${spec}' names no embedding model`);
  return { backend, model };
}

/** What both SDK clients take. */
interface ClientSettings {
  model: string;
  apiKey: string;
  provider: string;
  baseURL?: string;
  dimensions?: number;
  batchSize?: number;
  fetch?: typeof fetch;
  retry?: { maxRetries: number };
}

/** What both SDK clients offer. */
interface EmbeddingsClient {
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** The client for the backend's API, its SDK loaded only now. */
async function connect(backend: Backend, settings: ClientSettings): Promise<EmbeddingsClient> {
  if (backend.type === 'gemini') {
    const { GeminiEmbeddings } = await import('../../../llm/gemini/embeddings.js');
    return new GeminiEmbeddings(settings);
  }
  const { OpenAIEmbeddings } = await import('../../../llm/openai/embeddings.js');
  return new OpenAIEmbeddings(settings);
}

async function probe(client: EmbeddingsClient, signal: AbortSignal | undefined): Promise<number> {
  const [vector] = await client.embed(['dimension probe'], signal);
  return vector?.length ?? 0;
}
