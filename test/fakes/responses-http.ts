/**
 * The HTTP side of the fake Responses server: named SSE frames and the two
 * error body shapes (OpenAI's `{error}` and ChatGPT's `{detail}`).
 */
import type { ServerResponse } from 'node:http';
import { errorBody, type FakeError } from './openai-replies.js';
import type { FakeResponsesError } from './responses-replies.js';

/** One named server-sent event: `event: <type>\ndata: <json>\n\n`, the type taken from the payload. */
export function namedSseFrame(event: Record<string, unknown>): string {
  return `event: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** An error status with the scripted body and the optional retry headers. */
export function sendResponsesError(res: ServerResponse, error: FakeResponsesError['error'], requestIndex = 0): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': `req_fake${requestIndex}` };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  res.writeHead(error.status, headers);
  if (error.detail) {
    res.end(JSON.stringify({ detail: error.message ?? `fake server error ${error.status}` }));
    return;
  }
  const body = errorBody(error as FakeError['error']) as { error: Record<string, unknown> };
  res.end(JSON.stringify({ error: { ...body.error, ...error.fields } }));
}
