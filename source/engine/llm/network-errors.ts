/**
 * Recognising transport failures (undici / Node sockets) under whatever an
 * SDK wraps around them. SDK-free, so every adapter can share it without
 * loading another adapter's SDK.
 */

/** undici / Node socket codes that mean "the connection broke", not "the request was bad". */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** How deep to follow `cause` chains; undici nests two or three levels. */
const MAX_DEPTH = 4;

/** True when `error`, or something in its cause chain, is a broken connection. */
export function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < MAX_DEPTH; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    // undici's wording when the body stream ends abruptly or the request never got out.
    if (e instanceof TypeError && (e.message === 'terminated' || e.message === 'fetch failed')) return true;
  }
  return false;
}

/** The innermost useful message of an error chain (undici hides the socket error in `cause`). */
export function describeCause(cause: unknown): string | undefined {
  let message: string | undefined;
  for (let e: unknown = cause, depth = 0; e instanceof Error && depth < MAX_DEPTH; e = e.cause, depth++) {
    if (e.message) message = e.message;
  }
  return message;
}

/** A fetch-level abort or timeout (`AbortError`, `TimeoutError`), however it is wrapped. */
export function isAbortError(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'TimeoutError';
}
