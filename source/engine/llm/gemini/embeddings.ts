/**
 * Text embeddings over the Gemini API, through `@google/genai` like the chat
 * adapter. Used by session search; it knows nothing of sessions, it only
 * turns texts into vectors.
 *
 * For the Developer API the SDK's `models.embedContent` sends one
 * `POST /{version}/models/{model}:batchEmbedContents` with one request per
 * text (`{model: "models/<id>", content: {parts: [{text}]},
 * outputDimensionality}`) and reads `{embeddings: [{values}]}` back. The API
 * takes at most 100 requests per call, so longer inputs are cut into
 * batches, each retried under the engine's retry policy
 * (`../embedding-batches.ts`); the SDK's own retries stay off.
 */
import type { EmbedContentResponse, GoogleGenAI } from '@google/genai';
import type { ProviderError } from '../../errors.js';
import { embedInBatches, malformedEmbeddings, toVector } from '../embedding-batches.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry.js';
import { SdkProvider } from '../sdk-provider.js';
import { createGeminiClient, GEMINI_BASE_URL, trimBaseURL } from './client.js';
import { toProviderError } from './error-mapping.js';
import { RequestTransport } from './transport.js';

export interface GeminiEmbeddingsOptions {
  /** Embedding model id as the API knows it, e.g. `gemini-embedding-001`. */
  model: string;
  /** Sent as `x-goog-api-key`. */
  apiKey: string;
  /** API root without the version; defaults to Google's. */
  baseURL?: string;
  /** Path version; default `v1beta`. */
  apiVersion?: string;
  /** Provider name for messages; defaults to `gemini`. */
  provider?: string;
  /** Sent as `outputDimensionality`: the API truncates its (Matryoshka) vectors to this width. */
  dimensions?: number;
  /** Texts per request: default and most 100, the API's limit. */
  batchSize?: number;
  /** Time allowed until the response headers of one request arrive. */
  timeoutMs?: number;
  /** Retry policy for one batch (default: the engine's). */
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
}

/** `batchEmbedContents` refuses more requests than this in one call. */
const MAX_BATCH = 100;

export class GeminiEmbeddings extends SdkProvider<GoogleGenAI, GeminiEmbeddingsOptions> {
  private readonly policy: RetryPolicy;

  constructor(options: GeminiEmbeddingsOptions) {
    super({ ...options, baseURL: trimBaseURL(options.baseURL) }, { provider: 'gemini', baseURL: GEMINI_BASE_URL });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** One vector per text, in order. An abort surfaces as the signal's reason; every other failure as a `ProviderError`. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return embedInBatches(
      texts,
      {
        batchSize: Math.min(MAX_BATCH, this.options.batchSize ?? MAX_BATCH),
        policy: this.policy,
        request: (batch, batchSignal) => this.request(batch, batchSignal),
        toError: (error) => toProviderError(error, this.errorContext()),
      },
      signal,
    );
  }

  private async request(batch: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const { dimensions } = this.options;
    // A signal of our own per request: the SDK leaves its listener on the
    // signal it is given once a response arrives, and one run's signal
    // spans many batches.
    const local = new AbortController();
    const forward = () => local.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    const transport = new RequestTransport({
      provider: this.provider,
      baseURL: this.baseURL,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
      body: 'json',
    });
    try {
      const response = await this.client().models.embedContent({
        model: this.model,
        // Whole `Content`s, one per text: plain strings would be merged into one content (one vector) for some models.
        contents: batch.map((text) => ({ role: 'user', parts: [{ text }] })),
        config: {
          abortSignal: local.signal,
          httpOptions: { fetch: transport.fetch },
          ...(dimensions !== undefined ? { outputDimensionality: dimensions } : {}),
        },
      });
      return this.vectors(response, batch.length);
    } catch (error) {
      // A 200 whose body is not JSON at all (the transport already checked the content type).
      if (error instanceof SyntaxError) throw this.malformed('the body is not valid JSON');
      // Mapped here, where the transport's `retry-after` is known (the SDK drops headers).
      throw toProviderError(error, { ...this.errorContext(), retryAfterMs: transport.retryAfterMs });
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }

  /** The vectors of a response in input order, or a protocol error if it is not one embedding per text. */
  private vectors(response: EmbedContentResponse | null | undefined, expected: number): Float32Array[] {
    const embeddings: unknown = response?.embeddings;
    if (!Array.isArray(embeddings) || embeddings.length !== expected) {
      throw this.malformed(`expected ${expected} embeddings, got ${Array.isArray(embeddings) ? embeddings.length : 'none'}`);
    }
    return embeddings.map((item: unknown, position) => {
      const vector = toVector((item as { values?: unknown } | null)?.values);
      if (!vector) throw this.malformed(`embedding ${position} has no list of numbers as its values`);
      return vector;
    });
  }

  private malformed(detail: string): ProviderError {
    return malformedEmbeddings(this.errorContext(), 'a Gemini API endpoint', detail);
  }

  /** No `retryOptions`: the SDK's HTTP retries stay off. */
  protected createClient(): GoogleGenAI {
    return createGeminiClient({ apiKey: this.options.apiKey, baseURL: this.baseURL, apiVersion: this.options.apiVersion });
  }
}
