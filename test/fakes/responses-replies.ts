/**
 * What the fake Responses server can be told to answer. The shapes of the
 * events themselves are built in `responses-events.ts`.
 */
import type { FakeFault } from './loopback-server.js';
import type { FakeDrop, FakeError, FakeHang, FakeMalformed } from './openai-replies.js';

/** One function call the fake model makes. */
export interface FakeResponsesToolCall {
  /** The `call_id`; defaults to a deterministic `call_<request>_<n>`. */
  id?: string;
  name: string;
  /** Raw JSON text, or an object that is serialised for you. */
  arguments: string | Record<string, unknown>;
}

/** A normal answer, streamed as the named events OpenAI sends. */
export interface FakeResponsesCompletion {
  text?: string;
  /** Reasoning summary text; several strings become several summary parts. */
  reasoningSummary?: string | string[];
  /**
   * The reasoning item's `encrypted_content`. Like the real API it is only
   * sent when the request's `include` asks for `reasoning.encrypted_content`;
   * when asked for and not scripted, a made-up blob is sent.
   */
  encryptedReasoning?: string;
  toolCalls?: FakeResponsesToolCall[];
  /** Token counts; omitted = estimated from the request and reply; `false` = `usage: null`. */
  usage?: { input_tokens: number; output_tokens: number; cached_tokens?: number; reasoning_tokens?: number } | false;
  /** Characters per text and summary delta; default 8. */
  chunkSize?: number;
  /** Characters per function-argument delta; default 7. */
  argChunkSize?: number;
  /** Pause between events; default 0 (all events are written at once). */
  delayMs?: number;
  /** Pause before the response headers. */
  firstByteDelayMs?: number;
  /** End with `response.incomplete` for this reason instead of `response.completed`. */
  incomplete?: 'max_output_tokens' | 'content_filter';
}

/** An HTTP error status, with OpenAI's error body or the Codex backend's `{detail}` body. */
export interface FakeResponsesError {
  error: FakeError['error'] & {
    /** Answer `{"detail": message}` the way ChatGPT's backend does for request validation. */
    detail?: boolean;
    /** Extra fields of the error object (`plan_type`, `resets_in_seconds`, ...). */
    fields?: Record<string, unknown>;
  };
}

/** A 200 stream that ends in `response.failed` with this error. */
export interface FakeResponsesFailed {
  failed: { code: string; message: string };
}

/** A 200 stream that ends in an `event: error` frame. */
export interface FakeResponsesErrorEvent {
  errorEvent: { code: string | null; message: string };
}

export type FakeResponsesReply =
  | FakeResponsesCompletion
  | FakeResponsesError
  | FakeResponsesFailed
  | FakeResponsesErrorEvent
  | FakeHang
  | FakeMalformed
  | FakeDrop
  | FakeFault;

/** The parsed JSON body of a request, loosely typed for convenient assertions. */
export interface FakeResponsesBody {
  model?: string;
  instructions?: string;
  // `any` on purpose: tests index freely into the wire items and tools.
  input?: any[] | string;
  tools?: any[];
  include?: string[];
  store?: boolean;
  stream?: boolean;
  reasoning?: { effort?: string; summary?: string };
  [field: string]: unknown;
}
