/**
 * The HTTP side of the fake OpenAI server: framing and headers exactly as
 * OpenAI sends them.
 */
import type { ServerResponse } from 'node:http';
import { errorBody, type FakeError, type FakeRequestBody } from './openai-replies.js';

/** One server-sent-events frame: `data: <json>\n\n` (strings are sent as they are). */
export function sseFrame(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/** 200 with the headers OpenAI sends on a stream (Node adds chunked transfer encoding). */
export function openStream(res: ServerResponse, requestIndex = 0): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': `req_fake${requestIndex}`,
  });
}

/** An error status with OpenAI's JSON error body and the optional retry headers. */
export function sendError(res: ServerResponse, error: FakeError['error']): void {
  const headers: Record<string, string> = jsonHeaders();
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  res.writeHead(error.status, headers);
  res.end(JSON.stringify(errorBody(error)));
}

export function jsonHeaders(requestIndex = 0): Record<string, string> {
  return { 'content-type': 'application/json', 'x-request-id': `req_fake${requestIndex}` };
}

/** The JSON object body, or undefined for none, non-JSON or a non-object. */
export function parseBody(raw: Buffer): FakeRequestBody | undefined {
  if (raw.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as FakeRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
