/**
 * The HTTP view of one request, through the `fetch` hook the SDK offers.
 * The SDK keeps from us what the retry layer and the user need: its
 * `ApiError` drops the response headers (`retry-after`), its own timeout
 * bounds the whole stream rather than the wait for an answer, and a 200 that
 * is not what the call returns (an event stream for generation, JSON for
 * embeddings), say a login page behind a wrong base URL, only shows up as an
 * obscure parse failure later.
 */
import { ProviderError } from '../../errors.js';
import { parseRetryAfter } from '../retry.js';

/** Who is called (for messages) and how. */
export interface TransportOptions {
  provider: string;
  baseURL: string;
  /** Time allowed until the response headers arrive; the stream itself is not bounded. */
  timeoutMs?: number | undefined;
  /** The fetch to delegate to; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** What a 200 must be: an event stream (generation, the default) or JSON (unary calls such as embeddings). */
  body?: 'event-stream' | 'json' | undefined;
}

/** The content type each kind of answer has, and how a message names it. */
const BODIES = {
  'event-stream': { type: 'text/event-stream', name: 'an event stream' },
  json: { type: 'application/json', name: 'JSON' },
} as const;

/** What `fetch` takes as its first argument (the DOM's `RequestInfo | URL`). */
type FetchInput = Parameters<typeof fetch>[0];

/** Create one per request: it remembers that request's error headers. */
export class RequestTransport {
  /** Server-advised wait from the error response, when it sent `retry-after` / `retry-after-ms`. */
  retryAfterMs: number | undefined;
  /** Hand this to the SDK (`httpOptions.fetch`). */
  readonly fetch: (input: FetchInput, init?: RequestInit) => Promise<Response>;
  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    this.options = options;
    this.fetch = (input, init) => this.send(input, init);
  }

  private async send(input: FetchInput, init: RequestInit | undefined): Promise<Response> {
    const base = this.options.fetch ?? globalThis.fetch;
    const timeoutMs = this.options.timeoutMs;
    if (timeoutMs === undefined || timeoutMs <= 0) return this.inspect(await base(input, init));

    const timer = new AbortController();
    const signal = init?.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    const handle = setTimeout(() => timer.abort(), timeoutMs);
    try {
      return this.inspect(await base(input, { ...init, signal }));
    } catch (error) {
      // Our timer, not the caller: the server was too slow to answer.
      if (timer.signal.aborted && !init?.signal?.aborted) {
        const { provider } = this.options;
        throw new ProviderError(`${provider} did not answer in time (no response within ${timeoutMs} ms)`, {
          provider,
          errorClass: 'transient',
          cause: error,
        });
      }
      throw error;
    } finally {
      // Headers are in (or the request failed): the stream itself runs unbounded.
      clearTimeout(handle);
    }
  }

  private inspect(response: Response): Response {
    if (!response.ok) {
      this.retryAfterMs = parseRetryAfter(response.headers);
      return response; // the SDK turns it into an ApiError with the body
    }
    const type = response.headers.get('content-type') ?? '';
    const wanted = BODIES[this.options.body ?? 'event-stream'];
    if (type.includes(wanted.type)) return response;
    // Free the socket; the body is of no use.
    response.body?.cancel().catch(() => undefined);
    const { provider, baseURL } = this.options;
    throw new ProviderError(`${provider} answered with ${type || 'no content type'}, not ${wanted.name}`, {
      provider,
      errorClass: 'protocol',
      hint: `check that ${baseURL} is a Gemini API endpoint`,
    });
  }
}
