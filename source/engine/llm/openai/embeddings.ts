/**
 * Text embeddings over the OpenAI-compatible `POST /embeddings` API
 * (OpenAI, Ollama, vLLM, LM Studio, OpenRouter, ...), through the official
 * SDK like the chat adapter. Used by session search; it knows nothing of
 * sessions, it only turns texts into vectors.
 *
 * Long inputs are sent in batches (64 texts per request by default), each
 * retried under the engine's retry policy (`../embedding-batches.ts`).
 */
import { OpenAI } from 'openai/client';
import type { ProviderError } from '../../errors.js';
import { embedInBatches, malformedEmbeddings, toVector } from '../embedding-batches.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry.js';
import { SdkProvider } from '../sdk-provider.js';
import { toProviderError } from './error-mapping.js';

export interface OpenAIEmbeddingsOptions {
  /** Embedding model id as the server knows it, e.g. `text-embedding-3-small`. */
  model: string;
  /** Sent as a bearer token; an empty key (keyless local servers) is replaced by a placeholder. */
  apiKey: string;
  /** API root including `/v1`; defaults to OpenAI's. */
  baseURL?: string;
  /** Provider name for messages; defaults to `openai`. */
  provider?: string;
  /** Ask the server to shorten vectors to this many dimensions (text-embedding-3 models and other Matryoshka models). */
  dimensions?: number;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Time allowed for one request. */
  timeoutMs?: number;
  /** Retry policy for one batch (default: the engine's). */
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_BATCH = 64;

export class OpenAIEmbeddings extends SdkProvider<OpenAI, OpenAIEmbeddingsOptions> {
  private readonly policy: RetryPolicy;

  constructor(options: OpenAIEmbeddingsOptions) {
    super(options, { provider: 'openai', baseURL: OPENAI_BASE_URL });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** One vector per text, in order. An abort surfaces as the signal's reason; every other failure as a `ProviderError`. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return embedInBatches(
      texts,
      {
        batchSize: this.options.batchSize ?? DEFAULT_BATCH,
        policy: this.policy,
        request: (batch, batchSignal) => this.request(batch, batchSignal),
        toError: (error) => toProviderError(error, this.errorContext()),
      },
      signal,
    );
  }

  private async request(batch: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const { dimensions } = this.options;
    const response = await this.client().embeddings.create(
      // Floats, not the SDK's default base64: every compatible server speaks floats, not all speak base64.
      { model: this.model, input: batch, encoding_format: 'float', ...(dimensions !== undefined ? { dimensions } : {}) },
      signal ? { signal } : undefined,
    );
    return this.vectors(response, batch.length);
  }

  /** The vectors of a response in input order, or a protocol error if it is not an embeddings list. */
  private vectors(response: unknown, expected: number): Float32Array[] {
    const data = (response as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.length !== expected) {
      throw this.malformed(`expected ${expected} embeddings, got ${Array.isArray(data) ? data.length : 'none'}`);
    }
    const out = new Array<Float32Array>(expected);
    data.forEach((item: unknown, position) => {
      const { index, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
      const at = typeof index === 'number' ? index : position;
      const vector = toVector(embedding);
      if (at < 0 || at >= expected || out[at] || !vector) throw this.malformed(`embedding ${position} is not a list of numbers with a valid index`);
      out[at] = vector;
    });
    return out;
  }

  private malformed(detail: string): ProviderError {
    return malformedEmbeddings(this.errorContext(), 'an OpenAI-compatible endpoint', detail);
  }

  protected createClient(): OpenAI {
    const { options } = this;
    const foreign = this.provider !== 'openai';
    return new OpenAI({
      apiKey: options.apiKey || 'no-key',
      baseURL: this.baseURL,
      maxRetries: 0,
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(foreign ? { organization: null, project: null } : {}),
      ...(process.env['OPENAI_LOG'] ? {} : { logLevel: 'off' as const }),
    });
  }
}
