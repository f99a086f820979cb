/**
 * The adapter for OpenAI and every server that speaks its chat-completions
 * API (OpenRouter, vLLM, llama.cpp, Ollama, DeepSeek, Groq, ...), built on the
 * official SDK. This folder is the only place that imports `openai`; the CLI
 * loads it lazily so the SDK costs nothing when another provider is used.
 */
import { OpenAI } from 'openai/client';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ProviderError } from '../../errors.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../provider.js';
import { cutOff, emptyStream, unexpectedItem } from '../provider-errors.js';
import { SdkProvider } from '../sdk-provider.js';
import { sdkStream } from '../sdk-stream.js';
import { chunkBatches, type StreamedResponse } from './chunk-batches.js';
import { ChunkReader, MalformedChunkError } from './chunk-reader.js';
import { toProviderError } from './error-mapping.js';
import { chatBodyParts } from './wire-body.js';
import { BodyArena } from '../body-arena.js';
import { httpFetch, useHttpFetch } from '../http-fetch.js';

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
   * The SDK's own bound on the wait for the response headers; kt's request
   * and idle timeouts (`StreamOptions.timeouts`) apply in any case.
   */
  timeoutMs?: number;
  /** A fetch implementation to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const JSON_CONTENT = { 'content-type': 'application/json' };

export class OpenAICompatibleProvider extends SdkProvider<OpenAI, OpenAICompatibleOptions> implements Provider {
  constructor(options: OpenAICompatibleOptions) {
    super(options, { provider: 'openai', baseURL: OPENAI_BASE_URL });
  }

  async *stream(request: LLMRequest, { signal, timeouts }: StreamOptions): AsyncIterable<LLMStreamPart> {
    signal.throwIfAborted();
    // The body goes as ready bytes (see wire-body.ts), written into this
    // provider's arena and taken back when the stream ends; the params object
    // only tells the SDK this is a stream (it reads `stream` from it).
    const body = this.bodies.fill(chatBodyParts(this.model, request));
    const params: ChatCompletionCreateParamsStreaming = { model: this.model, messages: [], stream: true };
    const reader = new ChunkReader();
    try {
      const batches = sdkStream<unknown[]>({
        // Passing the signal makes an abort close the HTTP connection, not just stop reading.
        // The SDK sends the request and maps error statuses; the event stream is read here (chunk-batches.ts).
        start: async (requestSignal) => {
          const create = this.client().chat.completions.create(params, { signal: requestSignal, body: body.bytes, headers: JSON_CONTENT });
          return chunkBatches((await create.asResponse()) as unknown as StreamedResponse);
        },
        signal,
        provider: this.provider,
        timeouts,
        toError: (error) => this.toError(error),
      });
      for await (const batch of batches) for (const chunk of batch) yield* this.read(reader, chunk);
    } finally {
      body.release();
    }

    if (!reader.sawCompletion) {
      throw emptyStream(this.provider, 'an empty stream (no completion chunks)', `check that ${this.baseURL} is an OpenAI-compatible endpoint`);
    }
    if (!reader.finished) throw cutOff(this.provider, 'completion');
    yield* reader.end();
  }

  private readonly bodies = new BodyArena();

  protected createClient(): OpenAI {
    const { options } = this;
    const foreign = this.provider !== 'openai';
    return new OpenAI({
      apiKey: options.apiKey || 'no-key',
      baseURL: this.baseURL,
      // The controller's retry policy is the only retry layer; SDK retries would multiply it.
      maxRetries: 0,
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
      // Without a fetch of its own, node:http with keep-alive (http-fetch.ts): a round's request costs half as much.
      ...(options.fetch ? { fetch: options.fetch } : useHttpFetch() ? { fetch: httpFetch } : {}),
      // The SDK reads OPENAI_ORG_ID / OPENAI_PROJECT_ID; those headers mean nothing to other servers.
      ...(foreign ? { organization: null, project: null } : {}),
      // SDK console logging would scribble over the terminal UI; OPENAI_LOG still turns it on.
      ...(process.env['OPENAI_LOG'] ? {} : { logLevel: 'off' as const }),
    });
  }

  private read(reader: ChunkReader, chunk: unknown): LLMStreamPart[] {
    try {
      return reader.read(chunk);
    } catch (error) {
      if (!(error instanceof MalformedChunkError)) throw error;
      throw unexpectedItem(this.provider, 'a chunk that is not a chat completion', error);
    }
  }

  /** A failure that was not an abort, classified. */
  private toError(error: unknown): ProviderError {
    return toProviderError(error, this.errorContext());
  }
}
