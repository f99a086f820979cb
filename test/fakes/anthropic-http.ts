/**
 * The HTTP side of the fake Anthropic server: framing and headers as the
 * Messages API sends them. Unlike chat completions, every event is named
 * (`event: <type>`), and the SDK skips unnamed ones.
 */
import type { ServerResponse } from 'node:http';
import { errorBody, type AnthropicEvent, type FakeAnthropicError, type FakeAnthropicRequestBody } from './anthropic-replies.js';

/** One named server-sent event: `event: <name>\ndata: <json>\n\n` (string data is sent as it is). */
export function anthropicSseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export function frame(event: AnthropicEvent): string {
  return anthropicSseEvent(event.event, event.data);
}

/** 200 with the headers the API sends on a stream (Node adds chunked transfer encoding). */
export function openStream(res: ServerResponse, requestIndex = 0): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'request-id': `req_fake${requestIndex}`,
  });
}

/** An error status with the API's JSON error body and the optional retry headers. */
export function sendError(res: ServerResponse, error: FakeAnthropicError['error'], requestIndex = 0): void {
  const headers = jsonHeaders(requestIndex);
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  res.writeHead(error.status, headers);
  res.end(JSON.stringify(errorBody(error, requestIndex)));
}

export function jsonHeaders(requestIndex = 0): Record<string, string> {
  return { 'content-type': 'application/json', 'request-id': `req_fake${requestIndex}` };
}

/** The JSON object body, or undefined for none, non-JSON or a non-object. */
export function parseBody(raw: Buffer): FakeAnthropicRequestBody | undefined {
  if (raw.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as FakeAnthropicRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
