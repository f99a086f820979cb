/**
 * Runs the model's tool calls. Parallel tools start at once; exclusive ones
 * (shell, writes) queue on one serial lane per creature. Every failure —
 * unknown tool, malformed JSON, invalid arguments, a throw, a timeout — comes
 * back as an error result for the model; nothing here throws into the loop.
 */
import { AbortReason, TimeoutError } from '../errors.js';
import type { EventDraft, ToolResultStatus } from '../events.js';
import type { ContentPart, ToolCallRequest } from '../llm/messages.js';
import type { ToolSpec } from '../llm/provider.js';
import type { ToolRuntime } from '../tools/runtime.js';
import type { Tool, ToolContext, ToolOutput, ToolSession } from '../tools/tool.js';
import { toToolSpec } from '../tools/tool.js';
import { DEFAULT_MAX_OUTPUT_BYTES, truncateMiddle } from '../tools/truncate.js';

/** A tool as configured for one creature. */
export interface ToolBinding {
  tool: Tool;
  /** Overrides the tool's own default time limit. */
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** Working directory override for this tool. */
  cwd?: string;
  /** Extra environment for this tool's child processes. */
  env?: Record<string, string>;
}

export interface ExecutorHost {
  cwd: string;
  creature: string;
  session: ToolSession;
  env: Readonly<Record<string, string | undefined>>;
  /** Folders outside `cwd` tools may touch. */
  allowedPaths?: readonly string[];
  runtime?: ToolRuntime;
}

export interface CallOutcome {
  callId: string;
  name: string;
  args: unknown;
  /** What goes back to the model. */
  output: string | ContentPart[];
  isError: boolean;
  status: ToolResultStatus;
  durationMs: number;
  truncatedBytes: number;
}

type Emit = (draft: EventDraft) => void;

/** How long a tool may take to stop after its signal fired before it is abandoned. */
const ABORT_GRACE_MS = 2000;

export class Executor {
  private lane: Promise<unknown> = Promise.resolve();
  private readonly bindings: Map<string, ToolBinding>;
  private cachedSpecs: ToolSpec[] | undefined;

  constructor(bindings: Iterable<ToolBinding>, private readonly host: ExecutorHost) {
    this.bindings = new Map();
    for (const binding of bindings) this.bindings.set(binding.tool.name, binding);
  }

  get toolNames(): string[] {
    return [...this.bindings.keys()];
  }

  has(name: string): boolean {
    return this.bindings.has(name);
  }

  /** Function specs for native tool calling; computed once. */
  specs(): ToolSpec[] {
    this.cachedSpecs ??= [...this.bindings.values()].map((b) => toToolSpec(b.tool));
    return this.cachedSpecs;
  }

  /** Run one call to completion. Always resolves. */
  async execute(call: ToolCallRequest, step: number, signal: AbortSignal, emit: Emit, background = false): Promise<CallOutcome> {
    const started = performance.now();
    const binding = this.bindings.get(call.name);
    const parsed = parseArguments(call.arguments);
    emit({ type: 'tool.call', callId: call.id, name: call.name, args: parsed.ok ? parsed.value : call.arguments, step, background });

    const finish = (status: ToolResultStatus, output: string | ContentPart[], isError: boolean, metadata?: Record<string, unknown>): CallOutcome => {
      const limit = binding?.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
      let truncatedBytes = 0;
      if (typeof output === 'string') {
        const cut = truncateMiddle(output, limit);
        output = cut.text;
        truncatedBytes = cut.droppedBytes;
      }
      const outcome: CallOutcome = {
        callId: call.id,
        name: call.name,
        args: parsed.ok ? parsed.value : call.arguments,
        output,
        isError,
        status,
        durationMs: performance.now() - started,
        truncatedBytes,
      };
      emit({
        type: 'tool.result',
        callId: call.id,
        name: call.name,
        output: outputText(output),
        isError,
        status,
        durationMs: Math.round(outcome.durationMs * 100) / 100,
        ...(truncatedBytes ? { truncatedBytes } : {}),
        ...(metadata ? { metadata } : {}),
      });
      return outcome;
    };

    if (!binding) {
      const known = this.toolNames.join(', ') || '(none)';
      return finish('error', `Error: unknown tool '${call.name}'. Available tools: ${known}.`, true);
    }
    if (!parsed.ok) return finish('error', `Error: ${parsed.error}`, true);
    const input = binding.tool.parse(parsed.value);
    if (!input.ok) return finish('error', `Error: ${input.error}`, true);

    const run = () => this.invoke(binding, input.value, call.id, signal, emit);
    let result: InvokeResult;
    if (binding.tool.concurrency === 'exclusive') {
      const turn = this.lane.then(run, run);
      this.lane = turn.catch(() => undefined);
      result = await turn;
    } else {
      result = await run();
    }
    return finish(result.status, result.output, result.isError, result.metadata);
  }

  private async invoke(binding: ToolBinding, input: unknown, callId: string, turnSignal: AbortSignal, emit: Emit): Promise<InvokeResult> {
    const tool = binding.tool;
    if (turnSignal.aborted) return aborted(turnSignal.reason, 'the call was not started');

    const controller = new AbortController();
    const forward = () => controller.abort(turnSignal.reason);
    turnSignal.addEventListener('abort', forward, { once: true });
    const timeoutMs = binding.timeoutMs ?? tool.timeoutMs;
    const timer =
      timeoutMs && timeoutMs > 0
        ? setTimeout(() => controller.abort(new TimeoutError(`tool '${tool.name}' timed out after ${formatSeconds(timeoutMs)}`, timeoutMs)), timeoutMs)
        : undefined;

    const context: ToolContext = {
      signal: controller.signal,
      cwd: binding.cwd ?? this.host.cwd,
      callId,
      creature: this.host.creature,
      session: this.host.session,
      env: binding.env ? { ...this.host.env, ...binding.env } : this.host.env,
      allowedPaths: this.host.allowedPaths ?? [],
      runtime: this.host.runtime ?? {},
      emit: (progress) => {
        const body = typeof progress === 'string' ? { text: progress } : progress;
        emit({ type: 'tool.progress', callId, name: tool.name, ...body });
      },
    };

    try {
      const work = tool.execute(input, context).then(
        (output): InvokeResult => normalize(output),
        (error: unknown): InvokeResult => {
          if (controller.signal.aborted) return aborted(controller.signal.reason);
          return { status: 'error', output: `Error: ${errorMessage(error)}`, isError: true };
        },
      );
      const settled = await Promise.race([work, abandonAfterAbort(controller.signal)]);
      if (controller.signal.aborted) {
        // The tool returned (perhaps with partial output) or was abandoned; either way the abort decides the status.
        const base = aborted(controller.signal.reason);
        const partial = typeof settled.output === 'string' && settled.output && !settled.abandoned ? `${settled.output}\n` : '';
        return { ...base, output: `${partial}${base.output}` };
      }
      return settled;
    } finally {
      if (timer) clearTimeout(timer);
      turnSignal.removeEventListener('abort', forward);
    }
  }
}

interface InvokeResult {
  status: ToolResultStatus;
  output: string | ContentPart[];
  isError: boolean;
  metadata?: Record<string, unknown>;
  abandoned?: boolean;
}

function normalize(output: ToolOutput): InvokeResult {
  if (typeof output === 'string') return { status: 'ok', output, isError: false };
  const isError = output.isError === true;
  const result: InvokeResult = { status: isError ? 'error' : 'ok', output: output.output, isError };
  if (output.metadata) result.metadata = output.metadata;
  return result;
}

function aborted(reason: unknown, detail?: string): InvokeResult {
  if (reason instanceof TimeoutError) return { status: 'timeout', output: `Error: ${reason.message}.`, isError: true };
  const kind = reason instanceof AbortReason ? reason.kind : 'cancelled';
  const status: ToolResultStatus = kind === 'interrupted' ? 'interrupted' : kind === 'timeout' ? 'timeout' : 'cancelled';
  const why = kind === 'interrupted' ? 'interrupted by the user' : kind === 'timeout' ? 'stopped: the turn timed out' : 'cancelled';
  return { status, output: `[${why}${detail ? `; ${detail}` : ''}]`, isError: true };
}

/** Resolves ABORT_GRACE_MS after the signal fires, for tools that ignore their signal. */
function abandonAfterAbort(signal: AbortSignal): Promise<InvokeResult> {
  return new Promise((resolve) => {
    const onAbort = () => {
      const timer = setTimeout(() => resolve({ status: 'cancelled', output: '', isError: true, abandoned: true }), ABORT_GRACE_MS);
      timer.unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** Models send `""` for no arguments and sometimes malformed JSON; both are handled here. */
export function parseArguments(raw: string): Parsed {
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    const preview = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
    return { ok: false, error: `the arguments are not valid JSON (${errorMessage(error)}). Received: ${preview}` };
  }
}

export function outputText(output: string | ContentPart[]): string {
  if (typeof output === 'string') return output;
  return output.map((p) => (p.type === 'text' ? p.text : `[image ${p.mediaType ?? ''}]`.replace(' ]', ']'))).join('\n');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
