/**
 * The HTTP side of the fake OpenAI server: framing and headers exactly as
 * OpenAI sends them (unnamed `data:` events, `x-request-id`). The Responses
 * fake shares the headers.
 */
import type { ServerResponse } from 'node:http';
import { errorBody, type FakeError } from './openai-replies.js';
import { dataFrame, openEventStream, sendJsonError } from './wire.js';

/** One server-sent-events frame: `data: <json>\n\n` (strings are sent as they are). */
export function sseFrame(data: unknown): string {
  return dataFrame(data);
}

/** 200 with the headers OpenAI sends on a stream (Node adds chunked transfer encoding). */
export function openStream(res: ServerResponse, requestIndex = 0): void {
  openEventStream(res, 'x-request-id', requestIndex);
}

/** An error status with OpenAI's JSON error body and the optional retry headers. */
export function sendError(res: ServerResponse, error: FakeError['error']): void {
  sendJsonError(res, error.status, jsonHeaders(), error, errorBody(error));
}

/** The headers of OpenAI's JSON answers. */
export function jsonHeaders(requestIndex = 0): Record<string, string> {
  return { 'content-type': 'application/json', 'x-request-id': `req_fake${requestIndex}` };
}
