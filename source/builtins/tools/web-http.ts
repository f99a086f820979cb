/**
 * HTTP GET for the web tools (`web_fetch`, `web_search`): the global fetch
 * with the call's AbortSignal plus a time limit, redirects followed by hand
 * (so there is a limit, and each hop must stay on http/https), and a body
 * read that stops at a size cap instead of buffering whatever the server
 * sends. Network failures become ToolErrors that name the cause; an abort of
 * the call itself surfaces as the signal's reason, as everywhere else.
 *
 * `checkHost` runs before every hop: web_fetch passes the public-address
 * rule (web-address.ts); web_search, whose endpoint the user configures, does not.
 */
import { KTError, ToolError } from '../../engine/errors.js';

export const USER_AGENT = 'Mozilla/5.0 (compatible; KohakuTerrarium; +https://github.com/Kohaku-Lab/KohakuTerrarium)';

export interface GetOptions {
  /** The call's signal: aborting it really ends the request (the socket is closed). */
  signal: AbortSignal;
  /** Limit for the whole exchange, redirects and body included. */
  timeoutMs: number;
  /** Hops to follow before giving up. */
  maxRedirects: number;
  headers?: Record<string, string>;
  /** Names the tool in errors. */
  tool: string;
  /** Throws to refuse a hop's host (the first request and every redirect). */
  checkHost?: (url: URL) => Promise<void>;
  /** Told about each redirect hop, for progress reporting. */
  onRedirect?: (to: URL) => void;
}

/** An open response whose body has not been read yet. */
export interface OpenResponse {
  response: Response;
  /** Where the last hop landed. */
  url: URL;
  /** Every URL that answered with a redirect, in order. */
  redirects: URL[];
}

export interface BodyBytes {
  bytes: Uint8Array;
  /** True when the body went past the cap and the rest was not read. */
  capped: boolean;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** A URL the web tools may request: http or https, no credentials. Throws a ToolError otherwise. */
export function checkWebUrl(raw: string, tool: string): URL {
  const text = raw.trim();
  if (!URL.canParse(text)) {
    const hint = /^[\w.-]+\.[a-z]{2,}(?:[/:?#]|$)/i.test(text) ? ` (did you mean https://${text}?)` : '';
    throw new ToolError(`not a valid URL: ${JSON.stringify(raw)}${hint}`, { tool });
  }
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ToolError(`only http:// and https:// URLs can be fetched, not ${url.protocol}`, { tool });
  }
  if (url.username || url.password) throw new ToolError('URLs with a user name or password in them are not supported', { tool });
  return url;
}

/**
 * GET `url`, follow redirects, and hand the open response to `handle`. The
 * body is cancelled afterwards if `handle` left it unread, so the
 * connection never lingers.
 */
export async function withGet<T>(url: URL, options: GetOptions, handle: (open: OpenResponse, signal: AbortSignal) => Promise<T>): Promise<T> {
  options.signal.throwIfAborted();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const redirects: URL[] = [];
  let current = url;
  let response: Response | undefined;
  try {
    for (;;) {
      await options.checkHost?.(current);
      response = await fetch(current, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: { 'user-agent': USER_AGENT, ...options.headers },
      });
      const location = response.headers.get('location');
      if (!REDIRECT.has(response.status) || location === null) break;
      await response.body?.cancel().catch(() => undefined);
      if (redirects.length >= options.maxRedirects) {
        throw new ToolError(`too many redirects (more than ${options.maxRedirects}) starting at ${url.href}`, { tool: options.tool });
      }
      redirects.push(current);
      const next = URL.canParse(location, current) ? new URL(location, current) : undefined;
      if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
        throw new ToolError(`${current.href} redirects to ${JSON.stringify(location)}, which is not an http(s) URL`, { tool: options.tool });
      }
      current = next;
      options.onRedirect?.(current);
    }
    return await handle({ response, url: current, redirects }, signal);
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new ToolError(`timed out after ${formatSeconds(options.timeoutMs)} waiting for ${current.href}`, { tool: options.tool, cause: error });
    }
    if (error instanceof KTError) throw error;
    throw new ToolError(describeNetworkError(error, current), { tool: options.tool, cause: error });
  } finally {
    if (response?.body && !response.bodyUsed) await response.body.cancel().catch(() => undefined);
  }
}

/**
 * Read a body up to `maxBytes`. Past the cap the stream is cancelled, which
 * closes the connection: a server sending gigabytes costs one cap's worth.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<BodyBytes> {
  if (!response.body) return { bytes: new Uint8Array(0), capped: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let capped = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - size;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        size += room;
        capped = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (capped) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, capped };
}

/** Decode with the charset the server named (or one the caller found), UTF-8 when it is unknown. */
export function decodeBody(bytes: Uint8Array, charset: string | undefined): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset || 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}

/** The media type (lower case, no parameters) and charset of a Content-Type header. */
export function parseContentType(header: string | null): { type: string; charset: string | undefined } {
  if (!header) return { type: '', charset: undefined };
  const [type = '', ...params] = header.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const [name, value] = param.split('=');
    if (name?.trim().toLowerCase() === 'charset' && value) charset = value.trim().replace(/^"|"$/g, '');
  }
  return { type: type.trim().toLowerCase(), charset };
}

function describeNetworkError(error: unknown, url: URL): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : '';
  const message = cause instanceof Error ? cause.message : String(cause);
  const where = url.host;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `could not resolve the host ${url.hostname} (${code})`;
    case 'ECONNREFUSED':
      return `connection refused by ${where}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `the connection to ${where} was closed before the response was complete`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connecting to ${where} timed out`;
    default:
      if (/certificate|CERT_|SSL|TLS/i.test(`${code} ${message}`)) return `TLS error talking to ${where}: ${message}`;
      return `could not fetch ${url.href}: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
