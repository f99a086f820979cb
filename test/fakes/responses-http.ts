/**
 * The HTTP side of the fake Responses server: named SSE frames and the two
 * error body shapes (OpenAI's `{error}` and ChatGPT's `{detail}`).
 */
import type { ServerResponse } from 'node:http';
import { jsonHeaders } from './openai-http.js';
import { errorBody } from './openai-replies.js';
import type { FakeResponsesError } from './responses-replies.js';
import { namedFrame, sendJsonError } from './wire.js';

/** One named server-sent event: `event: <type>\ndata: <json>\n\n`, the type taken from the payload. */
export function namedSseFrame(event: Record<string, unknown>): string {
  return namedFrame(String(event['type']), event);
}

/** An error status with the scripted body and the optional retry headers. */
export function sendResponsesError(res: ServerResponse, error: FakeResponsesError['error'], requestIndex = 0): void {
  sendJsonError(res, error.status, jsonHeaders(requestIndex), error, responsesErrorBody(error));
}

function responsesErrorBody(error: FakeResponsesError['error']): unknown {
  if (error.detail) return { detail: error.message ?? `fake server error ${error.status}` };
  const body = errorBody(error) as { error: Record<string, unknown> };
  return { error: { ...body.error, ...error.fields } };
}
