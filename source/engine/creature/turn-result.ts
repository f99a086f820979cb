/**
 * What `agent.run()` resolves to. Expected outcomes (interrupt, timeout,
 * limits, a provider that gave up) are statuses here, never exceptions.
 */
import type { SerializedError } from '../errors.js';
import type { ToolResultStatus, TurnStatus, TurnWarning } from '../events.js';
import type { Usage } from '../llm/messages.js';

export interface ToolCallRecord {
  callId: string;
  name: string;
  args: unknown;
  /** The text the model received. */
  output: string;
  isError: boolean;
  status: ToolResultStatus;
  durationMs: number;
}

export interface TurnResult {
  status: TurnStatus;
  /** The last thing the assistant said in this turn. */
  text: string;
  usage: Usage;
  toolCalls: ToolCallRecord[];
  turnId: string;
  sessionId: string;
  /** LLM rounds taken. */
  steps: number;
  durationMs: number;
  /** Which limit ended the turn (`max_turns`, `max_iterations`, `max_duration`) when status is `limit`. */
  limit?: string;
  error?: SerializedError;
  /** Set when the turn completed with something to note, e.g. `empty_response`: the model answered nothing. */
  warnings?: TurnWarning[];
}
