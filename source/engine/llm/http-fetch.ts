/**
 * A `fetch` for the SDKs built on node:http(s) with keep-alive agents.
 *
 * A tool loop sends one streamed request per round. Through undici's fetch
 * each one builds a Request, clones its body into a web stream, tees it, and
 * reads the answer through a web ReadableStream: measured on a 37 KB body and
 * a short streamed answer, ~0.6 ms of CPU per request more than node:http
 * (1.3 vs 0.6 ms), most of a round's transport cost. Here the body bytes go to
 * the socket as they are and the answer is the IncomingMessage itself, which
 * the SDKs iterate (they accept any async-iterable body).
 *
 * It is a fetch for the requests our adapters make, not a general one: a
 * body that is not a string or bytes, or a Request object, goes to the
 * global fetch. What it keeps of fetch's behaviour: redirects are followed
 * (POST turned into GET on 301/302/303, the credentials dropped when the
 * origin changes), gzip/deflate/br answers are decoded, an abort ends the
 * request or the body with the signal's reason, and a failure before the
 * answer rejects with `TypeError('fetch failed')` carrying the socket error.
 * Idle sockets are closed after 4 s unless the server says otherwise, as
 * undici does, so a server's idle timeout rarely meets a request.
 *
 * The body bytes are not copied (undici copied them): a caller must leave
 * them alone until the request is over. The chat adapter's body arena takes
 * them back when the stream ends; a body still being written then (a server
 * that answered an error before reading it all) belongs to a request already
 * answered, whose connection is not reused until that write is done.
 *
 * Proxies: global fetch honours HTTP(S)_PROXY when NODE_USE_ENV_PROXY is set;
 * this transport does not, so `useHttpFetch` says no whenever proxy
 * variables are set and the SDK keeps its global fetch.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** Idle keep-alive sockets close after this long when the server gives no hint (undici's default). */
const IDLE_SOCKET_MS = 4000;
const MAX_REDIRECTS = 20;
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NODE_USE_ENV_PROXY'];
/** Dropped when a redirect changes the request to a GET without a body. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
/** Dropped when a redirect leaves the origin (what fetch drops). */
const ORIGIN_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'host'];

let httpAgent: http.Agent | undefined;
let httpsAgent: https.Agent | undefined;

/** Each agent is made on first use: node:https (and TLS with it) loads only for an https request. */
function agentFor(url: URL): http.Agent {
  if (url.protocol === 'https:') return (httpsAgent ??= new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }));
  return (httpAgent ??= new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }));
}

/** Whether adapters may use `httpFetch` here: not when proxy variables are set (see the header). */
export function useHttpFetch(env: NodeJS.ProcessEnv = process.env): boolean {
  return !PROXY_VARIABLES.some((name) => env[name]);
}

/** A fetch over node:http(s); see the header for what it does and does not do. */
export const httpFetch: typeof fetch = (input, init) => {
  const body = init?.body;
  const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  if (typeof input === 'object' && !(input instanceof URL)) return fetch(input, init);
  if (!plainBody) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
  const request: Outgoing = {
    url,
    method: (init?.method ?? 'GET').toUpperCase(),
    headers: plainHeaders(init?.headers),
    body: body ?? undefined,
    signal,
  };
  // A stand-in for Response with what the SDKs use of one (see HttpResponse), not the whole class.
  return send(request, 0) as unknown as Promise<Response>;
};

interface Outgoing {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  // Any Headers (Node's, or request-headers.ts's, which kt's bundle gives the OpenAI SDK) or a list of pairs is iterable; a record is not.
  // No `instanceof Headers`: reading the global Headers loads undici.
  const pairs: Iterable<readonly [string, string | undefined]> =
    Symbol.iterator in headers ? (headers as Iterable<readonly [string, string]>) : Object.entries(headers);
  for (const [name, value] of pairs) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function send(outgoing: Outgoing, redirects: number): Promise<HttpResponse> {
  const { url, method, body, signal } = outgoing;
  const headers = { ...outgoing.headers };
  // What fetch sends when the caller does not say; the answer is decoded below.
  headers['accept-encoding'] ??= 'gzip, deflate, br';
  if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method, headers, agent: agentFor(url) });
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      reject(new TypeError('fetch failed', { cause: error }));
    });
    req.once('response', (res) => {
      signal?.removeEventListener('abort', onAbort);
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      const next = redirectOf(outgoing, res);
      if (next) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) reject(new TypeError('fetch failed', { cause: new Error('redirect count exceeded') }));
        else send(next, redirects + 1).then(resolve, reject);
        return;
      }
      resolve(new HttpResponse(res, url.href, redirects > 0, signal));
    });
    req.end(body);
  });
}

/** The request to send next when `res` is a redirect fetch would follow; undefined otherwise. */
function redirectOf(outgoing: Outgoing, res: IncomingMessage): Outgoing | undefined {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (![301, 302, 303, 307, 308].includes(status) || !location) return undefined;
  const url = new URL(location, outgoing.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const headers = { ...outgoing.headers };
  let { method, body } = outgoing;
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    method = 'GET';
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  if (url.origin !== outgoing.url.origin) for (const name of ORIGIN_HEADERS) delete headers[name];
  return { url, method, headers, body, signal: outgoing.signal };
}

/** The body as sent, or decoded when the server compressed it. */
function decoded(res: IncomingMessage): Readable {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (!decoder) return res;
  return pipeline(res, decoder, () => undefined);
}

/** Response headers read from node's parsed ones; what the SDKs use of `Headers`. */
class ResponseHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw).sort()) yield [name, this.get(name) ?? ''];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, name: string, headers: ResponseHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * The answer as the SDKs read it: status, headers, and a body that is an
 * async iterable of byte chunks (node's stream) rather than a web stream.
 * An abort while the body is read destroys it with the signal's reason.
 */
class HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: ResponseHeaders;
  readonly type = 'basic';
  readonly body: Readable;
  bodyUsed = false;
  private readonly message: IncomingMessage;

  constructor(
    res: IncomingMessage,
    readonly url: string,
    readonly redirected: boolean,
    signal: AbortSignal | undefined,
  ) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new ResponseHeaders(res.headers);
    this.message = res;
    const body = decoded(res);
    this.body = body;
    if (signal) {
      // Once the body is over the socket belongs to the pool again: a later abort must leave it alone.
      const onAbort = () => body.destroy(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      body.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }

  /** The whole body has arrived (what is left is in the stream's buffer): reading on cannot wait on the server. */
  received(): boolean {
    return this.body === this.message && this.message.complete;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array> {
    this.bodyUsed = true;
    const chunks: Buffer[] = [];
    for await (const chunk of this.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async text(): Promise<string> {
    return Buffer.from(await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
}

/**
 * Whether `response` (from `httpFetch`) has its whole body in hand. A reader
 * done early (an SSE stream after `[DONE]`) then reads the rest rather than
 * cancelling: cancelling a body that has not ended closes the keep-alive
 * socket, and the next request would pay for a new connection.
 */
export function bodyReceived(response: unknown): boolean {
  return response instanceof HttpResponse && response.received();
}
