/**
 * The tool contract. A tool validates the model's arguments, runs with a
 * context that carries the turn's AbortSignal, and returns text (or parts).
 * Failures go back to the model as error results; they never end the turn.
 */
import type { ContentPart } from '../llm/messages.js';
import type { JsonSchema, ToolSpec } from '../llm/provider.js';
import type { ToolRuntime } from './runtime.js';

/**
 * `parallel` tools run concurrently with each other; `exclusive` tools
 * (shell, file writes) share one serial lane per creature, so two of them
 * never interleave.
 */
export type ToolConcurrency = 'parallel' | 'exclusive';

/**
 * What a call does to the world, for approval prompts: `edit` changes
 * files, `execute` runs programs. Tools that only read leave it unset.
 */
export type ToolEffect = 'edit' | 'execute';

/** Per-creature state a tool may keep across calls (read-state, scratchpad, ...). */
export interface ToolSession {
  readonly id: string;
  readonly state: Map<string, unknown>;
}

export interface ToolProgress {
  text?: string;
  data?: unknown;
}

export interface ToolContext {
  /** Aborted on interrupt, timeout or cancel: stop work and kill child processes. */
  readonly signal: AbortSignal;
  /** The creature's working directory (or the tool's configured one). */
  readonly cwd: string;
  readonly callId: string;
  /** Set when the call runs as a background job from the start: its job id. */
  readonly jobId?: string;
  /** Name of the creature running the tool. */
  readonly creature: string;
  readonly session: ToolSession;
  /**
   * Environment for child processes: the process env without kt's credentials
   * (controller `env_deny` / `env_passthrough`), plus the tool's configured `env`.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Absolute folders outside `cwd` the creature may read and write
   * (`allowed_paths` in its config, `--add-dir`). Anything else outside
   * `cwd` is refused by the file tools.
   */
  readonly allowedPaths: readonly string[];
  /** Jobs, docs, skills and the user, as far as the host provides them. */
  readonly runtime: ToolRuntime;
  /** Report progress; becomes a `tool.progress` event. */
  emit(progress: string | ToolProgress): void;
}

export interface ToolResultObject {
  output: string | ContentPart[];
  isError?: boolean;
  metadata?: Record<string, unknown>;
}

export type ToolOutput = string | ToolResultObject;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface Tool<Input = unknown> {
  readonly name: string;
  /** One line, for the prompt's tool index and the function description. */
  readonly description: string;
  /** JSON Schema of the arguments, derived once. */
  readonly parameters: JsonSchema;
  readonly concurrency: ToolConcurrency;
  /** Set for tools a person may want to approve before they run. */
  readonly effect?: ToolEffect;
  /** Full documentation (for the `info` tool); falls back to the description. */
  readonly doc?: string;
  /** Default time limit in milliseconds; the creature config may override it. */
  readonly timeoutMs?: number;
  /** Validate raw arguments from the model. */
  parse(args: unknown): ParseResult<Input>;
  execute(input: Input, context: ToolContext): Promise<ToolOutput>;
}

export function toToolSpec(tool: Tool): ToolSpec {
  return { name: tool.name, description: tool.description, parameters: tool.parameters };
}
