/**
 * The adapter for Anthropic's Messages API, and for the endpoints that speak
 * it (Kimi Code, GLM Coding, proxies), built on the official SDK. This folder
 * is the only place that imports `@anthropic-ai/sdk`, and the adapter loads
 * it on its first request (sdk-bound.ts), so the SDK costs nothing when
 * another provider is used.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../provider.js';
import { cutOff, emptyStream, unexpectedItem } from '../provider-errors.js';
import { lazyImport, SdkProvider } from '../sdk-provider.js';
import { sdkStream } from '../sdk-stream.js';
import type { AnthropicAuth } from './client.js';
import { MalformedEventError, StreamEventReader } from './event-reader.js';
import { encodeMessagesBody } from './wire-body.js';

export type { AnthropicAuth } from './client.js';

export interface AnthropicOptions {
  /** Model id as the server knows it. */
  model: string;
  apiKey: string;
  /** API root without `/v1` (the SDK appends `/v1/messages`); defaults to Anthropic's. */
  baseURL?: string;
  /** Provider name for the id (`<provider>/<model>`) and for messages; defaults to `anthropic`. */
  provider?: string;
  /** Context window in tokens, when known. */
  maxContext?: number;
  /** The model's output limit; `max_tokens` (which the API requires) defaults to min(this or 32 000, 64 000). */
  maxOutput?: number;
  /** Place prompt-cache breakpoints; default true. `extraBody.disable_prompt_caching` turns it off per request. */
  promptCaching?: boolean;
  /** How the key is sent; default `bearer`, as the official API expects (see `client.ts`). */
  auth?: AnthropicAuth;
  /**
   * Time allowed until the response headers arrive. The SDK does not bound
   * a stream once it has started; the turn's own timeout covers that.
   */
  timeoutMs?: number;
  /** A fetch implementation to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch;
}

const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** The SDK-bound half (client, error classes), loaded by the first request (see sdk-bound.ts). */
const loadSdk = lazyImport(() => import('./sdk-bound.js'));
const JSON_CONTENT = { 'content-type': 'application/json' };

export class AnthropicProvider extends SdkProvider<Anthropic, AnthropicOptions> implements Provider {
  private bound: Awaited<ReturnType<typeof loadSdk>> | undefined;

  constructor(options: AnthropicOptions) {
    super(options, { provider: 'anthropic', baseURL: ANTHROPIC_BASE_URL });
  }

  async *stream(request: LLMRequest, { signal, timeouts }: StreamOptions): AsyncIterable<LLMStreamPart> {
    const sdk = (this.bound ??= await loadSdk());
    signal.throwIfAborted();
    // The body goes as ready bytes (see wire-body.ts); the params carry the
    // rest, which the SDK reads `stream`, its model warnings and two headers from.
    const { bytes, params } = encodeMessagesBody(request, {
      model: this.model,
      maxOutput: this.options.maxOutput,
      promptCaching: this.options.promptCaching ?? true,
    });
    const reader = new StreamEventReader();
    const events = sdkStream<unknown>({
      // Passing the signal makes an abort close the HTTP connection, not just stop reading.
      // The body is built from loose records so provider-specific fields can ride along.
      start: (requestSignal) =>
        this.client().messages.create(params as unknown as MessageCreateParamsStreaming, { signal: requestSignal, body: bytes, headers: JSON_CONTENT }),
      signal,
      provider: this.provider,
      timeouts,
      toError: (error) => sdk.toProviderError(error, this.errorContext()),
    });
    for await (const event of events) yield* this.read(reader, event);
    this.checkComplete(reader);
    yield* reader.end();
  }

  private read(reader: StreamEventReader, event: unknown): LLMStreamPart[] {
    try {
      return reader.read(event);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      throw unexpectedItem(this.provider, 'an event that is not a Messages API event', error);
    }
  }

  /**
   * No `message_start` means the server does not speak this API (retrying
   * will not help); a message that started but never stopped was cut off
   * (a proxy or the server closing early), which a retry may well fix.
   */
  private checkComplete(reader: StreamEventReader): void {
    if (!reader.sawStart) {
      throw emptyStream(this.provider, 'a stream that has no message in it', `check that ${this.baseURL} is an Anthropic-compatible endpoint`);
    }
    if (!reader.complete) throw cutOff(this.provider, 'message');
  }

  protected createClient(): Anthropic {
    if (!this.bound) throw new Error('the Anthropic SDK is loaded by stream() before the client is made');
    return this.bound.createClient({
      apiKey: this.options.apiKey,
      baseURL: this.baseURL,
      auth: this.options.auth ?? 'bearer',
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
  }
}
