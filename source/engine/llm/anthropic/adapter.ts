/**
 * The adapter for Anthropic's Messages API, and for the endpoints that speak
 * it (Kimi Code, GLM Coding, proxies), built on the official SDK. This folder
 * is the only place that imports `@anthropic-ai/sdk`; the CLI loads it lazily
 * so the SDK costs nothing when another provider is used.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { ProviderError } from '../../errors.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../provider.js';
import { createClient, type AnthropicAuth } from './client.js';
import { toProviderError, type ErrorContext } from './error-mapping.js';
import { MalformedEventError, StreamEventReader } from './event-reader.js';
import { buildMessagesBody } from './request.js';

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

export class AnthropicProvider implements Provider {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly maxContext: number | undefined;
  private readonly options: AnthropicOptions;
  private readonly baseURL: string;
  private sdk: Anthropic | undefined;

  constructor(options: AnthropicOptions) {
    this.options = options;
    this.provider = options.provider ?? 'anthropic';
    this.model = options.model;
    this.id = `${this.provider}/${this.model}`;
    this.maxContext = options.maxContext;
    this.baseURL = options.baseURL ?? ANTHROPIC_BASE_URL;
  }

  async *stream(request: LLMRequest, { signal }: StreamOptions): AsyncIterable<LLMStreamPart> {
    signal.throwIfAborted();
    const body = buildMessagesBody(request, {
      model: this.model,
      maxOutput: this.options.maxOutput,
      promptCaching: this.options.promptCaching ?? true,
    });
    let events: AsyncIterable<unknown>;
    try {
      // Passing the signal makes an abort close the HTTP connection, not just stop reading.
      // The body is built from loose records so provider-specific fields can ride along.
      events = await this.client().messages.create(body as unknown as MessageCreateParamsStreaming, { signal });
    } catch (error) {
      throw this.failure(error, signal);
    }

    const reader = new StreamEventReader();
    const iterator = events[Symbol.asyncIterator]();
    let drained = false;
    try {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw this.failure(error, signal);
        }
        // The SDK ends an aborted stream quietly; the abort must surface as the signal's reason.
        if (signal.aborted) throw signal.reason;
        if (next.done) break;
        yield* this.read(reader, next.value);
      }
      drained = true;
    } finally {
      // Stopped early (consumer break, malformed event): end the request instead of leaving it open.
      if (!drained) await closeQuietly(iterator);
    }
    this.checkComplete(reader);
    yield* reader.end();
  }

  /** The SDK keeps no sockets of its own (fetch pools them), so closing only drops the client. */
  close(): void {
    this.sdk = undefined;
  }

  private read(reader: StreamEventReader, event: unknown): LLMStreamPart[] {
    try {
      return reader.read(event);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      throw new ProviderError(`${this.provider} sent an event that is not a Messages API event: ${error.message}`, {
        provider: this.provider,
        errorClass: 'protocol',
        cause: error,
      });
    }
  }

  /**
   * No `message_start` means the server does not speak this API (retrying
   * will not help); a message that started but never stopped was cut off
   * (a proxy or the server closing early), which a retry may well fix.
   */
  private checkComplete(reader: StreamEventReader): void {
    if (!reader.sawStart) {
      throw new ProviderError(`${this.provider} answered with a stream that has no message in it`, {
        provider: this.provider,
        errorClass: 'protocol',
        hint: `check that ${this.baseURL} is an Anthropic-compatible endpoint`,
      });
    }
    if (!reader.complete) {
      throw new ProviderError(`the stream from ${this.provider} ended before the message was complete`, {
        provider: this.provider,
        errorClass: 'transient',
      });
    }
  }

  private client(): Anthropic {
    this.sdk ??= createClient({
      apiKey: this.options.apiKey,
      baseURL: this.baseURL,
      auth: this.options.auth ?? 'bearer',
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
    return this.sdk;
  }

  /** What to throw for `error`: the abort reason when we were aborted, else a classified ProviderError. */
  private failure(error: unknown, signal: AbortSignal): unknown {
    if (signal.aborted) return signal.reason;
    const ctx: ErrorContext = { provider: this.provider, model: this.model, baseURL: this.baseURL };
    return toProviderError(error, ctx);
  }
}

/** Close the SDK stream; a failure while closing must not replace the error already on its way. */
async function closeQuietly(iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // The request is being torn down anyway.
  }
}
