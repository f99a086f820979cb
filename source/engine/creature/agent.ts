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
import type { CreatureDefinition, ConfigWarning } from '../config/loader.js';
import { AbortReason, UsageError } from '../errors.js';
import { matchesType, type AgentEvent, type AgentEventType, type EventDraft, type EventOf, type EventPrefix } from '../events.js';
import { addUsage, emptyUsage, type Message, type Usage, type UserContent } from '../llm/messages.js';
import type { Provider } from '../llm/provider.js';
import { ApprovalGate, type ApprovalMode, type ApprovalRequest, type AskApproval } from '../tools/approval.js';
import type { JobControl, ToolRuntime } from '../tools/runtime.js';
import type { ToolSession } from '../tools/tool.js';
import { openingEvents, openSession, type AgentRef } from './agent-build.js';
import type { AgentState, BuildOptions, RestoredState, RunOptions } from './agent-options.js';
import { assembleParts, ephemeralSessionId } from './agent-parts.js';
import { limitsFor } from './assemble.js';
import { EventBus, type EventStream, type StreamOptions } from './bus.js';
import { Controller } from './controller.js';
import { Conversation } from './conversation.js';
import type { Executor } from './executor.js';
import { jobNotice, type JobStore } from './job-store.js';
import { scratchpadOf } from './scratchpad.js';
import { createTurnJob, type TurnJob } from './turn-job.js';
import { TurnLane } from './turn-lane.js';
import type { TurnResult } from './turn-result.js';
import { TurnStream } from './turn-stream.js';
import { TurnTree, type LiveTurn, type TurnSlot } from './turn-tree.js';

export type { AgentRef } from './agent-build.js';
export type { AgentState, BuildOptions, RestoredState, RunOptions } from './agent-options.js';
export class Agent implements AsyncDisposable {
  readonly creatureId: string;
  readonly sessionId: string;
  /** Problems found in the config that did not stop the build (unknown keys, ...). */
  readonly warnings: readonly ConfigWarning[];

  private readonly bus: EventBus;
  private readonly controller: Controller;
  private readonly lane: TurnLane;
  private readonly toolSession: ToolSession;
  private readonly jobStore: JobStore;
  private readonly runtime: ToolRuntime;
  private started = false;
  private stopped: Promise<void> | undefined;
  private readonly tree = new TurnTree();
  private readonly totals: Usage = emptyUsage();
  private readonly modelId: string | undefined;
  /** The session file events are written to, when there is one. */
  sessionPath: string | undefined;
  /** Run once when the agent stops (close the session recorder, ...). */
  private readonly stopHooks: Array<() => void | Promise<void>> = [];

  private constructor(
    readonly definition: CreatureDefinition,
    private provider: Provider,
    private readonly executor: Executor,
    private readonly conversation: Conversation,
    readonly cwd: string,
    options: {
      sessionId: string;
      creatureId: string;
      /** What tools share across calls: the scratchpad, read-state, the session path. */
      toolSession: ToolSession;
      jobs: JobStore;
      runtime: ToolRuntime;
      /** Problems found while building (skill files that could not be read). */
      extraWarnings?: ConfigWarning[];
      /** The canonical model id (`provider/preset@variation`), when resolved from a name. */
      modelId?: string;
      controller: Omit<ConstructorParameters<typeof Controller>[0], 'provider' | 'conversation' | 'executor' | 'totals'>;
    },
  ) {
    this.modelId = options.modelId;
    this.creatureId = options.creatureId;
    this.sessionId = options.sessionId;
    this.toolSession = options.toolSession;
    this.jobStore = options.jobs;
    this.runtime = options.runtime;
    this.warnings = [...definition.warnings, ...(options.extraWarnings ?? [])];
    this.bus = new EventBus({ sessionId: this.sessionId, creatureId: this.creatureId, agentPath: [definition.name] });
    this.controller = new Controller({ ...options.controller, provider, conversation, executor, totals: this.totals });
    this.lane = new TurnLane({
      controller: this.controller,
      conversation,
      tree: this.tree,
      sessionId: this.sessionId,
      emit: (draft, turnId) => this.bus.emit(draft, turnId),
      afterTurn: () => this.deliverJobs(),
    });
  }

  /**
   * Build a creature. `ref` is a folder, a config file, an `@package/...`
   * reference, a config object (the keys of config.yaml), or a loaded
   * definition. Bad configs, unknown tools, unknown models and missing keys
   * throw `ConfigError` here, not mid-run.
   */
  static async build(ref: AgentRef, options: BuildOptions = {}): Promise<Agent> {
    const parts = await assembleParts(ref, options);
    const { definition, cwd, resolved, jobs, session, hub } = parts;
    const creatureId = `${definition.name}_${randomBytes(4).toString('hex')}`;
    // Last, so that nothing is written when anything above fails. A new file is
    // created holding the events start() will announce, so no session lacks them.
    const prepared = options.session
      ? await openSession(options, {
          ref,
          definition,
          cwd,
          ...(resolved ? { model: resolved.id } : {}),
          firstEvents: openingEvents({ creatureId, name: definition.name, model: resolved?.id ?? parts.provider.id, cwd, tools: parts.executor.toolNames, systemPrompt: parts.systemPrompt }),
        })
      : undefined;
    session.id = prepared?.sessionId ?? options.sessionId ?? ephemeralSessionId();
    if (prepared) {
      // Tools find the session through these: search_memory reads the log, tools that make files write artifacts.
      session.state.set('session.path', prepared.path);
      session.state.set('session.artifacts', prepared.store.artifacts.dir);
      const { saveSubagentRun } = await import('../session/side-records.js');
      hub.saveRun = (run) => saveSubagentRun(prepared.store, { creature: definition.name, turn: null, ...run });
    }
    const agent = new Agent(definition, parts.provider, parts.executor, new Conversation(parts.systemPrompt), cwd, {
      sessionId: session.id,
      creatureId,
      toolSession: session,
      jobs,
      runtime: parts.runtime,
      extraWarnings: parts.skillWarnings.map((message) => ({ message })),
      ...(resolved ? { modelId: resolved.id } : {}),
      controller: {
        takeInjected: () => (jobs.hasInbox ? jobNotice(jobs.drainInbox()) : undefined),
        ...(definition.toolFormat ? { format: definition.toolFormat } : {}),
        settings: parts.settings,
        limits: limitsFor(definition, options.maxTurns),
        retry: parts.retry,
        ...(parts.budget ? { budget: parts.budget } : {}),
      },
    });
    hub.emit = (draft, turnId, agentPath) => agent.bus.emit(draft, turnId, agentPath);
    hub.emitOutsideTurn = (draft) => agent.emitOutsideTurn(draft);
    hub.deliverJobs = () => agent.deliverJobs();
    hub.activeTurnId = () => agent.lane.activeTurnId ?? null;
    hub.addUsage = (usage) => addUsage(agent.totals, usage);
    if (prepared) {
      if (prepared.restored) agent.restore(prepared.restored);
      const { SessionRecorder } = await import('../session/recorder.js');
      const recorder = new SessionRecorder(prepared.store, agent, { alreadyLogged: prepared.logged });
      agent.sessionPath = prepared.path;
      agent.stopHooks.push(() => recorder.close());
    }
    return agent;
  }

  get name(): string {
    return this.definition.name;
  }

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

  /** The live turns: branch, where each starts in the conversation, its input. */
  get liveTurns(): LiveTurn[] {
    return this.tree.live;
  }

  /** Notes tools keep across turns (kept in the session file, restored on resume). */
  get scratchpad(): Map<string, string> {
    return scratchpadOf(this.toolSession);
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
    if (this.stopped) return this.lane.draining ? 'stopping' : 'stopped';
    return this.lane.running ? 'running' : 'idle';
  }

  /** Announce the creature (events `creature.start`, `system.prompt`, config warnings). Idempotent. */
  async start(): Promise<void> {
    this.assertUsable();
    if (this.started) return;
    this.started = true;
    this.bus.emit({ type: 'creature.start', name: this.name, model: this.model, cwd: this.cwd, tools: this.tools }, null);
    // An empty prompt is never announced: logged, it would replace the real one on the next resume.
    if (this.systemPrompt) this.bus.emit({ type: 'system.prompt', text: this.systemPrompt }, null);
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

  /**
   * Run the last turn again as a new branch: the conversation goes back to
   * just before it and the same input is sent again. The log keeps both.
   */
  regenerate(options: RunOptions = {}): Promise<TurnResult> {
    this.assertIdle('regenerate');
    const turnIndex = this.tree.length;
    if (!turnIndex) throw new UsageError('there is no turn to regenerate yet');
    return this.branchFrom(turnIndex, undefined, options);
  }

  /**
   * Replace the input of turn `turnIndex` (1-based, on the live path) and run
   * it as a new branch; the turns after it leave the live path (the log keeps them).
   */
  editTurn(turnIndex: number, input: UserContent, options: RunOptions = {}): Promise<TurnResult> {
    this.assertIdle('edit a turn');
    if (!Number.isInteger(turnIndex) || turnIndex < 1 || turnIndex > this.tree.length) {
      throw new UsageError(`turn ${turnIndex} does not exist; turns 1 to ${this.tree.length} can be edited`);
    }
    return this.branchFrom(turnIndex, input, options);
  }

  /** Turns on the live path. */
  get turns(): number {
    return this.tree.length;
  }

  /** Branch of each live turn (index 0 = turn 1). */
  get livePath(): number[] {
    return this.tree.livePath;
  }

  /**
   * Put the creature back where a session left it: the conversation, the
   * turn tree, token totals and event numbering. Only before the first turn.
   */
  restore(state: RestoredState): void {
    if (this.started || this.lane.busy) throw new UsageError('restore() must come before the first turn');
    // A log without a system prompt (its process died before writing one) keeps the prompt built from the config.
    const prompt = this.conversation.systemPrompt;
    const keepPrompt = prompt !== undefined && state.messages[0]?.role !== 'system';
    this.conversation.replace(keepPrompt ? [{ role: 'system', content: prompt }, ...state.messages] : state.messages);
    this.tree.restore(keepPrompt ? state.turns.map((t) => ({ ...t, start: t.start + 1 })) : state.turns, state.branchCounts);
    addUsage(this.totals, state.usage);
    for (const [key, value] of Object.entries(state.scratchpad ?? {})) this.scratchpad.set(key, value);
    if (state.interruptedJobs?.length) this.jobStore.restoreInterrupted(state.interruptedJobs);
    this.bus.resumeFrom(state.lastSeq);
  }

  /** Interrupt the running turn (status `interrupted`). Queued input still runs. */
  interrupt(): boolean {
    return this.lane.interrupt();
  }

  /** Listen to every event, or to one type / prefix (`'tool.'`). Returns the unsubscribe function. */
  on(listener: (event: AgentEvent) => void): () => void;
  on<T extends AgentEventType>(type: T, listener: (event: EventOf<T>) => void): () => void;
  on(prefix: EventPrefix, listener: (event: AgentEvent) => void): () => void;
  on(a: string | ((event: AgentEvent) => void), b?: (event: never) => void): () => void {
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

  /**
   * Who answers `ask_user`: the UI sets a handler that shows the question and
   * resolves with the answer; without one (pipes, CI) the tool tells the
   * model that nobody can answer. Pass undefined to remove it.
   */
  setAskUser(handler: ToolRuntime['askUser']): void {
    if (handler) this.runtime.askUser = handler;
    else delete this.runtime.askUser;
  }

  /**
   * Ask before edits and commands: the UI passes how to ask, and the mode
   * (`default` asks for both, `auto-edit` for commands only, `yolo` never).
   * Tools the creature's `controller.allow` names never ask. An agent built
   * in code with no approver runs its tools unasked (the builder chose its
   * tools); `kt` always installs one. Pass undefined to remove.
   */
  setApprover(ask: AskApproval | undefined, mode: ApprovalMode = 'default'): void {
    if (ask) this.runtime.approvals = new ApprovalGate(mode, ask, { allow: this.definition.controller.allow ?? [] });
    else delete this.runtime.approvals;
  }

  /**
   * Nobody can answer questions (a script, a pipe, CI): edits and commands
   * that `mode` and `controller.allow` do not cover are refused, and the
   * model is told why. `onRefused` hears about each refusal.
   */
  refuseUnapproved(mode: ApprovalMode, onRefused?: (request: ApprovalRequest) => void): void {
    this.runtime.approvals = new ApprovalGate(mode, undefined, { allow: this.definition.controller.allow ?? [], ...(onRefused ? { onUnattended: onRefused } : {}) });
  }

  /** Skills the model may invoke, by name. */
  get skills(): string[] {
    return this.runtime.skills?.names() ?? [];
  }

  /** Background jobs: tool calls and sub-agents that run on after their turn. */
  get jobs(): JobControl {
    return this.jobStore;
  }

  /**
   * Send a running tool call to the background (the UI's Ctrl+B): the turn
   * goes on with a placeholder and the result arrives later. False when that
   * call is not running.
   */
  promote(callId: string): boolean {
    return this.executor.promote(callId);
  }

  /** Cancel the running and queued turns and the background jobs, release the provider. Idempotent. */
  stop(reason = 'stopped'): Promise<void> {
    this.stopped ??= (async () => {
      await Promise.all([this.lane.cancelAll('agent stopped'), this.jobStore.stopAll('agent stopped')]);
      try {
        await this.provider.close?.();
      } finally {
        if (this.started) this.bus.emit({ type: 'creature.stop', reason }, null);
        for (const hook of this.stopHooks) await hook();
      }
    })();
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private branchFrom(turnIndex: number, input: UserContent | undefined, options: RunOptions): Promise<TurnResult> {
    const rewound = this.tree.rewind(turnIndex);
    this.conversation.truncate(rewound.conversationLength);
    const job = this.createJob(input ?? rewound.input, options, this.tree.reserveBranch(turnIndex));
    void this.start();
    this.enqueue(job);
    return job.result;
  }

  private assertIdle(what: string): void {
    this.assertUsable();
    if (this.lane.busy) throw new UsageError(`cannot ${what} while a turn is running or queued`);
  }

  private assertUsable(): void {
    if (this.stopped) throw new UsageError(`agent '${this.name}' is stopped; build a new one`);
  }

  private createJob(input: UserContent, options: RunOptions, slot?: TurnSlot): TurnJob {
    this.assertUsable();
    const reserved = slot ?? this.tree.reserve();
    try {
      return createTurnJob(reserved, input, options);
    } catch (error) {
      this.tree.release();
      throw error;
    }
  }

  /** Job events belong to the turn that is running when they happen, if any. */
  private emitOutsideTurn(draft: EventDraft): void {
    this.bus.emit(draft, this.lane.activeTurnId ?? null);
  }

  /**
   * Tell the model about finished jobs. A running turn picks them up between
   * its rounds (and this runs again when it ends); an idle creature starts a
   * turn for them.
   */
  private deliverJobs(): void {
    if (this.stopped || this.lane.busy || !this.jobStore.hasInbox) return;
    const notice = jobNotice(this.jobStore.drainInbox());
    void this.start()
      .then(() => {
        if (!this.stopped) this.enqueue(this.createJob(notice, { source: 'job' }));
      })
      .catch(() => undefined); // stopped meanwhile: nobody is left to tell

  }

  private enqueue(job: TurnJob): void {
    this.lane.push(job);
  }
}
