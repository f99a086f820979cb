/**
 * The hooks a plugin may implement, and what each one is given.
 *
 * Three families, and the chain runner treats each family one way:
 * - transforms (`pre*` / `post*`): receive a value and may return a
 *   replacement (returning nothing keeps it). `pre*` run in ascending
 *   priority, `post*` in descending, so a low-priority plugin wraps the rest.
 *   A `PluginBlockError` thrown from a `pre*` hook stops the operation.
 * - callbacks (`on*`): told that something happened; their return is ignored.
 * - contributions (`promptContent`, `terminationCheck`, `runtimeServices`, `commands`):
 *   collected from every plugin in priority order.
 */
import type { AgentEvent } from '../events.js';
import type { ContentPart, Message, ToolCallRequest, Usage } from '../llm/messages.js';

type Awaitable<T> = T | Promise<T>;

/** Who is calling a hook: the creature (or sub-agent) and its model. */
export interface HookScope {
  /** Display path of names: `[creature]`, `[creature, subagent]`. */
  agentPath: readonly string[];
  model: string;
  turnId: string | null;
}

/** Why a model is being called. */
export type LlmCallPurpose = 'controller' | 'subagent' | 'compaction';

export interface LlmCallInfo extends HookScope {
  purpose: LlmCallPurpose;
  /** Names of the tools offered to the model on this call. */
  tools: readonly string[];
  step: number;
  signal?: AbortSignal;
}

export interface LlmCallResult extends LlmCallInfo {
  /** The messages that were sent. */
  messages: readonly Message[];
  toolCalls: readonly ToolCallRequest[];
  usage: Usage | undefined;
}

/** A tool call about to be dispatched: a pre hook may rename it or change its arguments. */
export interface ToolDispatch {
  name: string;
  args: unknown;
}

export interface ToolCallInfo extends HookScope {
  callId: string;
  toolName: string;
  /** What the tool does beyond reading: `edit` changes files, `execute` runs programs. */
  effect?: 'edit' | 'execute';
  background: boolean;
  jobId?: string;
  signal?: AbortSignal;
}

/** A tool's result as a post hook sees (and may replace) it. */
export interface ToolResultValue {
  output: string | ContentPart[];
  isError: boolean;
  metadata?: Record<string, unknown>;
}

export interface SubagentInfo extends HookScope {
  name: string;
  jobId: string;
  background: boolean;
}

export interface SubagentResultValue {
  text: string;
  status: string;
}

/** What a termination voter sees after each round. */
export interface TerminationContext extends HookScope {
  turnIndex: number;
  steps: number;
  toolCalls: number;
  elapsedMs: number;
  /** The text of the round that just ended. */
  lastText: string;
}

export interface TerminationVote {
  stop: true;
  reason: string;
}

/** A slash command a plugin offers the person at the prompt (`/undo`); `run` returns the note to show. */
export interface PluginCommand {
  summary: string;
  /** How the arguments look, for `/help` (`[n]`). */
  args?: string;
  run(args: string): string | Promise<string>;
}

export interface PluginHooks {
  onLoad?(): Awaitable<void>;
  onUnload?(): Awaitable<void>;

  preLlmCall?(messages: readonly Message[], info: LlmCallInfo): Awaitable<readonly Message[] | void>;
  postLlmCall?(text: string, info: LlmCallResult): Awaitable<string | void>;
  preToolDispatch?(call: ToolDispatch, info: ToolCallInfo): Awaitable<ToolDispatch | void>;
  preToolExecute?(args: unknown, info: ToolCallInfo): Awaitable<unknown>;
  postToolExecute?(result: ToolResultValue, info: ToolCallInfo & { args: unknown }): Awaitable<ToolResultValue | void>;
  preSubagentRun?(task: string, info: SubagentInfo): Awaitable<string | void>;
  postSubagentRun?(result: SubagentResultValue, info: SubagentInfo): Awaitable<SubagentResultValue | void>;

  onAgentStart?(): Awaitable<void>;
  onAgentStop?(): Awaitable<void>;
  onEvent?(event: AgentEvent): void;
  onInterrupt?(): Awaitable<void>;
  onTaskPromoted?(jobId: string, toolName: string): Awaitable<void>;
  /** Return false to veto this compaction cycle. */
  onCompactStart?(contextTokens: number): Awaitable<boolean | void>;
  onCompactEnd?(summary: string, messagesRemoved: number): Awaitable<void>;

  /** A section for the system prompt, or nothing. */
  promptContent?(): string | undefined;
  terminationCheck?(context: TerminationContext): TerminationVote | undefined;
  /** Services tools may look up by name (a sandboxed process runner, ...). */
  runtimeServices?(): Record<string, unknown>;
  /** Slash commands by name (without the `/`); a built-in command of the same name wins. */
  commands?(): Record<string, PluginCommand>;
}

/** Hooks that take a value and may return a replacement. */
export type TransformHook = 'preLlmCall' | 'postLlmCall' | 'preToolDispatch' | 'preToolExecute' | 'postToolExecute' | 'preSubagentRun' | 'postSubagentRun';

/** Hooks that are only told. */
export type CallbackHook = 'onLoad' | 'onUnload' | 'onAgentStart' | 'onAgentStop' | 'onInterrupt' | 'onTaskPromoted' | 'onCompactEnd';

export type HookName = keyof PluginHooks;

export const HOOK_NAMES: readonly HookName[] = [
  'onLoad',
  'onUnload',
  'preLlmCall',
  'postLlmCall',
  'preToolDispatch',
  'preToolExecute',
  'postToolExecute',
  'preSubagentRun',
  'postSubagentRun',
  'onAgentStart',
  'onAgentStop',
  'onEvent',
  'onInterrupt',
  'onTaskPromoted',
  'onCompactStart',
  'onCompactEnd',
  'promptContent',
  'terminationCheck',
  'runtimeServices',
  'commands',
];

/** The value a transform hook works on, and the info it gets beside it. */
export type TransformValue<H extends TransformHook> = Parameters<NonNullable<PluginHooks[H]>>[0];
export type TransformInfo<H extends TransformHook> = Parameters<NonNullable<PluginHooks[H]>>[1];
