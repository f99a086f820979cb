/**
 * The protocol-neutral HTTP side of the fake servers: server-sent-event
 * framing, stream and JSON responses, retry headers, pauses and request-body
 * parsing. Each protocol's `*-http.ts` picks its header names, line endings
 * and error bodies and leaves the writing to these.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The text of a frame's `data:` line: strings go as they are (`[DONE]`, deliberately broken JSON), the rest as JSON. */
function dataText(data: unknown): string {
  return typeof data === 'string' ? data : JSON.stringify(data);
}

/** An unnamed event, `data: <payload>` closed by a blank line; `eol` is `\r\n` for servers that frame with CRLF. */
export function dataFrame(data: unknown, eol = '\n'): string {
  return `data: ${dataText(data)}${eol}${eol}`;
}

/** A named event: `event: <name>\ndata: <payload>\n\n`. */
export function namedFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${dataText(data)}\n\n`;
}

/**
 * 200 with the event-stream headers OpenAI and Anthropic send, the request id
 * under the header name the protocol uses. Node adds chunked transfer encoding.
 */
export function openEventStream(res: ServerResponse, requestIdHeader: string, requestIndex: number): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    [requestIdHeader]: `req_fake${requestIndex}`,
  });
}

/** What a scripted error may ask for beyond its body. */
export interface RetryHints {
  /** Sent as the `retry-after` header, in seconds. */
  retryAfter?: number | undefined;
  /** Sent as the `retry-after-ms` header. */
  retryAfterMs?: number | undefined;
}

/** A status with a JSON body. */
export function sendJson(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: unknown): void {
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

/** An error status with a JSON body, plus the retry headers `hints` asks for. */
export function sendJsonError(res: ServerResponse, status: number, headers: Record<string, string>, hints: RetryHints, body: unknown): void {
  const all = { ...headers };
  if (hints.retryAfter !== undefined) all['retry-after'] = String(hints.retryAfter);
  if (hints.retryAfterMs !== undefined) all['retry-after-ms'] = String(hints.retryAfterMs);
  sendJson(res, status, all, body);
}

/** The pauses a scripted completion may ask for. */
export interface CompletionTiming {
  /** Pause before the response headers. */
  firstByteDelayMs?: number | undefined;
  /** Pause between frames; 0 or none writes the whole stream at once. */
  delayMs?: number | undefined;
}

/** How one scripted completion is rendered. */
export interface CompletionWire {
  /** Headers of the non-streaming 200. */
  jsonHeaders: OutgoingHttpHeaders;
  /** The non-streaming body. */
  body(): unknown;
  /** Every frame of the streamed answer. */
  frames(): string[];
  /** Write the stream's headers. */
  open(): void;
}

/** Answer a completion as one JSON body, or as an event stream when the request asked to stream. */
export async function sendCompletion(res: ServerResponse, stream: boolean, timing: CompletionTiming, wire: CompletionWire): Promise<void> {
  if (timing.firstByteDelayMs) {
    await pause(timing.firstByteDelayMs);
    if (res.destroyed) return;
  }
  if (!stream) return sendJson(res, 200, wire.jsonHeaders, wire.body());
  const frames = wire.frames();
  wire.open();
  await writeFrames(res, frames, timing.delayMs);
}

/** Write the frames of an opened stream and end it, stopping early if the client has gone. */
export async function writeFrames(res: ServerResponse, frames: string[], delayMs = 0): Promise<void> {
  if (!delayMs) {
    // One write: no timers and no per-frame syscalls, so benchmarks measure the client.
    res.end(frames.join(''));
    return;
  }
  for (const frame of frames) {
    if (res.destroyed) return;
    res.write(frame);
    await pause(delayMs);
  }
  if (!res.destroyed) res.end();
}

/** The JSON object body, or undefined for none, non-JSON or a non-object. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> | undefined {
  if (raw.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Resolve after `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
