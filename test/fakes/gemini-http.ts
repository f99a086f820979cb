/**
 * The HTTP side of the fake Gemini server: framing and headers as the Gemini
 * API sends them. Two details matter to `@google/genai`'s stream parser:
 * events are `data:` lines only (it drops any event that has an `event:`
 * line) and each ends with a blank line (a trailing partial event fails with
 * "Incomplete JSON segment at the end").
 */
import type { ServerResponse } from 'node:http';
import { geminiErrorBody, type FakeGeminiError } from './gemini-replies.js';
import { dataFrame, sendJsonError } from './wire.js';

/** One server-sent event, CRLF-framed like Google's (strings are sent as they are). */
export function geminiSseFrame(data: unknown): string {
  return dataFrame(data, '\r\n');
}

/** 200 with the headers of a `?alt=sse` stream (Node adds chunked transfer encoding). */
export function openGeminiStream(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
}

/** The headers of Google's JSON answers. */
export const GEMINI_JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' } as const;

/** An error status with Google's JSON error body and the optional `retry-after` header (Google sends no `retry-after-ms`). */
export function sendGeminiError(res: ServerResponse, error: FakeGeminiError['error']): void {
  sendJsonError(res, error.status, GEMINI_JSON_HEADERS, { retryAfter: error.retryAfter }, geminiErrorBody(error));
}

/** A 200 JSON answer of exactly this text: the way to send a body that is deliberately not valid JSON. */
export function sendGeminiJsonText(res: ServerResponse, text: string): void {
  res.writeHead(200, GEMINI_JSON_HEADERS);
  res.end(text);
}
