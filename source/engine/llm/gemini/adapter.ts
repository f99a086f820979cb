/**
 * The adapter for Google's Gemini API (generativelanguage.googleapis.com and
 * servers that speak it), built on the official `@google/genai` SDK. This
 * folder is the only place that imports the SDK, and the adapter loads it on
 * its first request (sdk-bound.ts), so it costs nothing when another
 * provider is used.
 *
 * The SDK has three layers that would fight ours, all switched off here:
 * HTTP retries (only on when `retryOptions` is given: we give none),
 * automatic stream continuation (it re-sends dropped requests: disabled per
 * request) and automatic function calling (needs callable tools: we send
 * declarations only, and disable it explicitly too).
 */
import type { GenerateContentResponse, GoogleGenAI } from '@google/genai';
import { ProviderError } from '../../errors.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../provider.js';
import { cutOff, emptyStream } from '../provider-errors.js';
import { lazyImport, SdkProvider } from '../sdk-provider.js';
import { sdkStream } from '../sdk-stream.js';
import { GEMINI_BASE_URL, trimBaseURL } from './base-url.js';
import { buildGenerateParams } from './request.js';
import { ResponseReader } from './response-reader.js';
import { RequestTransport } from './transport.js';

/** How to reach a Gemini API server and which model to use. */
export interface GeminiProviderOptions {
  /** Model id as the API knows it, e.g. `gemini-2.5-flash`. */
  model: string;
  /** Sent as `x-goog-api-key`. */
  apiKey: string;
  /** API root without the version, e.g. `https://generativelanguage.googleapis.com`. */
  baseURL?: string;
  /** Path version; default `v1beta` (see client.ts). */
  apiVersion?: string;
  /** Provider name for the id (`<provider>/<model>`) and for messages; defaults to `gemini`. */
  provider?: string;
  /** Context window in tokens, when known. */
  maxContext?: number;
  /** Time allowed until the response headers arrive; a stream that has started is not bounded. */
  timeoutMs?: number;
  /** A fetch implementation to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch;
}

/** The SDK-bound half (client, error classes), loaded by the first request (see sdk-bound.ts). */
const loadSdk = lazyImport(() => import('./sdk-bound.js'));

/** A `Provider` for Gemini models over `generateContentStream` (SSE). */
// The client is typed `object` here and narrowed inside: the SDK is bundled into this adapter's
// chunk rather than installed, so the public declarations must never name its types.
export class GeminiProvider extends SdkProvider<object, GeminiProviderOptions> implements Provider {
  private bound: Awaited<ReturnType<typeof loadSdk>> | undefined;

  constructor(options: GeminiProviderOptions) {
    super({ ...options, baseURL: trimBaseURL(options.baseURL) }, { provider: 'gemini', baseURL: GEMINI_BASE_URL });
  }

  async *stream(request: LLMRequest, { signal, timeouts }: StreamOptions): AsyncIterable<LLMStreamPart> {
    signal.throwIfAborted();
    const params = buildGenerateParams(this.model, request);
    if (params.contents.length === 0) {
      throw new ProviderError(`${this.provider}: nothing to send (the request has no user or model messages)`, {
        provider: this.provider,
        errorClass: 'user',
      });
    }

    const sdk = (this.bound ??= await loadSdk());
    signal.throwIfAborted();
    const transport = new RequestTransport({
      provider: this.provider,
      baseURL: this.baseURL,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
    const reader = new ResponseReader();
    const chunks = sdkStream<GenerateContentResponse>({
      // sdkStream's signal is per request: the SDK never removes the listener it
      // adds to the signal it is given (a long-lived turn signal would collect them).
      start: (requestSignal) =>
        this.genai().models.generateContentStream({
          ...params,
          config: {
            ...params.config,
            abortSignal: requestSignal,
            httpOptions: { fetch: transport.fetch },
            automaticContinuation: false,
            automaticFunctionCalling: { disable: true },
          },
        }),
      signal,
      provider: this.provider,
      timeouts,
      // With the `retry-after` the transport saw, which the SDK's error drops.
      toError: (error) => sdk.toProviderError(error, { ...this.errorContext(), retryAfterMs: transport.retryAfterMs }),
    });
    for await (const chunk of chunks) yield* reader.read(chunk);

    if (!reader.sawResponse) {
      throw emptyStream(this.provider, 'an empty stream (no generation chunks)', `check that ${this.baseURL} is a Gemini API endpoint`);
    }
    // Every Gemini stream ends with a candidate's finishReason; without one it was cut off.
    if (!reader.finished) throw cutOff(this.provider, 'response');
    yield* reader.end();
  }

  /** No `retryOptions`: the SDK's HTTP retries stay off. */
  protected createClient(): object {
    if (!this.bound) throw new Error('the Gemini SDK is loaded by stream() before the client is made');
    return this.bound.createGeminiClient({ apiKey: this.options.apiKey, baseURL: this.baseURL, apiVersion: this.options.apiVersion });
  }

  private genai(): GoogleGenAI {
    return this.client() as GoogleGenAI;
  }
}
