/**
 * Runs the model's tool calls. Parallel tools start at once; exclusive ones
 * (shell, writes) queue on one serial lane per creature. Every failure —
 * unknown tool, malformed JSON, invalid arguments, a throw, a timeout — comes
 * back as an error result for the model; nothing here throws into the loop.
 */
import { AbortReason, PluginBlockError, TimeoutError } from '../errors.js';
import type { EventDraft, JobKind, ToolResultStatus } from '../events.js';
import type { ContentPart, ToolCallRequest } from '../llm/messages.js';
import type { ToolSpec } from '../llm/provider.js';
import type { ToolRuntime } from '../tools/runtime.js';
import type { JobStore } from './job-store.js';
import type { Tool, ToolContext, ToolOutput, ToolSession } from '../tools/tool.js';
import { toToolSpec } from '../tools/tool.js';
import { DEFAULT_MAX_OUTPUT_BYTES, truncateMiddle } from '../tools/truncate.js';
import type { HookChain } from '../plugins/chain.js';
import type { HookScope, ToolCallInfo, ToolResultValue } from '../plugins/hooks.js';
import { monotonicMs } from '../util/clock.js';

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
  /** Tell the model when a background run of this tool ends (config `notify_controller_on_background_complete`, default true). */
  notifyOnBackground?: boolean;
  /** Start calls in the background unless the model says otherwise (sub-agents). */
  backgroundByDefault?: boolean;
  /** What a background run of it is, for job ids and listings (default `tool`). */
  jobKind?: JobKind;
}

export interface ExecutorHost {
  cwd: string;
  creature: string;
  /** Plugins that may rewrite, block or post-process calls. */
  hooks?: HookChain;
  /** Who is calling, for hooks: agent path, model, running turn. */
  scope?: () => HookScope;
  session: ToolSession;
  env: Readonly<Record<string, string | undefined>>;
  /** Folders outside `cwd` tools may touch. */
  allowedPaths?: readonly string[];
  runtime?: ToolRuntime;
  /** Where background calls run; without it every call runs in the foreground. */
  jobs?: JobStore;
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
  /** What the tool reported beside its output (exit code, job id, ...). */
  metadata?: Record<string, unknown>;
}

type Emit = (draft: EventDraft) => void;

/** How long a tool may take to stop after its signal fired before it is abandoned. */
const ABORT_GRACE_MS = 2000;

/** Argument every tool accepts when the creature can run jobs. */
export const BACKGROUND_ARG = 'run_in_background';

export class Executor {
  private lane: Promise<unknown> = Promise.resolve();
  private readonly bindings: Map<string, ToolBinding>;
  private cachedSpecs: ToolSpec[] | undefined;
  /** Foreground calls now running, by call id, so the UI can send one to the background. */
  private readonly promotable = new Map<string, () => boolean>();
  /** Tool names each changeable source (MCP servers) put in, so the next set replaces exactly them. */
  private readonly sources = new Map<string, string[]>();

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
    this.cachedSpecs ??= [...this.bindings.values()].map((b) => {
      const spec = toToolSpec(b.tool);
      return this.host.jobs ? withBackgroundArg(spec, b.backgroundByDefault === true) : spec;
    });
    return this.cachedSpecs;
  }

  /**
   * Replace the tools one source provides (the MCP servers, whose tools come
   * and go while the creature runs); the next model round sees the new set.
   * A name another tool already has is skipped. Returns the names put in.
   */
  replaceSource(source: string, bindings: Iterable<ToolBinding>): string[] {
    for (const name of this.sources.get(source) ?? []) this.bindings.delete(name);
    const added: string[] = [];
    for (const binding of bindings) {
      if (this.bindings.has(binding.tool.name)) continue;
      this.bindings.set(binding.tool.name, binding);
      added.push(binding.tool.name);
    }
    this.sources.set(source, added);
    this.cachedSpecs = undefined;
    return added;
  }

  /** Names of the sub-agents among the tools (their text-format body is the task). */
  subagentNames(): Set<string> {
    return new Set([...this.bindings.values()].filter((b) => b.jobKind === 'subagent').map((b) => b.tool.name));
  }

  /** The binding of a tool, for callers that render it (prompt, text formats). */
  binding(name: string): ToolBinding | undefined {
    return this.bindings.get(name);
  }

  /**
   * Send a running foreground call to the background: the turn gets a
   * placeholder result now and the work goes on as a job. False when the
   * call is not running (or the creature has no jobs).
   */
  promote(callId: string): boolean {
    return this.promotable.get(callId)?.() ?? false;
  }

  /** Run one call to completion. Always resolves. */
  async execute(call: ToolCallRequest, step: number, signal: AbortSignal, emit: Emit, background = false): Promise<CallOutcome> {
    let started = monotonicMs();
    // Time in the pre hooks is not the tool's: there a plugin may wait for a person (an approval) for minutes.
    let inHooks = 0;
    const timed = async <T>(work: Promise<T>): Promise<T> => {
      const from = monotonicMs();
      try {
        return await work;
      } finally {
        inHooks += monotonicMs() - from;
      }
    };
    const parsed = parseArguments(call.arguments);
    emit({ type: 'tool.call', callId: call.id, name: call.name, args: parsed.ok ? parsed.value : call.arguments, step, background });
    let binding = this.bindings.get(call.name);

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
        durationMs: Math.max(0, monotonicMs() - started - inHooks),
        truncatedBytes,
        ...(metadata ? { metadata } : {}),
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
        // The log must rebuild the exact message: keep the parts (images) beside their text.
        ...(typeof output === 'string' ? {} : { parts: output }),
      });
      return outcome;
    };
    const blocked = (error: PluginBlockError) => finish('error', `Error: ${error.message}`, true, { blocked: error.plugin ?? 'plugin' });

    if (!parsed.ok) return finish('error', `Error: ${parsed.error}`, true);
    const hooks = this.host.hooks;
    const info = (toolName: string, jobId?: string): ToolCallInfo => {
      const effect = this.bindings.get(toolName)?.tool.effect;
      return { ...this.scope(), callId: call.id, toolName, background, signal, ...(jobId ? { jobId } : {}), ...(effect ? { effect } : {}) };
    };
    let name = call.name;
    let raw = parsed.value;
    if (hooks?.has('preToolDispatch')) {
      try {
        const dispatched = await timed(hooks.transform('preToolDispatch', { name, args: raw }, info(name)));
        if (dispatched.name !== name && !this.bindings.has(dispatched.name)) {
          return finish('error', `Error: a plugin redirected this call to '${dispatched.name}', which is not an available tool.`, true);
        }
        name = dispatched.name;
        raw = dispatched.args;
        binding = this.bindings.get(name);
      } catch (error) {
        if (error instanceof PluginBlockError) return blocked(error);
        throw error;
      }
    }
    if (!binding) {
      const known = this.toolNames.join(', ') || '(none)';
      return finish('error', `Error: unknown tool '${call.name}'. Available tools: ${known}.`, true);
    }
    const { args, background: asked } = splitBackground(raw, this.host.jobs !== undefined);
    let input = binding.tool.parse(args);
    if (!input.ok) return finish('error', `Error: ${input.error}`, true);
    if (hooks?.has('preToolExecute')) {
      try {
        const changed = await timed(hooks.transform('preToolExecute', input.value, info(name)));
        // A plugin's rewrite is checked like the model's arguments.
        if (changed !== input.value) input = binding.tool.parse(changed);
        if (!input.ok) return finish('error', `Error: a plugin changed the arguments into invalid ones: ${input.error}`, true);
      } catch (error) {
        if (error instanceof PluginBlockError) return blocked(error);
        throw error;
      }
    }
    // The call's own time starts now that every pre hook (and any approval) is through.
    started = monotonicMs();
    inHooks = 0;
    const bound = binding;
    const post = hooks?.has('postToolExecute')
      ? async (result: InvokeResult, jobId?: string): Promise<InvokeResult> => {
          const value: ToolResultValue = { output: result.output, isError: result.isError, ...(result.metadata ? { metadata: result.metadata } : {}) };
          const next = await hooks.transform('postToolExecute', value, { ...info(bound.tool.name, jobId), args: input.ok ? input.value : undefined });
          if (next === value) return result;
          const status: ToolResultStatus = next.isError ? (result.status === 'ok' ? 'error' : result.status) : 'ok';
          return { status, output: next.output, isError: next.isError, ...(next.metadata ? { metadata: next.metadata } : {}) };
        }
      : undefined;

    const jobs = this.host.jobs;
    const inBackground = jobs !== undefined && (asked ?? bound.backgroundByDefault === true);
    const controller = new AbortController();
    const kind = bound.jobKind ?? 'tool';
    const value = input.value;
    const work = (jobId?: string) => {
      const run = this.invoke(bound, value, call.id, controller, emit, jobId);
      return post ? run.then((result) => post(result, jobId)) : run;
    };
    if (jobs && inBackground) {
      // A background job is on its own from the start: no serial lane, and the turn's end does not stop it.
      const jobId = jobs.newId(kind, call.name);
      jobs.add({ jobId, kind, name: call.name, summary: summarize(args), callId: call.id, work: work(jobId), controller, notify: bound.notifyOnBackground ?? true });
      return finish('ok', backgroundPlaceholder(jobId, call.name, false), false, { jobId, background: true });
    }

    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    let promote!: () => void;
    const promoted = new Promise<'promoted'>((resolve) => (promote = () => resolve('promoted')));
    let running: Promise<InvokeResult> | undefined;
    if (jobs) {
      this.promotable.set(call.id, () => {
        if (!running) return false;
        this.promotable.delete(call.id);
        signal.removeEventListener('abort', forward);
        promote();
        return true;
      });
    }
    const start = () => (running = work());
    try {
      let first: InvokeResult | 'promoted';
      if (bound.tool.concurrency === 'exclusive') {
        // A promoted call leaves the lane: the next exclusive call need not wait for a job that may run for hours.
        // `promote` refuses a call still waiting for the lane, so `promoted` can only win once it started.
        const turn = this.lane.then(() => Promise.race([start(), promoted]));
        this.lane = turn.catch(() => undefined);
        first = await turn;
      } else {
        first = await Promise.race([start(), promoted]);
      }
      if (first === 'promoted' && jobs && running) {
        const jobId = jobs.add({ kind, name: call.name, summary: summarize(args), callId: call.id, work: running, controller, notify: bound.notifyOnBackground ?? true, promoted: true });
        if (hooks?.has('onTaskPromoted')) void hooks.notify('onTaskPromoted', jobId, call.name);
        return finish('ok', backgroundPlaceholder(jobId, call.name, true), false, { jobId, background: true, promoted: true });
      }
      const result = first as InvokeResult;
      return finish(result.status, result.output, result.isError, result.metadata);
    } finally {
      this.promotable.delete(call.id);
      signal.removeEventListener('abort', forward);
    }
  }

  /**
   * A tool's own `env` on top of the creature's, merged once per binding: the
   * same object on every call lets tools that spawn keep what they derive from
   * it (bash's child environment) instead of rebuilding it per command.
   */
  private bindingEnv(binding: ToolBinding, extra: Record<string, string>): Readonly<Record<string, string | undefined>> {
    const known = this.mergedEnvs.get(binding);
    if (known && known.base === this.host.env && known.extra === extra) return known.env;
    const env = { ...this.host.env, ...extra };
    this.mergedEnvs.set(binding, { base: this.host.env, extra, env });
    return env;
  }

  private readonly mergedEnvs = new WeakMap<ToolBinding, { base: ExecutorHost['env']; extra: Record<string, string>; env: Readonly<Record<string, string | undefined>> }>();

  private scope(): HookScope {
    return this.host.scope?.() ?? { agentPath: [this.host.creature], model: '', turnId: null };
  }

  private async invoke(binding: ToolBinding, input: unknown, callId: string, controller: AbortController, emit: Emit, jobId?: string): Promise<InvokeResult> {
    const tool = binding.tool;
    if (controller.signal.aborted) return aborted(controller.signal.reason, 'the call was not started');

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
      env: binding.env ? this.bindingEnv(binding, binding.env) : this.host.env,
      allowedPaths: this.host.allowedPaths ?? [],
      ...(jobId ? { jobId } : {}),
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
    }
  }
}

/** Take `run_in_background` out of the arguments before the tool validates them. */
function splitBackground(value: unknown, jobsEnabled: boolean): { args: unknown; background: boolean | undefined } {
  if (!jobsEnabled || !value || typeof value !== 'object' || Array.isArray(value) || !(BACKGROUND_ARG in value)) return { args: value, background: undefined };
  const { [BACKGROUND_ARG]: flag, ...rest } = value as Record<string, unknown>;
  return { args: rest, background: flag === true || flag === 'true' };
}

/** Add the optional background flag to a tool's parameters. */
function withBackgroundArg(spec: ToolSpec, byDefault: boolean): ToolSpec {
  const parameters = spec.parameters as { type?: string; properties?: Record<string, unknown> };
  if (parameters.type !== 'object' || parameters.properties?.[BACKGROUND_ARG]) return spec;
  const description = byDefault
    ? 'Default true: run in the background and deliver the result in a later message. Set false to wait for the result in this turn.'
    : 'Run in the background: get a job id now and the result in a later message. For long work you need not wait for.';
  return {
    ...spec,
    parameters: { ...spec.parameters, properties: { ...parameters.properties, [BACKGROUND_ARG]: { type: 'boolean', description } } },
  };
}

/** What the model gets in place of a result when a call goes to the background. */
export function backgroundPlaceholder(jobId: string, name: string, promoted: boolean): string {
  const how = promoted ? `${name} was moved to the background by the user` : `${name} is running in the background`;
  return `[${how} as job ${jobId}. Its result will arrive by itself in a later message; do not wait, poll or sleep for it, and do not start the same work again. Use jobs, read_job or stop_task to check on it or cancel it.]`;
}

/** One line of arguments, for job listings. */
function summarize(args: unknown): string {
  const text = typeof args === 'string' ? args : JSON.stringify(args) ?? '';
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
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
  // A cancel with its own words (stop_task, agent stopped) says them; the default message says nothing new.
  const said = reason instanceof AbortReason && reason.message !== `turn ${kind}` ? `: ${reason.message}` : '';
  const why = kind === 'interrupted' ? 'interrupted by the user' : kind === 'timeout' ? 'stopped: the turn timed out' : `cancelled${said}`;
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
