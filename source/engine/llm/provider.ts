/**
 * The contract every LLM adapter implements. The controller knows nothing
 * else about a provider: it sends a request, reads stream parts, and aborts
 * through the signal.
 */
import type { Message, ToolCallRequest, Usage } from './messages.js';
import type { RequestTimeouts } from './request-timeouts.js';

/** JSON Schema object, as produced from a zod schema. */
export type JsonSchema = Record<string, unknown>;

/** A function the model may call (native tool calling). */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface LLMRequest {
  messages: readonly Message[];
  tools?: readonly ToolSpec[];
  temperature?: number;
  maxTokens?: number;
  /** none | minimal | low | medium | high | xhigh; adapters map it to their API. */
  reasoningEffort?: string;
  /** Extra fields merged into the request body (provider-specific). */
  extraBody?: Record<string, unknown>;
}

/**
 * What a provider stream yields. Text and reasoning arrive as deltas; tool
 * calls arrive whole (native APIs only know a call is complete at the end);
 * `finish` comes last, exactly once, when the stream ended normally.
 */
export type LLMStreamPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; call: ToolCallRequest }
  /** Something the SDK warned about (a deprecated model...), once per distinct text; see sdk-warnings.ts. */
  | { type: 'warning'; message: string }
  | {
      type: 'finish';
      finishReason: string;
      usage?: Usage;
      /** Fields to send back with this assistant message on later requests. */
      providerFields?: Record<string, unknown>;
    };

export interface StreamOptions {
  /** Aborting it must end the HTTP request. */
  signal: AbortSignal;
  /**
   * kt's bounds on the request (see request-timeouts.ts); the SDK adapters
   * apply the defaults when none are given. A timer that fires ends the HTTP
   * request and fails it with a transient `ProviderError` (code `PROVIDER_TIMEOUT`).
   */
  timeouts?: Partial<RequestTimeouts>;
  /**
   * Who asks: the creature or sub-agent run and what for. Adapters ignore
   * it; a provider that serves a recording (replay) uses it to answer each
   * creature and sub-agent run from its own part of the log.
   */
  caller?: LlmCaller;
}

/** Who a model call is for (see `StreamOptions.caller`). */
export interface LlmCaller {
  /** `[creature]`, or `[creature, subagent, ...]`. */
  agentPath: readonly string[];
  /** For a sub-agent run: the id of the tool call that started it (stable across runs, unlike its job id). */
  callId?: string;
  purpose: 'controller' | 'subagent' | 'compaction';
  turnId: string | null;
  step: number;
}

export interface Provider {
  /** Canonical identifier, e.g. `openai/gpt-4o-mini`. */
  readonly id: string;
  /** Provider name, e.g. `openai`. */
  readonly provider: string;
  /** Model id as sent to the API. */
  readonly model: string;
  /** Context window in tokens, when known. */
  readonly maxContext?: number;
  /**
   * Stream one completion. Failures are thrown as `ProviderError` (classified
   * for retry); an abort rethrows the signal's reason.
   */
  stream(request: LLMRequest, options: StreamOptions): AsyncIterable<LLMStreamPart>;
  /** Release sockets and other resources. */
  close?(): void | Promise<void>;
}

export function isProvider(value: unknown): value is Provider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Provider).stream === 'function' &&
    typeof (value as Provider).id === 'string'
  );
}
