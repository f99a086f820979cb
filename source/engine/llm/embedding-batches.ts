/**
 * What every embeddings client shares whatever its API: long inputs cut
 * into batches, each batch retried under the engine's retry policy, and the
 * check that what came back is a list of numbers. There is no controller
 * around an embedding run to retry for it (as there is around a turn), so
 * the retries live here, with the SDKs' own retries off as everywhere else.
 */
import type { ProviderError } from '../errors.js';
import { sleep } from '../util/abort.js';
import { providerFailure, type ErrorContext } from './provider-errors.js';
import { retryDelayMs, shouldRetry, type RetryPolicy } from './retry.js';

/** How one client embeds: its batch size, its policy, one request, and its SDK's error mapping. */
export interface EmbeddingBatches {
  /** Texts per request; at least 1. */
  batchSize: number;
  policy: RetryPolicy;
  /** One request for one batch: a vector per text, in order. Must stop (close the request) when `signal` fires. */
  request(batch: string[], signal: AbortSignal | undefined): Promise<Float32Array[]>;
  /** Any failure that is not an abort, classified; a `ProviderError` passes through. */
  toError(error: unknown): ProviderError;
}

/** One vector per text, in order. An abort surfaces as the signal's reason; every other failure as a `ProviderError`. */
export async function embedInBatches(texts: string[], client: EmbeddingBatches, signal?: AbortSignal): Promise<Float32Array[]> {
  const size = Math.max(1, client.batchSize);
  const out: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += size) {
    out.push(...(await withRetries(texts.slice(start, start + size), client, signal)));
  }
  return out;
}

async function withRetries(batch: string[], client: EmbeddingBatches, signal: AbortSignal | undefined): Promise<Float32Array[]> {
  for (let retry = 0; ; retry++) {
    signal?.throwIfAborted();
    try {
      return await client.request(batch, signal);
    } catch (error) {
      // Checked before mapping: whatever the SDK made of our abort, the caller gets its own reason.
      if (signal?.aborted) throw signal.reason;
      const failure = client.toError(error);
      failure.attempts = retry + 1;
      if (!shouldRetry(client.policy, failure, retry)) throw failure;
      await sleep(retryDelayMs(client.policy, retry + 1, failure), signal);
    }
  }
}

/** A finite, non-empty list of numbers as a vector; anything else is undefined. */
export function toVector(value: unknown): Float32Array | undefined {
  if (value instanceof Float32Array) return value.length > 0 ? value : undefined;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? Float32Array.from(value as number[]) : undefined;
}

/**
 * A 200 that is not the embeddings it should be: the server speaks another
 * protocol (or serves another model), and a retry will not help. `endpoint`
 * names what the base URL should be, e.g. "a Gemini API endpoint".
 */
export function malformedEmbeddings(ctx: ErrorContext, endpoint: string, detail: string): ProviderError {
  return providerFailure(ctx.provider, 'protocol', `${ctx.provider} sent a malformed embeddings response: ${detail}`, undefined, {
    hint: `check that ${ctx.baseURL} is ${endpoint} serving ${ctx.model}`,
  });
}
