/**
 * The adapter for Google's Gemini API (generativelanguage.googleapis.com and
 * servers that speak it), built on the official `@google/genai` SDK. This
 * folder is the only place that imports the SDK; the CLI loads it lazily so
 * it costs nothing when another provider is used.
 *
 * The SDK has three layers that would fight ours, all switched off here:
 * HTTP retries (only on when `retryOptions` is given: we give none),
 * automatic stream continuation (it re-sends dropped requests: disabled per
 * request) and automatic function calling (needs callable tools: we send
 * declarations only, and disable it explicitly too).
 */
import { GoogleGenAI, type GenerateContentResponse } from '@google/genai';
import { ProviderError } from '../../errors.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../provider.js';
import { toProviderError } from './error-mapping.js';
import { withQuietConsole } from './quiet-console.js';
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
  /**
   * Path version; default `v1beta`, where Google ships function calling,
   * thinking config and thought signatures first (the SDK's own default,
   * `v1`, lags behind on those fields).
   */
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

const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';
const DEFAULT_API_VERSION = 'v1beta';

/** A `Provider` for Gemini models over `generateContentStream` (SSE). */
export class GeminiProvider implements Provider {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly maxContext: number | undefined;
  private readonly options: GeminiProviderOptions;
  private readonly baseURL: string;
  private sdk: GoogleGenAI | undefined;

  constructor(options: GeminiProviderOptions) {
    this.options = options;
    this.provider = options.provider ?? 'gemini';
    this.model = options.model;
    this.id = `${this.provider}/${this.model}`;
    this.maxContext = options.maxContext;
    // Explicit, so the SDK never silently picks up GOOGLE_GEMINI_BASE_URL for some other provider.
    this.baseURL = (options.baseURL ?? GEMINI_BASE_URL).replace(/\/+$/, '');
  }

  async *stream(request: LLMRequest, { signal }: StreamOptions): AsyncIterable<LLMStreamPart> {
    signal.throwIfAborted();
    const params = buildGenerateParams(this.model, request);
    if (params.contents.length === 0) {
      throw new ProviderError(`${this.provider}: nothing to send (the request has no user or model messages)`, {
        provider: this.provider,
        errorClass: 'user',
      });
    }

    // A signal of our own per request: the SDK never removes the listener it
    // adds to the signal it is given (a long-lived turn signal would collect
    // them), and aborting it is how an early exit closes the HTTP request.
    const local = new AbortController();
    const forward = () => local.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    const transport = new RequestTransport({
      provider: this.provider,
      baseURL: this.baseURL,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });

    let iterator: AsyncIterator<GenerateContentResponse> | undefined;
    let drained = false;
    try {
      try {
        const chunks = await this.client().models.generateContentStream({
          ...params,
          config: {
            ...params.config,
            abortSignal: local.signal,
            httpOptions: { fetch: transport.fetch },
            automaticContinuation: false,
            automaticFunctionCalling: { disable: true },
          },
        });
        iterator = chunks[Symbol.asyncIterator]();
      } catch (error) {
        throw this.failure(error, signal, transport);
      }

      const reader = new ResponseReader();
      for (;;) {
        let next: IteratorResult<GenerateContentResponse>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw this.failure(error, signal, transport);
        }
        // An abort can end the stream quietly; it must surface as the signal's reason.
        if (signal.aborted) throw signal.reason;
        if (next.done) break;
        yield* reader.read(next.value);
      }
      drained = true;

      if (!reader.sawResponse) {
        throw new ProviderError(`${this.provider} answered with an empty stream (no generation chunks)`, {
          provider: this.provider,
          errorClass: 'protocol',
          hint: `check that ${this.baseURL} is a Gemini API endpoint`,
        });
      }
      yield* reader.end();
    } finally {
      signal.removeEventListener('abort', forward);
      // Stopped early (consumer break, error): end the request instead of leaving it open.
      if (!drained) {
        local.abort();
        await closeQuietly(iterator);
      }
    }
  }

  /** The SDK keeps no sockets of its own (fetch pools them), so closing only drops the client. */
  close(): void {
    this.sdk = undefined;
  }

  private client(): GoogleGenAI {
    if (this.sdk) return this.sdk;
    const { options } = this;
    const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.sdk = withQuietConsole(
      () =>
        new GoogleGenAI({
          // Explicit, so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot switch backends.
          vertexai: false,
          // An empty key makes the SDK warn; a placeholder gets a clear "key rejected" from the API instead.
          apiKey: options.apiKey || 'no-key',
          apiVersion,
          httpOptions: { baseUrl: this.baseURL, apiVersion },
        }),
    );
    return this.sdk;
  }

  /** What to throw for `error`: the abort reason when we were aborted, else a classified ProviderError. */
  private failure(error: unknown, signal: AbortSignal, transport: RequestTransport): unknown {
    if (signal.aborted) return signal.reason;
    return toProviderError(error, {
      provider: this.provider,
      model: this.model,
      baseURL: this.baseURL,
      retryAfterMs: transport.retryAfterMs,
    });
  }
}

/** Close the SDK stream; a failure while closing must not replace the error already on its way. */
async function closeQuietly(iterator: AsyncIterator<unknown> | undefined): Promise<void> {
  try {
    await iterator?.return?.();
  } catch {
    // The request is being torn down anyway.
  }
}
