/**
 * The adapter for OpenAI and every server that speaks its chat-completions
 * API (OpenRouter, vLLM, llama.cpp, Ollama, DeepSeek, Groq, ...), built on the
 * official SDK. This folder is the only place that imports `openai`; the CLI
 * loads it lazily so the SDK costs nothing when another provider is used.
 */
import OpenAI from 'openai';
import { ProviderError } from '../../errors.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../provider.js';
import { ChunkReader, MalformedChunkError } from './chunk-reader.js';
import { toProviderError, type ErrorContext } from './error-mapping.js';
import { buildChatBody } from './request.js';

export interface OpenAICompatibleOptions {
  /** Model id as the server knows it. */
  model: string;
  /** Sent as a bearer token. Servers without auth accept any value; an empty key is replaced by a placeholder. */
  apiKey: string;
  /** API root including `/v1`; defaults to OpenAI's. */
  baseURL?: string;
  /** Provider name for the id (`<provider>/<model>`) and for error messages; defaults to `openai`. */
  provider?: string;
  /** Context window in tokens, when known. */
  maxContext?: number;
  defaultHeaders?: Record<string, string>;
  /**
   * Time allowed until the response headers arrive. The SDK does not bound
   * a stream once it has started; the turn's own timeout covers that.
   */
  timeoutMs?: number;
  /** A fetch implementation to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export class OpenAICompatibleProvider implements Provider {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly maxContext: number | undefined;
  private readonly options: OpenAICompatibleOptions;
  private readonly baseURL: string;
  private sdk: OpenAI | undefined;

  constructor(options: OpenAICompatibleOptions) {
    this.options = options;
    this.provider = options.provider ?? 'openai';
    this.model = options.model;
    this.id = `${this.provider}/${this.model}`;
    this.maxContext = options.maxContext;
    // Explicit, so the SDK never silently picks up OPENAI_BASE_URL for some other provider.
    this.baseURL = options.baseURL ?? OPENAI_BASE_URL;
  }

  async *stream(request: LLMRequest, { signal }: StreamOptions): AsyncIterable<LLMStreamPart> {
    signal.throwIfAborted();
    const body = buildChatBody(this.model, request);
    let chunks: AsyncIterable<unknown>;
    try {
      // Passing the signal makes an abort close the HTTP connection, not just stop reading.
      chunks = await this.client().chat.completions.create(body, { signal });
    } catch (error) {
      throw this.failure(error, signal);
    }

    const reader = new ChunkReader();
    const iterator = chunks[Symbol.asyncIterator]();
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
      // Stopped early (consumer break, malformed chunk): end the request instead of leaving it open.
      if (!drained) await closeQuietly(iterator);
    }

    if (!reader.sawCompletion) {
      throw new ProviderError(`${this.provider} answered with an empty stream (no completion chunks)`, {
        provider: this.provider,
        errorClass: 'protocol',
        hint: `check that ${this.baseURL} is an OpenAI-compatible endpoint`,
      });
    }
    yield* reader.end();
  }

  /** The SDK keeps no sockets of its own (fetch pools them), so closing only drops the client. */
  close(): void {
    this.sdk = undefined;
  }

  private read(reader: ChunkReader, chunk: unknown): LLMStreamPart[] {
    try {
      return reader.read(chunk);
    } catch (error) {
      if (!(error instanceof MalformedChunkError)) throw error;
      throw new ProviderError(`${this.provider} sent a chunk that is not a chat completion: ${error.message}`, {
        provider: this.provider,
        errorClass: 'protocol',
        cause: error,
      });
    }
  }

  private client(): OpenAI {
    if (this.sdk) return this.sdk;
    const { options } = this;
    const foreign = this.provider !== 'openai';
    this.sdk = new OpenAI({
      apiKey: options.apiKey || 'no-key',
      baseURL: this.baseURL,
      // The controller's retry policy is the only retry layer; SDK retries would multiply it.
      maxRetries: 0,
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      // The SDK reads OPENAI_ORG_ID / OPENAI_PROJECT_ID; those headers mean nothing to other servers.
      ...(foreign ? { organization: null, project: null } : {}),
      // SDK console logging would scribble over the terminal UI; OPENAI_LOG still turns it on.
      ...(process.env['OPENAI_LOG'] ? {} : { logLevel: 'off' as const }),
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
