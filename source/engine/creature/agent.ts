/**
 * `Agent`: a creature as a value you await. Build it from a config folder,
 * an `@package` reference or an inline config; run turns; stream events.
 *
 * One turn runs at a time; input that arrives meanwhile waits its turn in
 * order. Every turn owns an AbortController, so interrupt, timeout, a
 * caller's signal and `stop()` all end the HTTP request and kill tool
 * processes through the same path.
 */
import type { CreatureDefinition, ConfigWarning } from '../config/loader.js';
import type { CompactDecision } from '../compaction/compactor.js';
import { AbortReason, UsageError } from '../errors.js';
import { matchesType, type AgentEvent, type AgentEventType, type EventOf, type EventPrefix, type InputSource, type InteractionKind } from '../events.js';
import { addUsage, type Message, type Usage, type UserContent } from '../llm/messages.js';
import type { Provider, ToolSpec } from '../llm/provider.js';
import type { ApprovalMode, AskApproval } from '../tools/approval.js';
import { llmFor, settingsFor } from './assemble.js';
import type { AskOptions, JobControl, ToolRuntime } from '../tools/runtime.js';
import type { ToolSession } from '../tools/tool.js';
import type { AgentRef } from './agent-build.js';
import { answerApprovals, answerAsks, answerWith, askAgain, type InteractionHandler } from './agent-interactions.js';
import { assembleAgent, type AgentInternals } from './agent-assembly.js';
import type { AgentState, BuildOptions, RestoredState, RunOptions } from './agent-options.js';
import type { EventBus, EventStream, StreamOptions } from './bus.js';
import type { CreatureContext } from './context.js';
import type { CreatureCore } from './core.js';
import type { Interactions } from './interactions.js';
import { jobNotice, type JobStore } from './job-store.js';
import { PluginControl } from './plugin-control.js';
import { scratchpadOf } from './scratchpad.js';
import { createTurnJob, type TurnJob } from './turn-job.js';
import { TurnLane } from './turn-lane.js';
import type { TurnResult } from './turn-result.js';
import { TurnStream } from './turn-stream.js';
import type { LiveTurn, TurnSlot, TurnTree } from './turn-tree.js';
import type { OpenInteraction, SessionHandle } from '../session/records.js';
import { moveRecording, type SessionLink } from './agent-session-move.js';
import type { ChannelHub } from '../channels/hub.js';
import type { ConversationChange, FireOutcome, Trigger, TriggerFire, TriggerInfo } from '../triggers/trigger.js';
import type { OutputHandler } from '../io/output.js';
import type { InputModule } from '../io/input.js';
import { AgentIo } from './agent-io.js';
import { attachMcp, mcpWiringOf } from './agent-mcp.js';

export type { AgentRef } from './agent-build.js';

/** An event handed to `injectEvent`, as a trigger would deliver it. */
export interface InjectedEvent {
  /** Names the source in `trigger.fired` and the turn's origin (default `event`). */
  type?: string;
  /** Shown as the origin's name (default: `type`). */
  name?: string;
  /** The turn's input source (default `trigger`; a terrarium's wires use `wire`). */
  source?: InputSource;
  content: UserContent;
  context?: Record<string, unknown>;
}

/** A trigger of a registered kind, for `addTrigger`: `{type: 'timer', interval: 600, prompt: '...'}`. */
export type TriggerRequest = { type: string } & Record<string, unknown>;
export type { AgentState, BuildOptions, RestoredState, RunOptions } from './agent-options.js';
export class Agent implements AsyncDisposable {
  readonly creatureId: string;
  readonly definition: CreatureDefinition;
  readonly cwd: string;
  /** Problems found in the config that did not stop the build (unknown keys, ...). */
  readonly warnings: readonly ConfigWarning[];
  /** The creature's plugins: list, enable, disable, configure. */
  readonly plugins: PluginControl;

  private readonly bus: EventBus;
  private readonly context: CreatureContext;
  private readonly core: CreatureCore;
  private readonly lane: TurnLane;
  private readonly tree: TurnTree;
  private readonly toolSession: ToolSession;
  private readonly jobStore: JobStore;
  private readonly runtime: ToolRuntime;
  private readonly internals: AgentInternals;
  private started = false;
  /** `BuildOptions.triggers: 'off'`: fires and injected events start no turn. */
  private firesOff = false;
  private stopped: Promise<void> | undefined;
  private readonly totals: Usage;
  private modelId: string | undefined;
  /** Providers switched away from: sub-agents and compaction may still use them, so they close at stop. */
  private readonly retired: Provider[] = [];
  /** The session file events are written to, when there is one. */
  sessionPath: string | undefined;
  /** How this creature records into its session file (set at build when it has one; `moveSession` re-points it). */
  private sessionLink: SessionLink | undefined;
  /** Run once when the agent stops (close the session recorder, ...). */
  private readonly stopHooks: Array<() => void | Promise<void>> = [];
  private askDetach: (() => void) | undefined;
  private leftOpen: OpenInteraction[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private approveDetach: (() => void) | undefined;
  /** Prompt tokens of the creature's last model call (what /compact goes by). */
  private promptTokens = 0;
  private mode: ApprovalMode | undefined;
  private readonly reports = new Map<string, Record<string, unknown>>();
  private readonly io: AgentIo;

  private constructor(internals: AgentInternals) {
    this.internals = internals;
    this.definition = internals.definition;
    this.cwd = internals.cwd;
    this.creatureId = internals.creatureId;
    this.bus = internals.bus;
    this.context = internals.context;
    this.core = internals.core;
    this.tree = internals.tree;
    this.totals = internals.totals;
    this.modelId = internals.modelId;
    this.toolSession = internals.parts.toolSession;
    this.jobStore = internals.parts.jobs;
    this.runtime = internals.parts.runtime;
    this.warnings = internals.warnings;
    this.plugins = new PluginControl(this.context.hooks, internals.pluginHost, internals.pluginCatalog);
    this.lane = new TurnLane({
      controller: this.core.controller,
      conversation: this.core.conversation,
      tree: this.tree,
      sessionId: internals.sessionId,
      emit: (draft, turnId) => this.bus.emit(draft, turnId),
      afterTurn: () => {
        this.deliverJobs();
        this.armIdleTimer();
      },
      turn: internals.turn,
    });
    internals.jobsFinished.add(() => this.deliverJobs());
    internals.triggers.delivery.deliver = (fire, trigger) => this.fireAsTurn(fire, trigger);
    const changes = new Map<string, ConversationChange>();
    this.bus.subscribe((event) => {
      // A round cut off before the model reported usage says nothing about the context's size.
      if (event.type === 'usage' && event.agentPath.length === 1) this.promptTokens = event.contextTokens || this.promptTokens;
      else if (event.type === 'plugin.report') this.reports.set(event.plugin, event.data);
      else if (event.type === 'turn.start' && event.agentPath.length === 1 && event.turnId) {
        changes.set(event.turnId, { turnId: event.turnId, source: event.source, ...(event.origin?.triggerId ? { triggerId: event.origin.triggerId } : {}) });
      } else if (event.type === 'turn.end' && event.agentPath.length === 1 && event.turnId) {
        const change = changes.get(event.turnId);
        changes.delete(event.turnId);
        // Context triggers hear about it once the turn's messages are in the conversation.
        if (change) this.internals.triggers.manager.conversationChanged(change);
      }
    });
    // Plugins see every event (also ones enabled later); the chain never lets one of them stall or break the stream.
    this.bus.subscribe((event) => this.context.hooks.event(event));
    this.io = new AgentIo(internals.io, { name: this.name, cwd: this.cwd, folder: this.definition.folder, clock: this.context.clock, subscribe: (l) => this.bus.subscribe(l), emit: (d) => this.bus.emit(d, null), injectInput: (i, o) => this.injectInput(i, o), stop: (r) => this.stop(r), triggerCount: () => this.triggers.length });
  }

  /**
   * Build a creature. `ref` is a folder, a config file, an `@package/...`
   * reference, a config object (the keys of config.yaml), or a loaded
   * definition. Bad configs, unknown tools, plugins or models and missing
   * keys throw `ConfigError` here, not mid-run.
   */
  static async build(ref: AgentRef, options: BuildOptions = {}): Promise<Agent> {
    const internals = await assembleAgent(ref, options);
    const { prepared, parts } = internals;
    if (prepared) {
      // Tools find the session through these: search_memory reads the log, tools that make files write artifacts.
      parts.toolSession.state.set('session.path', prepared.path);
      parts.toolSession.state.set('session.artifacts', prepared.store.artifacts.dir);
      const { sessionBackend } = await import('../session/port-backend.js');
      internals.context.session.connect(sessionBackend(prepared.store, internals.definition.name));
    }
    const agent = new Agent(internals);
    agent.firesOff = options.triggers === 'off';
    const mcp = await attachMcp({ ...mcpWiringOf(internals, options), setPromptSection: (key, text) => agent.setPromptSection(key, text), warn: (message) => (agent.started ? agent.bus.emit({ type: 'warning', code: 'MCP_SERVER', message }, null) : internals.warnings.push({ message })) });
    if (mcp) agent.stopHooks.push(() => mcp.close());
    if (prepared) {
      if (prepared.restored) {
        agent.restore(prepared.restored);
        // Read only if an output module shows history, and only when it starts.
        const { store } = prepared;
        const name = internals.definition.name;
        agent.io.history = () => [...store.events({ creature: name, types: ['turn.start', 'turn.end'] })].map((s) => s.event).filter((e) => e.agentPath.length === 1);
      }
      // The session's last `/model` choice holds on resume, unless the caller named a model.
      const chosen = prepared.restored?.model;
      if (chosen && options.llm === undefined && chosen !== agent.model) {
        await agent.useModel(chosen).catch((error: unknown) => {
          internals.warnings.push({ message: `the session's model ${chosen} is not available (${(error as Error).message}); using ${agent.model}` });
        });
      }
      const { SessionRecorder } = await import('../session/recorder.js');
      const { sessionBackend } = await import('../session/port-backend.js');
      // A shared store (a terrarium's) is closed by its owner, after every member stopped.
      const recorder = new SessionRecorder(prepared.store, agent, { alreadyLogged: prepared.logged, closeStore: !prepared.shared });
      agent.sessionPath = prepared.path;
      const name = internals.definition.name;
      const link: SessionLink = {
        recorder,
        follow: (store) => new SessionRecorder(store, agent, { closeStore: false }),
        backend: (store) => sessionBackend(store, name),
      };
      agent.sessionLink = link;
      agent.stopHooks.push(() => link.recorder.close());
    }
    return agent;
  }

  /** The creature's MCP servers (`/mcp`, `mcp_*` tools); undefined when it has none. */
  get mcp(): ToolRuntime['mcp'] {
    return this.runtime.mcp;
  }

  get name(): string {
    return this.definition.name;
  }

  /** The session the creature records into (its file's id once it has one). */
  get sessionId(): string {
    return this.bus.identity.sessionId;
  }

  /**
   * Record into another shared session file from now on (a terrarium's graph
   * got a new file: graphs merged or split). The new file must already hold
   * this creature's history; the old one is left as it is, for its owner to close.
   */
  moveSession(handle: SessionHandle): void {
    if (!this.sessionLink) throw new UsageError(`${this.name} records into no session file; there is nothing to move`);
    this.sessionPath = moveRecording(this.sessionLink, handle, { port: this.context.session, toolSession: this.toolSession, identity: this.bus.identity });
  }

  /** The model as the user names it: `provider/preset[@variation]`, or the provider's id for an injected provider. */
  get model(): string {
    return this.modelId ?? this.core.provider.id;
  }

  get maxContext(): number | undefined {
    return this.core.provider.maxContext;
  }

  /** Prompt tokens of the last model call that reported them: how full the context is (restored on resume). */
  get contextTokens(): number {
    return this.promptTokens;
  }

  /**
   * Talk to another model from the next turn on (`/model`): `provider/preset[@variation]`
   * as `--llm` takes it, or a provider object. The conversation carries over;
   * `model.changed` is logged, and a resumed session builds with the last model chosen.
   * Unknown models or missing keys throw `ConfigError` and leave the creature as it was.
   */
  async switchModel(llm: string | Provider): Promise<void> {
    this.assertIdle('switch the model');
    const previous = this.model;
    await this.useModel(llm);
    this.bus.emit({ type: 'model.changed', model: this.model, previous, ...(this.maxContext ? { maxContext: this.maxContext } : {}) }, null);
  }

  /** Swap the provider without logging it (a resume applying the logged choice). */
  private async useModel(llm: string | Provider): Promise<void> {
    const { provider, resolved } = await llmFor(this.definition, llm, this.internals.env);
    this.retired.push(this.core.provider);
    this.core.useProvider(provider, settingsFor(this.definition, resolved));
    this.modelId = resolved?.id;
    this.internals.setHookModel(this.model);
  }

  get tools(): string[] {
    return this.core.executor.toolNames;
  }

  /** The tool definitions sent to the model with each call (what `/context` weighs). */
  get toolSpecs(): readonly ToolSpec[] {
    return this.core.executor.specs();
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
    return this.core.conversation.messages;
  }

  get systemPrompt(): string {
    return this.core.conversation.systemPrompt ?? '';
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
    await this.context.hooks.notify('onAgentStart');
    try {
      await this.internals.triggers.manager.start();
      await this.io.start();
    } catch (error) {
      await this.stop('a trigger or an input/output module could not start');
      throw error;
    }
    this.armIdleTimer();
    for (const question of this.leftOpen.splice(0)) {
      askAgain(question, {
        emit: (draft) => this.bus.emit(draft, null),
        interactions: this.context.interactions,
        stopped: () => this.stopped !== undefined,
        reply: (text) => this.enqueue(this.createJob(text, { source: 'user' })),
      });
    }
  }

  /** Run one turn to its end. Resolves with a status; rejects only on misuse. */
  async run(input: UserContent, options: RunOptions = {}): Promise<TurnResult> {
    await this.start();
    const job = this.createJob(input, options);
    this.enqueue(job);
    return job.result;
  }

  /** Run a turn with input from somewhere other than a person at a surface (an input module, a bridge). */
  injectInput(input: UserContent, options: RunOptions = {}): Promise<TurnResult> {
    return this.run(input, { source: 'api', ...options });
  }

  /**
   * Deliver an event as a trigger would: it runs as a turn (source
   * `trigger`), after the running one, announced by `trigger.fired`.
   */
  async injectEvent(event: InjectedEvent): Promise<TurnResult> {
    await this.start();
    const kind = event.type ?? 'event';
    const outcome = this.fireAsTurn({ content: event.content, ...(event.context ? { context: event.context } : {}) }, { id: kind, kind, name: event.name ?? kind }, event.source);
    if (!outcome.accepted || !outcome.turnResult) {
      throw new UsageError(`agent '${this.name}' ${this.firesOff ? 'takes no events (its triggers are off)' : 'is stopping'}; the event was not delivered`);
    }
    return outcome.turnResult;
  }

  /**
   * Set (or with undefined, drop) a keyed section at the end of the system
   * prompt, such as a terrarium's `team` section when the team changes. The
   * new prompt applies from the next model call and is logged (`system.prompt`).
   */
  setPromptSection(key: string, text: string | undefined): void {
    const sections = this.internals.promptSections;
    if (text) sections.set(key, text);
    else sections.delete(key);
    const prompt = [this.internals.promptBase, ...sections.values()].join('\n\n');
    if (prompt === this.systemPrompt) return;
    this.core.conversation.setSystemPrompt(prompt);
    if (this.started) this.bus.emit({ type: 'system.prompt', text: prompt }, null);
  }

  /** The input module that drives the creature, when one runs (its `describe()` says where input comes from). */
  get inputModule(): InputModule | undefined {
    return this.io.input;
  }

  /** Send each turn's answer to `handler` too (or instead of the config's output, `replaceDefault`). Returns the unsubscribe function. */
  setOutputHandler(handler: OutputHandler, options: { replaceDefault?: boolean } = {}): () => void {
    return this.io.setOutputHandler(handler, options);
  }

  /** The creature's triggers: kind, name, where they came from, the next fire time when known. */
  get triggers(): TriggerInfo[] {
    return this.internals.triggers.manager.list();
  }

  /**
   * Add a trigger: a `Trigger` object, or a registered kind with its options
   * (`{type: 'timer', interval: 600, prompt: '...'}`), which a session keeps
   * and a resume brings back. Starts at once when the creature runs. Returns its id.
   */
  async addTrigger(trigger: Trigger | TriggerRequest, options: { id?: string; name?: string; managed?: boolean } = {}): Promise<string> {
    this.assertUsable();
    const { manager } = this.internals.triggers;
    const { managed, ...ids } = options;
    // A managed trigger belongs to whoever set the creature up (a terrarium's listen edge): rebuilt by it, not kept by the session.
    const origin = managed ? 'config' : 'code';
    if (isTrigger(trigger)) return manager.add(trigger, { origin, ...ids });
    const { type, ...rest } = trigger as TriggerRequest;
    return (await manager.addKind(type, rest, { origin, ...ids })).id;
  }

  /** Stop and forget a trigger. False when there is none with that id. */
  removeTrigger(id: string): Promise<boolean> {
    return this.internals.triggers.manager.remove(id);
  }

  /** The channels this creature listens on (its direct channel is named after it). */
  get channels(): ChannelHub {
    return this.internals.triggers.channels;
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
    const prompt = this.core.conversation.systemPrompt;
    const keepPrompt = prompt !== undefined && state.messages[0]?.role !== 'system';
    this.core.conversation.replace(keepPrompt ? [{ role: 'system', content: prompt }, ...state.messages] : state.messages);
    this.tree.restore(keepPrompt ? state.turns.map((t) => ({ ...t, start: t.start + 1 })) : state.turns, state.branchCounts);
    addUsage(this.totals, state.usage);
    for (const [key, value] of Object.entries(state.scratchpad ?? {})) this.scratchpad.set(key, value);
    if (state.interruptedJobs?.length) this.jobStore.restoreInterrupted(state.interruptedJobs);
    this.internals.compaction.compactor.rounds = state.compactions ?? 0;
    this.leftOpen = state.openInteractions ?? [];
    if (state.contextTokens) this.promptTokens = state.contextTokens;
    this.bus.resumeFrom(state.lastSeq);
  }

  /** Interrupt the running turn (status `interrupted`). Queued input still runs. */
  interrupt(): boolean {
    const interrupted = this.lane.interrupt();
    if (interrupted) void this.context.hooks.notify('onInterrupt');
    return interrupted;
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

  /** The last figures a plugin reported (`plugin.report`), e.g. cost_tracker's `costUsd`. */
  pluginReport(name: string): Record<string, unknown> | undefined {
    return this.reports.get(name);
  }

  /** The creature's questions: what is open, who is attached, and `respond`. */
  get interactions(): Interactions {
    return this.context.interactions;
  }

  /** Answer an `interaction.request` (an approval, a question). False when it is no longer open. */
  respond(id: string, reply: unknown): boolean {
    return this.context.interactions.respond(id, reply);
  }

  /**
   * Answer requests of these kinds with `handler` until the returned function
   * is called. The handler's value is the reply; if it throws, the asker gets
   * an error (never a made-up answer).
   */
  answer(kinds: readonly InteractionKind[], handler: InteractionHandler): () => void {
    return answerWith(this.context.interactions, (listener) => this.on('interaction.request', listener), kinds, handler);
  }

  /**
   * Who answers `ask_user`: a handler that shows the question and resolves
   * with the answer; without one (pipes, CI) the tool tells the model that
   * nobody can answer. Pass undefined to remove it.
   */
  setAskUser(handler: ((question: string, options: AskOptions) => Promise<string>) | undefined): void {
    this.askDetach?.();
    this.askDetach = handler ? answerAsks(this, handler) : undefined;
  }

  /**
   * Ask before edits and commands (the `permgate` plugin): `ask` answers
   * each approval, `mode` says what needs one (`default` edits and
   * commands, `auto-edit` commands only, `plan` refuses both until the mode
   * changes, `yolo` nothing). Tools the
   * creature's `controller.allow` names never ask. An agent built in code
   * with neither this nor `refuseUnapproved` runs its tools unasked (the
   * builder chose its tools); `kt` always sets one. Pass undefined to
   * remove the approver: the gate stays, and with nobody left to ask, gated
   * calls are refused (to stop asking, set the approval mode to `yolo`).
   */
  async setApprover(ask: AskApproval | undefined, mode: ApprovalMode = 'default'): Promise<void> {
    this.approveDetach?.();
    this.approveDetach = undefined;
    // Removing the approver never switches approvals off: with nobody to ask, gated calls are refused.
    if (!ask) return;
    await this.setApprovalMode(mode);
    this.approveDetach = answerApprovals(this, ask);
  }

  /**
   * Nobody can answer questions (a script, a pipe, CI): edits and commands
   * that `mode` and `controller.allow` do not cover are refused, and the
   * model is told why. `onRefused` hears each refusal's message once per kind.
   */
  async refuseUnapproved(mode: ApprovalMode, onRefused?: (message: string) => void): Promise<void> {
    await this.setApprovalMode(mode);
    if (onRefused) this.on('warning', (w) => w.code === 'APPROVAL_UNATTENDED' && onRefused(w.message));
  }

  /** Switch the approval mode (loads the `permgate` plugin with the creature's allow list). */
  async setApprovalMode(mode: ApprovalMode): Promise<void> {
    await this.plugins.configure('permgate', { mode, allow: this.definition.controller.allow ?? [] });
    this.mode = mode;
  }

  /** The approval mode last set (`setApprover`, `refuseUnapproved`, `setApprovalMode`); undefined when none was. */
  get approvalMode(): ApprovalMode | undefined {
    return this.mode;
  }

  /**
   * Compact the conversation now (`/compact`): the older part is summarised
   * in the background while the creature stays usable. Resolves when the
   * compaction started, or with the precise reason it did not.
   */
  compact(): Promise<CompactDecision> {
    this.assertUsable();
    return this.internals.compaction.compactor.compactNow(this.promptTokens);
  }

  /**
   * Start a fresh conversation (`/clear`): the model sees only the system
   * prompt from the next turn on. Logged as `context.cleared`, so a resumed
   * session continues from the cleared conversation; the earlier turns stay
   * in the log. Not while a turn runs or a compaction is summarising.
   */
  clearContext(): number {
    this.assertIdle('clear the context');
    if (this.internals.compaction.compactor.inFlight) throw new UsageError('cannot clear the context while a compaction is running');
    const conversation = this.core.conversation;
    const removedMessages = conversation.length - (conversation.systemPrompt !== undefined ? 1 : 0);
    conversation.clear();
    // Earlier turns now start where the fresh conversation does: /regen or /edit of one rewinds to it.
    this.tree.shiftStarts((turns) => turns.map((turn) => ({ ...turn, start: conversation.length })));
    this.promptTokens = 0;
    this.bus.emit({ type: 'context.cleared', removedMessages }, null);
    return removedMessages;
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
    return this.core.executor.promote(callId);
  }

  /** Cancel the running and queued turns and the background jobs, release the provider. Idempotent. */
  stop(reason = 'stopped'): Promise<void> {
    this.stopped ??= (async () => {
      clearTimeout(this.idleTimer);
      // No new input or fires once stopping: the input module and triggers go first.
      await this.io.stopInput();
      await this.internals.triggers.manager.stop();
      this.internals.compaction.compactor.stop();
      await Promise.all([this.lane.cancelAll('agent stopped'), this.jobStore.stopAll('agent stopped')]);
      try {
        await this.internals.compaction.compactor.inFlight;
        if (this.started) await this.context.hooks.notify('onAgentStop');
        for (const name of this.context.hooks.list().map((p) => p.name)) await this.context.hooks.remove(name);
        await this.core.provider.close?.();
        const others = new Set([this.internals.compaction.summaryProvider, ...this.retired]);
        others.delete(this.core.provider);
        for (const provider of others) await provider.close?.();
      } finally {
        if (this.started) this.bus.emit({ type: 'creature.stop', reason }, null);
        // Outputs last: they still hear how the cancelled turns ended and that the creature stopped.
        await this.io.stopOutputs();
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
    this.core.conversation.truncate(rewound.conversationLength);
    const job = this.createJob(input ?? rewound.input, options, this.tree.reserveBranch(turnIndex));
    void this.start();
    this.enqueue(job);
    return job.result;
  }

  private assertIdle(what: string): void {
    this.assertUsable();
    if (this.lane.busy) throw new UsageError(`cannot ${what} while a turn is running or queued`);
  }

  /**
   * `termination.idle_timeout`: a creature nobody gives work for that long
   * stops by itself (its surfaces close with it). Re-armed after every turn;
   * a turn that starts meanwhile keeps it alive.
   */
  private armIdleTimer(): void {
    const seconds = this.definition.termination.idle_timeout;
    if (!seconds || this.stopped) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.lane.busy || this.stopped) return;
      this.bus.emit({ type: 'warning', code: 'IDLE_TIMEOUT', message: `no input for ${seconds}s (termination.idle_timeout): stopping` }, null);
      void this.stop('idle_timeout');
    }, seconds * 1000);
    this.idleTimer.unref();
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

  /** A trigger fired: its turn waits behind the running one (`trigger.fired` says whether it had to). */
  private fireAsTurn(fire: TriggerFire, trigger: Pick<TriggerInfo, 'id' | 'kind' | 'name'>, source: InputSource = 'trigger'): FireOutcome & { turnResult?: Promise<TurnResult> } {
    if (this.stopped || !this.started || this.firesOff) return { accepted: false };
    const job = this.createJob(fire.content, { source, origin: { kind: trigger.kind, name: trigger.name, triggerId: trigger.id } });
    const content = typeof fire.content === 'string' ? fire.content : fire.content.map((p) => (p.type === 'text' ? p.text : `[${p.type}]`)).join(' ');
    this.bus.emit({ type: 'trigger.fired', triggerId: trigger.id, kind: trigger.kind, name: trigger.name, content, queued: this.lane.busy, ...(fire.context ? { context: fire.context } : {}) }, job.turnId);
    this.enqueue(job);
    return { accepted: true, turnId: job.turnId, done: job.result.then((r) => ({ status: r.status, text: r.text })), turnResult: job.result };
  }
}

function isTrigger(value: Trigger | TriggerRequest): value is Trigger {
  return typeof (value as Partial<Trigger>).start === 'function';
}
