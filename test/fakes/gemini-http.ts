/**
 * The HTTP side of the fake Gemini server: framing and headers as the Gemini
 * API sends them. Two details matter to `@google/genai`'s stream parser:
 * events are `data:` lines only (it drops any event that has an `event:`
 * line) and each ends with a blank line (a trailing partial event fails with
 * "Incomplete JSON segment at the end").
 */
import type { ServerResponse } from 'node:http';
import { geminiErrorBody, type FakeGeminiError, type FakeGeminiRequestBody } from './gemini-replies.js';

/** One server-sent event, CRLF-framed like Google's (strings are sent as they are). */
export function geminiSseFrame(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\r\n\r\n`;
}

/** 200 with the headers of a `?alt=sse` stream (Node adds chunked transfer encoding). */
export function openGeminiStream(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
}

export const GEMINI_JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' } as const;

/** An error status with Google's JSON error body and the optional `retry-after` header. */
export function sendGeminiError(res: ServerResponse, error: FakeGeminiError['error']): void {
  const headers: Record<string, string> = { ...GEMINI_JSON_HEADERS };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  res.writeHead(error.status, headers);
  res.end(JSON.stringify(geminiErrorBody(error)));
}

/** The JSON object body, or undefined for none, non-JSON or a non-object. */
export function parseGeminiBody(raw: Buffer): FakeGeminiRequestBody | undefined {
  if (raw.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as FakeGeminiRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
