/**
 * The HTTP side of the fake Anthropic server: framing and headers as the
 * Messages API sends them. Unlike chat completions, every event is named
 * (`event: <type>`), and the SDK skips unnamed ones.
 */
import type { ServerResponse } from 'node:http';
import { errorBody, type AnthropicEvent, type FakeAnthropicError } from './anthropic-replies.js';
import { namedFrame, openEventStream, sendJsonError } from './wire.js';

/** One named server-sent event: `event: <name>\ndata: <json>\n\n` (string data is sent as it is). */
export function anthropicSseEvent(event: string, data: unknown): string {
  return namedFrame(event, data);
}

/** The wire frame of one event. */
export function frame(event: AnthropicEvent): string {
  return anthropicSseEvent(event.event, event.data);
}

/** 200 with the headers the API sends on a stream (Node adds chunked transfer encoding). */
export function openStream(res: ServerResponse, requestIndex = 0): void {
  openEventStream(res, 'request-id', requestIndex);
}

/** An error status with the API's JSON error body and the optional retry headers. */
export function sendError(res: ServerResponse, error: FakeAnthropicError['error'], requestIndex = 0): void {
  sendJsonError(res, error.status, jsonHeaders(requestIndex), error, errorBody(error, requestIndex));
}

/** The headers of the API's JSON answers. */
export function jsonHeaders(requestIndex = 0): Record<string, string> {
  return { 'content-type': 'application/json', 'request-id': `req_fake${requestIndex}` };
}
