/**
 * `Agent`: a creature as a value you await. Build it from a config folder,
 * an `@package` reference or an inline config; run turns; stream events.
 *
 * One turn runs at a time; input that arrives meanwhile waits its turn in
 * order. Every turn owns an AbortController, so interrupt, timeout, a
 * caller's signal and `stop()` all end the HTTP request and kill tool
 * processes through the same path.
 */
import { randomBytes } from 'node:crypto';
import { loadCreature, defineCreature, type CreatureDefinition, type ConfigWarning } from '../config/loader.js';
import type { Env } from '../config/paths.js';
import { AbortReason, UsageError } from '../errors.js';
import { matchesType, type AgentEvent, type AgentEventType, type EventPrefix } from '../events.js';
import { emptyUsage, type Message, type Usage, type UserContent } from '../llm/messages.js';
import type { Provider } from '../llm/provider.js';
import type { RetryPolicy } from '../llm/retry.js';
import { toolCatalog, type ToolCatalog } from '../tools/catalog.js';
import type { Tool, ToolSession } from '../tools/tool.js';
import { bindTools, limitsFor, llmFor, retryPolicyFor, settingsFor, workingDirectory } from './assemble.js';
import { EventBus, type EventStream, type StreamOptions } from './bus.js';
import { Controller, type IterationBudget } from './controller.js';
import { Conversation } from './conversation.js';
import { Executor } from './executor.js';
import { composeSystemPrompt, currentEnvironment } from './system-prompt.js';
import { createTurnJob, notStartedResult, type TurnJob, type TurnJobOptions } from './turn-job.js';
import type { TurnResult } from './turn-result.js';
import { TurnStream } from './turn-stream.js';

export interface BuildOptions {
  /** A preset name, `provider/model`, or a Provider instance. Overrides the config. */
  llm?: string | Provider;
  /** Extra tools; they replace configured tools of the same name. */
  tools?: Tool[];
  /** Working directory for tools (default: the process cwd). Never changes the process cwd. */
  pwd?: string;
  /** Replaces the configured base prompt. */
  systemPrompt?: string;
  /** LLM rounds per turn; overrides `termination.max_turns`. */
  maxTurns?: number;
  /** Environment for `${VAR}` interpolation, API keys and tool processes (default: process.env). */
  env?: Env;
  /** Where tool names resolve (default: the built-in catalog). */
  catalog?: ToolCatalog;
  retry?: Partial<RetryPolicy>;
  /** Use this session id instead of minting one. */
  sessionId?: string;
}

/** Options of `run()` / `runStream()`: `timeout` (ms), `signal`, `source`. */
export type RunOptions = TurnJobOptions;

export type AgentState = 'idle' | 'running' | 'stopping' | 'stopped';


export class Agent implements AsyncDisposable {
  readonly creatureId: string;
  readonly sessionId: string;
  /** Problems found in the config that did not stop the build (unknown keys, ...). */
  readonly warnings: readonly ConfigWarning[];

  private readonly bus: EventBus;
  private readonly controller: Controller;
  private readonly queue: TurnJob[] = [];
  private active: TurnJob | undefined;
  private pumping: Promise<void> | undefined;
  private started = false;
  private stopped: Promise<void> | undefined;
  private turnCounter = 0;
  private readonly totals: Usage = emptyUsage();
  private readonly modelId: string | undefined;

  private constructor(
    readonly definition: CreatureDefinition,
    private provider: Provider,
    private readonly executor: Executor,
    private readonly conversation: Conversation,
    readonly cwd: string,
    options: {
      sessionId: string;
      /** The canonical model id (`provider/preset@variation`), when resolved from a name. */
      modelId?: string;
      controller: Omit<ConstructorParameters<typeof Controller>[0], 'provider' | 'conversation' | 'executor' | 'totals'>;
    },
  ) {
    this.modelId = options.modelId;
    this.creatureId = `${definition.name}_${randomBytes(4).toString('hex')}`;
    this.sessionId = options.sessionId;
    this.warnings = definition.warnings;
    this.bus = new EventBus({ sessionId: this.sessionId, creatureId: this.creatureId, agentPath: [definition.name] });
    this.controller = new Controller({ ...options.controller, provider, conversation, executor, totals: this.totals });
  }

  /**
   * Build a creature. `ref` is a folder, a config file, an `@package/...`
   * reference, a config object (the keys of config.yaml), or a loaded
   * definition. Bad configs, unknown tools, unknown models and missing keys
   * throw `ConfigError` here, not mid-run.
   */
  static async build(ref: string | Record<string, unknown> | CreatureDefinition, options: BuildOptions = {}): Promise<Agent> {
    const env = options.env ?? process.env;
    const cwd = workingDirectory(options.pwd);
    const definition =
      typeof ref === 'string'
        ? loadCreature(ref, { env })
        : isDefinition(ref)
          ? ref
          : defineCreature(ref, { env, folder: cwd });
    const bindings = await bindTools(definition, options.catalog ?? toolCatalog, options.tools ?? [], cwd);
    const { provider, resolved } = await llmFor(definition, options.llm, env);
    const sessionId = options.sessionId ?? `session_${randomBytes(6).toString('hex')}`;
    const session: ToolSession = { id: sessionId, state: new Map() };
    const executor = new Executor(bindings, { cwd, creature: definition.name, session, env });
    const base = options.systemPrompt ?? definition.systemPrompt;
    const conversation = new Conversation(composeSystemPrompt(base, currentEnvironment(cwd)));
    const budget: IterationBudget | undefined = definition.maxIterations ? { remaining: definition.maxIterations } : undefined;
    return new Agent(definition, provider, executor, conversation, cwd, {
      sessionId,
      ...(resolved ? { modelId: resolved.id } : {}),
      controller: {
        settings: settingsFor(definition, resolved),
        limits: limitsFor(definition, options.maxTurns),
        retry: retryPolicyFor(definition.controller.retry_policy, options.retry),
        ...(budget ? { budget } : {}),
      },
    });
  }

  get name(): string {
    return this.definition.name;
  }

  /** Canonical model id, e.g. `openai/gpt-4o-mini`. */
  /** The model as the user names it: `provider/preset[@variation]`, or the provider's id for an injected provider. */
  get model(): string {
    return this.modelId ?? this.provider.id;
  }

  get maxContext(): number | undefined {
    return this.provider.maxContext;
  }

  get tools(): string[] {
    return this.executor.toolNames;
  }

  /** The conversation as it stands (read-only view). */
  get messages(): readonly Message[] {
    return this.conversation.messages;
  }

  get systemPrompt(): string {
    return this.conversation.systemPrompt ?? '';
  }

  /** Token totals since the agent was built. */
  get usage(): Usage {
    return { ...this.totals };
  }

  get state(): AgentState {
    if (this.stopped) return this.active || this.pumping ? 'stopping' : 'stopped';
    return this.active ? 'running' : 'idle';
  }

  /** Announce the creature (events `creature.start`, `system.prompt`, config warnings). Idempotent. */
  async start(): Promise<void> {
    this.assertUsable();
    if (this.started) return;
    this.started = true;
    this.bus.emit({ type: 'creature.start', name: this.name, model: this.model, cwd: this.cwd, tools: this.tools }, null);
    this.bus.emit({ type: 'system.prompt', text: this.systemPrompt }, null);
    for (const w of this.warnings) {
      const where = w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : '';
      this.bus.emit({ type: 'warning', message: `${where}${w.message}`, code: 'CONFIG_WARNING' }, null);
    }
  }

  /** Run one turn to its end. Resolves with a status; rejects only on misuse. */
  async run(input: UserContent, options: RunOptions = {}): Promise<TurnResult> {
    await this.start();
    const job = this.createJob(input, options);
    this.enqueue(job);
    return job.result;
  }

  /** Run one turn and stream its events. Breaking out of the loop cancels the turn. */
  runStream(input: UserContent, options: RunOptions = {}): TurnStream {
    this.assertUsable();
    if (!this.started) void this.start();
    const job = this.createJob(input, options);
    const events = this.bus.stream({ filter: (e) => e.turnId === job.turnId });
    const stream = new TurnStream(events, job.result, (reason) => job.abort.abort(new AbortReason('cancelled', reason)));
    void job.result.then(() => events.end());
    this.enqueue(job);
    return stream;
  }

  /** Interrupt the running turn (status `interrupted`). Queued input still runs. */
  interrupt(): boolean {
    if (!this.active || this.active.abort.signal.aborted) return false;
    this.active.abort.abort(new AbortReason('interrupted'));
    return true;
  }

  /** Listen to every event, or to one type / prefix (`'tool.'`). Returns the unsubscribe function. */
  on(listener: (event: AgentEvent) => void): () => void;
  on<T extends AgentEventType | EventPrefix>(filter: T, listener: (event: AgentEvent) => void): () => void;
  on(a: string | ((event: AgentEvent) => void), b?: (event: AgentEvent) => void): () => void {
    if (typeof a === 'function') return this.bus.subscribe(a);
    const listener = b as (event: AgentEvent) => void;
    return this.bus.subscribe((event) => {
      if (matchesType(event, a)) listener(event);
    });
  }

  /** A live async stream of every event from now on. */
  events(options: StreamOptions = {}): EventStream {
    return this.bus.stream(options);
  }

  /** Cancel the running and queued turns, release the provider. Idempotent. */
  stop(reason = 'stopped'): Promise<void> {
    this.stopped ??= (async () => {
      for (const job of this.queue) job.abort.abort(new AbortReason('cancelled', 'agent stopped'));
      this.active?.abort.abort(new AbortReason('cancelled', 'agent stopped'));
      await this.pumping;
      try {
        await this.provider.close?.();
      } finally {
        if (this.started) this.bus.emit({ type: 'creature.stop', reason }, null);
      }
    })();
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private assertUsable(): void {
    if (this.stopped) throw new UsageError(`agent '${this.name}' is stopped; build a new one`);
  }

  private createJob(input: UserContent, options: RunOptions): TurnJob {
    this.assertUsable();
    return createTurnJob(++this.turnCounter, input, options);
  }

  private enqueue(job: TurnJob): void {
    this.queue.push(job);
    if (this.active) this.bus.emit({ type: 'input.queued', input: job.input, position: this.queue.length }, job.turnId);
    this.kick();
  }

  private kick(): void {
    if (this.pumping) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      // A job may have been queued after the loop saw an empty queue but before this ran.
      if (this.queue.length) this.kick();
    });
  }

  private async pump(): Promise<void> {
    // Let the caller attach to the stream before the first event.
    await Promise.resolve();
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      if (job.abort.signal.aborted) {
        job.resolve(notStartedResult(job, this.sessionId));
        continue;
      }
      this.active = job;
      try {
        const result = await this.controller.runTurn({
          turnId: job.turnId,
          turnIndex: job.turnIndex,
          sessionId: this.sessionId,
          input: job.input,
          source: job.source,
          signal: job.abort.signal,
          emit: (draft) => this.bus.emit(draft, job.turnId),
        });
        job.resolve(result);
      } finally {
        this.active = undefined;
      }
    }
  }

}

function isDefinition(value: object): value is CreatureDefinition {
  const v = value as Partial<CreatureDefinition>;
  return typeof v.systemPrompt === 'string' && Array.isArray(v.tools) && Array.isArray(v.layers);
}
