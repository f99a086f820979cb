/**
 * A fetch wrapper for the Codex backend's error bodies.
 *
 * ChatGPT's backend answers some errors FastAPI-style, `{"detail": "Store
 * must be set to false"}`. The SDK only reads `{"error": {...}}`, so those
 * would surface as "400 status code (no body)" and the reason would be lost.
 * Rewriting the body into OpenAI's shape keeps the reason in the message.
 */

/** `inner` with `{detail}` error bodies rewritten to `{error: {message}}`. */
export function withDetailErrors(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
    const text = await response.text();
    let detail: unknown;
    try {
      const body: unknown = JSON.parse(text);
      if (typeof body === 'object' && body !== null && !('error' in body)) detail = (body as { detail?: unknown }).detail;
    } catch {
      // Not JSON after all: pass the text on untouched.
    }
    const rewritten =
      detail === undefined
        ? text
        : JSON.stringify({
            error: { message: typeof detail === 'string' ? detail : JSON.stringify(detail), type: 'invalid_request_error', code: null },
          });
    const headers = new Headers(response.headers);
    // The body was decoded and may have changed length.
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(rewritten, { status: response.status, statusText: response.statusText, headers });
  };
}
