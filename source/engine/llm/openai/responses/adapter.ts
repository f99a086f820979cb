/**
 * The adapter for the OpenAI Responses API (`POST /responses`): ChatGPT
 * subscription models through the Codex backend (OAuth token + account id)
 * and OpenAI's own `/v1/responses` with an API key. Built on the official
 * SDK, like the chat-completions adapter next door, whose error mapping it
 * reuses.
 */
import { OpenAI } from 'openai/client';
import { APIConnectionError, APIError } from 'openai/core/error';
import type { ResponseCreateParamsStreaming } from 'openai/resources/responses/responses';
import { ProviderError } from '../../../errors.js';
import { isRecord } from '../../../util/records.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../../provider.js';
import { cutOff, emptyStream, unexpectedItem } from '../../provider-errors.js';
import { SdkProvider } from '../../sdk-provider.js';
import { sdkStream } from '../../sdk-stream.js';
import { toProviderError } from '../error-mapping.js';
import { withDetailErrors } from './detail-bodies.js';
import { EventReader, MalformedEventError, StreamFailure } from './event-reader.js';
import { refineHttpFailure } from './http-failure.js';
import { InputConverter } from './input.js';
import { streamFailureError } from './stream-failure.js';
import { ResponsesBodyEncoder } from './wire-body.js';

/** A bearer token, and for ChatGPT logins the account it acts for. */
export interface ResponsesCredentials {
  accessToken: string;
  /** Sent as `chatgpt-account-id`. */
  accountId?: string;
}

export interface ResponsesProviderOptions {
  /** Model id as the server knows it. */
  model: string;
  /** Provider name for the id (`<provider>/<model>`), messages and login hints; defaults to `openai`. */
  provider?: string;
  /** API root the SDK appends `/responses` to; defaults to OpenAI's `/v1`. See {@link CODEX_BASE_URL}. */
  baseURL?: string;
  /** Sent as a bearer token when there is no `credentials` callback. */
  apiKey?: string;
  /**
   * Called before every request, so an expiring OAuth token can be refreshed
   * in between. Supplies the bearer token (overriding `apiKey`) and the
   * `chatgpt-account-id` header. A `ProviderError` it throws passes through.
   */
  credentials?: () => Promise<ResponsesCredentials>;
  /** Sent with every request (the Codex backend wants an `originator`). */
  defaultHeaders?: Record<string, string>;
  /** Context window in tokens, when known. */
  maxContext?: number;
  /**
   * Sent as `store`; default false, which the Codex backend requires. With
   * false, reasoning is carried across requests as encrypted content.
   */
  store?: boolean;
  /** Time allowed until the response headers arrive; the turn's own timeout bounds the stream. */
  timeoutMs?: number;
  /** A fetch implementation to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch;
}

/** OpenAI's API root. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** ChatGPT's Codex backend root, for subscription logins. */
export const CODEX_BASE_URL = 'https://chatgpt.com/backend-api/codex';

const JSON_CONTENT = { 'content-type': 'application/json' };

export class ResponsesProvider extends SdkProvider<OpenAI, ResponsesProviderOptions> implements Provider {
  private readonly store: boolean;
  /** The Codex backend rejects some fields OpenAI accepts; decided by where we talk to. */
  private readonly codex: boolean;
  private readonly encoder: ResponsesBodyEncoder;

  constructor(options: ResponsesProviderOptions) {
    super(options, { provider: 'openai', baseURL: OPENAI_BASE_URL });
    this.store = options.store ?? false;
    this.codex = /\/backend-api\/codex\/?$/.test(this.baseURL);
    this.encoder = new ResponsesBodyEncoder(new InputConverter(this.store));
  }

  async *stream(request: LLMRequest, { signal, timeouts }: StreamOptions): AsyncIterable<LLMStreamPart> {
    signal.throwIfAborted();
    const headers = await this.authHeaders(signal);
    // The body goes as ready bytes (see wire-body.ts); the params object only
    // tells the SDK this is a stream (it reads `stream` from it).
    const body = this.encoder.encode(this.model, request, { store: this.store, codex: this.codex });
    const params: ResponseCreateParamsStreaming = { model: this.model, input: [], stream: true };
    const requestHeaders = { ...headers, ...JSON_CONTENT };
    const reader = new EventReader();
    const events = sdkStream<unknown>({
      // Passing the signal makes an abort close the HTTP connection, not just stop reading.
      start: (requestSignal) => this.client().responses.create(params, { signal: requestSignal, body, headers: requestHeaders }),
      signal,
      provider: this.provider,
      timeouts,
      toError: (error) => this.toError(error),
    });
    for await (const event of events) yield* this.read(reader, event);
    if (!reader.finished) throw this.unfinished(reader);
  }

  /** Fresh credentials for this request, as headers overriding the client's placeholder key. */
  private async authHeaders(signal: AbortSignal): Promise<Record<string, string> | undefined> {
    const { credentials } = this.options;
    if (!credentials) return undefined;
    let creds: ResponsesCredentials;
    try {
      creds = await credentials();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw this.credentialsFailure(error);
    }
    signal.throwIfAborted();
    const headers: Record<string, string> = { authorization: `Bearer ${creds.accessToken}` };
    if (creds.accountId) headers['chatgpt-account-id'] = creds.accountId;
    return headers;
  }

  private read(reader: EventReader, event: unknown): LLMStreamPart[] {
    try {
      return reader.read(event);
    } catch (error) {
      if (error instanceof StreamFailure) {
        throw streamFailureError({ code: error.code, message: error.message, event: error.event }, this, error);
      }
      if (!(error instanceof MalformedEventError)) throw error;
      throw unexpectedItem(this.provider, 'an event that is not a Responses API event', error);
    }
  }

  /** The stream ended without `response.completed`: cut off (retry) or not this API at all (don't). */
  private unfinished(reader: EventReader): ProviderError {
    if (!reader.sawEvents) {
      return emptyStream(this.provider, 'an empty stream (no Responses API events)', `check that ${this.baseURL} serves the Responses API`);
    }
    return cutOff(this.provider, 'response');
  }

  protected createClient(): OpenAI {
    const { options } = this;
    const oauth = options.credentials !== undefined;
    const foreign = this.provider !== 'openai' || oauth;
    return new OpenAI({
      // With a credentials callback the real token is set per request.
      apiKey: (oauth ? undefined : options.apiKey) || 'no-key',
      baseURL: this.baseURL,
      // The controller's retry policy is the only retry layer; SDK retries would multiply it.
      maxRetries: 0,
      fetch: withDetailErrors(options.fetch ?? ((input, init) => fetch(input, init))),
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
      // OPENAI_ORG_ID / OPENAI_PROJECT_ID belong to API keys; they mean nothing to a ChatGPT login.
      ...(foreign ? { organization: null, project: null } : {}),
      // SDK console logging would scribble over the terminal UI; OPENAI_LOG still turns it on.
      ...(process.env['OPENAI_LOG'] ? {} : { logLevel: 'off' as const }),
    });
  }

  /** A failure that was not an abort, classified. */
  private toError(error: unknown): ProviderError {
    // An `event: error` frame: the SDK throws it as an APIError without a status.
    if (error instanceof APIError && error.status === undefined && !(error instanceof APIConnectionError)) {
      const body = isRecord(error.error) ? error.error : {};
      const code = typeof body['code'] === 'string' ? body['code'] : undefined;
      const message = typeof body['message'] === 'string' ? body['message'] : error.message;
      return streamFailureError({ code, message, event: 'error' }, this, error);
    }
    return refineHttpFailure(toProviderError(error, this.errorContext()), error, {
      provider: this.provider,
      oauth: this.options.credentials !== undefined,
    });
  }

  /** The credentials callback failed: its own ProviderError, a network failure, or "log in again". */
  private credentialsFailure(error: unknown): ProviderError {
    if (error instanceof ProviderError) return error;
    const mapped = toProviderError(error, this.errorContext());
    if (mapped.errorClass !== 'unknown') return mapped;
    const detail = error instanceof Error ? error.message : String(error);
    return new ProviderError(`could not get credentials for ${this.provider}: ${detail}`, {
      provider: this.provider,
      errorClass: 'auth',
      cause: error,
      hint: `run \`kt login ${this.provider}\``,
    });
  }
}
