/**
 * `Terrarium`: many creatures as one graph in one process. The engine owns
 * structure — who listens on which channel, who may send where, where a
 * turn's final text goes (output wires) — and runs no model itself: each
 * member is an ordinary Agent sharing the terrarium's channel hub.
 *
 *   await using team = new Terrarium({ pwd });
 *   const swe = await team.addCreature('@kt-biome/creatures/swe', { name: 'swe' });
 *   const reviewer = await team.addCreature('@kt-biome/creatures/general', { name: 'reviewer' });
 *   team.wireOutput('swe', 'reviewer');
 *   await swe.run('Fix the failing test.');
 */
import { resolve } from 'node:path';
import { ChannelHub, type ChannelType } from '../channels/hub.js';
import type { AgentRef } from '../creature/agent-build.js';
import type { Agent } from '../creature/agent.js';
import { UsageError } from '../errors.js';
import { channelListener } from '../triggers/channel-listener.js';
import { EngineEventHub, type EngineEvent, type EventFilter } from './engine-events.js';
import { groupControl } from './group-control.js';
import { TerrariumCreature } from './member.js';
import { memberEvents } from './member-events.js';
import { teamSection } from './team-prompt.js';
import { Topology, type TopologyData } from './topology.js';
import { addWire, deliverWires, type WireOptions } from './wiring.js';
import { buildMember } from './member-build.js';
import type { AddCreatureOptions, TerrariumOptions } from './options.js';
import { applyRecipe } from './recipe-apply.js';
import { loadRecipe } from './recipe.js';
import { SharedSessionFile } from '../session/shared-file.js';
import { TeamSession, teamSessionPath, type RecipeRef } from './graph-session.js';
import { GraphBook, type Graph, type GraphInfo } from './graphs.js';
import { recipePlan } from './recipe-plan.js';
import type { ResumeOptions } from './resume.js';

export type { AddCreatureOptions, TerrariumOptions } from './options.js';
export type { GraphDelta, GraphInfo } from './graphs.js';

export class Terrarium implements AsyncDisposable {
  /** The team's name (the recipe's, unless the options named it). */
  name: string;
  readonly hub: ChannelHub;
  readonly topology = new Topology();
  private readonly engineEvents = new EngineEventHub();
  private readonly members = new Map<string, TerrariumCreature>();
  private readonly detach = new Map<string, () => void>();
  private readonly options: TerrariumOptions;
  private closed: Promise<void> | undefined;
  /** The team's graphs (connected parts), each with its session file when the team keeps sessions. */
  private readonly graphBook: GraphBook;
  /** Where the recipe came from, noted in every graph's file. */
  private recipe: { ref: RecipeRef; saved: boolean } | undefined;
  /** While a recipe is applied: who each member will be connected to, so it joins its graph's file at once. */
  private plan: Map<string, string[]> | undefined;
  /** While a team is resumed: the graph of the resumed file, which every member joins. */
  private resuming: Graph | undefined;
  allowCycles: boolean;
  maxHops: number;

  constructor(options: TerrariumOptions = {}) {
    this.options = options;
    this.name = options.name ?? 'terrarium';
    this.allowCycles = options.allowCycles ?? false;
    this.maxHops = options.maxHops ?? 8;
    this.hub = options.hub ?? new ChannelHub(() => options.build?.clock?.now() ?? Date.now());
    this.graphBook = new GraphBook({
      topology: this.topology,
      member: (name) => this.members.get(name),
      newSession: () => this.newSession(),
      newPath: () => teamSessionPath(this.sessionDir as string, this.name),
      adopt: (store) => this.noted(new TeamSession(SharedSessionFile.adopt(store)), true),
    });
    this.hub.observe((message, deliveredTo) => {
      for (const graph of this.graphsHearing(message.sender, message.channel)) graph.session?.logMessage(message, this.members.get(message.sender)?.id);
      this.emit({ kind: 'channel_message', creature: message.sender, channel: message.channel, payload: { ...message, deliveredTo: [...deliveredTo] } });
    });
  }

  /**
   * The session file of the team's first graph that has one. A team whose
   * members are not all connected has a file per graph: see `graphs()`.
   */
  get sessionPath(): string | undefined {
    return this.graphBook.info().find((g) => g.sessionPath)?.sessionPath;
  }

  /** The team's graphs (its connected parts): id, members, session file. */
  graphs(): GraphInfo[] {
    return this.graphBook.info();
  }

  /** The id of the graph a member (name or instance id) is in. */
  graphOf(nameOrId: string): string | undefined {
    const member = this.find(nameOrId);
    return member ? this.graphBook.graphOf(member.name)?.id : undefined;
  }

  /** @internal Continue an existing session file (`Terrarium.resume`): every member built until `endResume` joins it. */
  adoptSession(session: TeamSession, recipe?: RecipeRef): void {
    if (recipe) {
      // New graphs' files (members added later, parts split off) note the recipe too.
      this.recipe = { ref: recipe, saved: false };
      session.noteRecipe(recipe, true);
    }
    this.resuming = this.graphBook.adopt(session);
  }

  /** @internal The resumed graph is complete: from now on the graphs follow the topology again. */
  endResume(): void {
    this.resuming = undefined;
    this.graphBook.release();
    this.topologyChanged();
  }

  private get sessionDir(): string | undefined {
    return this.options.sessionDir ? resolve(this.pwd, this.options.sessionDir) : undefined;
  }

  /** A new graph's session: its file is made when its first member joins (only with a `sessionDir`). */
  private newSession(): TeamSession | undefined {
    const dir = this.sessionDir;
    if (!dir) return undefined;
    const session: TeamSession = new TeamSession(
      SharedSessionFile.create(teamSessionPath(dir, this.name), () => ({ kind: 'terrarium', terrariumName: this.name, configRef: session.recipeRef ?? '<terrarium>', pwd: this.pwd })),
    );
    return this.noted(session, false);
  }

  private noted(session: TeamSession, saved: boolean): TeamSession {
    if (this.recipe) session.noteRecipe(this.recipe.ref, saved || this.recipe.saved);
    return session;
  }

  /** The graphs a channel message is logged in: the sender's, or (a message from outside) those of the channel's listeners. */
  private graphsHearing(sender: string, channel: string): Graph[] {
    const own = this.graphBook.graphOf(sender);
    if (own) return [own];
    const graphs = new Set(this.topology.listenersOf(channel).map((name) => this.graphBook.graphOf(name)).filter((g): g is Graph => !!g));
    return [...graphs];
  }

  get pwd(): string {
    return resolve(this.options.pwd ?? process.cwd());
  }

  /**
   * Add a creature (a folder, config file, `@package` reference, config
   * object or definition). A bad config or model name throws here. It
   * listens on its own direct channel, named after it.
   */
  async addCreature(ref: AgentRef, options: AddCreatureOptions = {}): Promise<TerrariumCreature> {
    this.assertOpen();
    const member = await buildMember(ref, options, {
      team: this.options,
      name: this.name,
      pwd: this.pwd,
      hub: this.hub,
      topology: this.topology,
      join: (name) => this.graphBook.place(name, this.resuming ? { into: this.resuming } : { peers: this.plan?.get(name) ?? [] }).session,
      leave: (name) => this.graphBook.leave(name),
      taken: (name) => this.members.has(name) || this.topology.creature(name) !== undefined,
      group: (name) => this.options.groupControl?.(this, name) ?? groupControl(this, name),
    });
    this.members.set(member.name, member);
    this.detach.set(member.name, memberEvents(member, (event) => this.emit(event), (turnEnd, hops) => void deliverWires(this, member, turnEnd, hops)));
    this.topologyChanged();
    if (options.start ?? true) await this.startCreature(member.name);
    return member;
  }

  /**
   * Take a creature that already runs into the team (a `kt run` creature
   * that starts adding helpers). It must have been built on this team's hub
   * (`hub` option: the creature's own `agent.channels`); it keeps its own
   * session file, and the team section joins its prompt.
   */
  async adopt(agent: Agent, options: { privileged?: boolean } = {}): Promise<TerrariumCreature> {
    this.assertOpen();
    if (agent.channels !== this.hub) throw new UsageError(`'${agent.name}' was built on another channel hub; build the terrarium with hub: agent.channels`);
    if (this.members.has(agent.name)) throw new UsageError(`the terrarium has a creature named '${agent.name}' already`);
    const privileged = options.privileged ?? false;
    this.topology.addCreature({ name: agent.name, privileged });
    this.topology.addChannel({ name: agent.name, type: 'broadcast', description: `direct messages to ${agent.name}` });
    this.topology.setListen(agent.name, agent.name, true);
    const member = new TerrariumCreature(agent, agent.name, privileged, undefined);
    // Its own graph to start with; it keeps recording into the session file it was built with.
    this.graphBook.place(member.name);
    this.members.set(member.name, member);
    this.detach.set(member.name, memberEvents(member, (event) => this.emit(event), (turnEnd, hops) => void deliverWires(this, member, turnEnd, hops)));
    this.topologyChanged();
    await this.startCreature(member.name);
    return member;
  }

  /** Stop a creature and take it out of the team, with its edges and wires. */
  async removeCreature(nameOrId: string): Promise<boolean> {
    const member = this.find(nameOrId);
    if (!member) return false;
    this.members.delete(member.name);
    this.detach.get(member.name)?.();
    this.detach.delete(member.name);
    this.topology.removeCreature(member.name);
    this.topology.removeChannel(member.name);
    this.hub.delete(member.name);
    await member.agent.stop('removed from the terrarium');
    // Its events stay in its graph's file; only the spec for rebuilding it goes (and an emptied graph's file is closed).
    this.graphBook.leave(member.name);
    this.emit({ kind: 'creature_stopped', creatureId: member.id, creature: member.name, payload: { reason: 'removed' } });
    this.topologyChanged();
    return true;
  }

  getCreature(nameOrId: string): TerrariumCreature | undefined {
    return this.find(nameOrId);
  }

  listCreatures(): TerrariumCreature[] {
    return [...this.members.values()];
  }

  /** Start a member: it listens on its channels again and takes turns. */
  async startCreature(nameOrId: string): Promise<void> {
    const member = this.require(nameOrId);
    if (member.isRunning) return;
    await member.start();
    await this.syncListening(member);
    this.emit({ kind: 'creature_started', creatureId: member.id, creature: member.name, payload: { privileged: member.privileged } });
  }

  /** Stop a member without losing it: its running turn is interrupted and it hears nothing until started again. */
  async stopCreature(nameOrId: string): Promise<void> {
    const member = this.require(nameOrId);
    if (!member.isRunning) return;
    member.markStopped();
    member.agent.interrupt();
    for (const info of member.agent.triggers) if (info.id.startsWith(LISTEN_PREFIX)) await member.agent.removeTrigger(info.id);
    this.emit({ kind: 'creature_stopped', creatureId: member.id, creature: member.name, payload: { reason: 'stopped' } });
  }

  addChannel(name: string, options: { description?: string; type?: ChannelType } = {}): void {
    this.assertOpen();
    const existing = this.topology.channel(name);
    if (existing && options.type && existing.type !== options.type) throw new UsageError(`channel '${name}' is a ${existing.type} channel`);
    this.hub.define(name, { type: options.type ?? existing?.type ?? 'broadcast', description: options.description ?? existing?.description ?? '' });
    this.topology.addChannel({ name, type: options.type ?? existing?.type ?? 'broadcast', description: options.description ?? existing?.description ?? '' });
    this.topologyChanged();
  }

  async removeChannel(name: string): Promise<boolean> {
    if (!this.topology.channel(name)) return false;
    if (this.members.has(name)) throw new UsageError(`'${name}' is a creature's direct channel; remove the creature instead`);
    this.topology.removeChannel(name);
    this.hub.delete(name);
    for (const member of this.members.values()) await this.syncListening(member);
    this.topologyChanged();
    return true;
  }

  /** `creature` hears `channel` (or stops hearing it). */
  async setListen(creature: string, channel: string, on = true): Promise<void> {
    const member = this.require(creature);
    this.requireChannel(channel);
    this.topology.setListen(member.name, channel, on);
    await this.syncListening(member);
    this.topologyChanged();
  }

  /** `creature` may send on `channel` (or no longer). */
  setSend(creature: string, channel: string, on = true): void {
    const member = this.require(creature);
    this.requireChannel(channel);
    this.topology.setSend(member.name, channel, on);
    this.topologyChanged();
  }

  /** `sender` may send on a channel `receiver` hears; the channel (default `<sender>__<receiver>`) is created when missing. */
  async connect(sender: string, receiver: string, options: { channel?: string } = {}): Promise<{ channel: string }> {
    const from = this.require(sender);
    const to = this.require(receiver);
    const channel = options.channel ?? `${from.name}__${to.name}`;
    if (!this.topology.channel(channel)) this.addChannel(channel, { description: `${from.name} to ${to.name}` });
    this.topology.setSend(from.name, channel, true);
    await this.setListen(to.name, channel, true);
    return { channel };
  }

  async disconnect(sender: string, receiver: string, options: { channel?: string } = {}): Promise<{ channels: string[] }> {
    const from = this.require(sender);
    const to = this.require(receiver);
    const shared = this.topology.sendsTo(from.name).filter((ch) => this.topology.listensTo(to.name).includes(ch) && (!options.channel || ch === options.channel));
    for (const ch of shared) this.topology.setSend(from.name, ch, false);
    this.topologyChanged();
    return { channels: shared };
  }

  /** Deliver `from`'s turn-end text to `to` (in wiring order). A wire to itself needs `allowSelfTrigger`; a loop needs `allowCycles`. */
  wireOutput(from: string, to: string, options: WireOptions = {}): string {
    const source = this.require(from);
    const target = this.require(to);
    const wire = addWire(this.topology, source.name, target.name, options, this);
    this.emit({ kind: 'output_wire_added', creature: source.name, creatureId: source.id, payload: { ...wire } });
    this.topologyChanged();
    return wire.id;
  }

  unwireOutput(id: string): boolean {
    const wire = this.topology.removeWire(id);
    if (!wire) return false;
    this.emit({ kind: 'output_wire_removed', creature: wire.from, payload: { ...wire } });
    this.topologyChanged();
    return true;
  }

  /**
   * Build the team a recipe describes (a `terrarium.yaml` path or folder, or
   * the recipe as an object) and start it. Bad names, channels, wire targets
   * and wire loops are ConfigErrors naming the recipe file, key and line.
   */
  async applyRecipe(ref: string | Record<string, unknown>, options: { start?: boolean; /** @internal */ resumed?: boolean } = {}): Promise<TerrariumCreature[]> {
    this.assertOpen();
    const env = this.options.env ?? process.env;
    const recipe = loadRecipe(ref, { env, cwd: this.pwd });
    if (this.options.name === undefined) this.name = recipe.name;
    // A resume re-applies the recipe: the file knows it already.
    if (!options.resumed) {
      const noted: RecipeRef = {
        ref: typeof ref === 'string' ? ref : '<inline>',
        ...(recipe.file ? { file: recipe.file } : {}),
        ...(typeof ref === 'string' ? {} : { inline: ref }),
      };
      this.recipe = { ref: noted, saved: false };
      for (const graph of this.graphBook.list()) graph.session?.noteRecipe(noted);
    }
    // Every member joins the graph the recipe puts it in when it is built: no file per member to merge afterwards.
    this.plan = recipePlan(this.topology, recipe);
    try {
      return await applyRecipe(this, recipe, { env, ...(options.start !== undefined ? { start: options.start } : {}) });
    } finally {
      this.plan = undefined;
      // The recipe's graph is whole now (or the recipe failed half-way): the graphs follow the topology again.
      this.topologyChanged();
    }
  }

  /** A new terrarium running the team a recipe describes. */
  static async fromRecipe(ref: string | Record<string, unknown>, options: TerrariumOptions = {}): Promise<Terrarium> {
    const team = new Terrarium(options);
    try {
      await team.applyRecipe(ref);
    } catch (error) {
      await team.shutdown();
      throw error;
    }
    return team;
  }

  /**
   * A team back from its session file (see resume.ts): the recipe applied
   * again, then the runtime topology saved in the file; every member
   * continues its conversation. The file is locked while the team runs.
   */
  static async resume(path: string, options: ResumeOptions = {}): Promise<Terrarium> {
    const { resumeTerrarium } = await import('./resume.js');
    return resumeTerrarium(path, options);
  }

  /** Engine events matching `filter` from now on (kinds, creatures, graphs, channels; AND-combined). */
  subscribe(filter: EventFilter = {}, signal?: AbortSignal): AsyncIterableIterator<EngineEvent> {
    return this.engineEvents.subscribe(filter, signal);
  }

  /** Listen to every engine event; returns the function that stops listening. */
  on(listener: (event: EngineEvent) => void): () => void {
    return this.engineEvents.on(listener);
  }

  /** The graph as data (what a session keeps and `kt terrarium info` draws). */
  snapshot(): TopologyData {
    return this.topology.toJSON();
  }

  /** Stop every member. Idempotent. */
  shutdown(): Promise<void> {
    this.closed ??= (async () => {
      for (const detach of this.detach.values()) detach();
      try {
        await Promise.all([...this.members.values()].map((m) => m.agent.stop('terrarium shut down')));
      } finally {
        // Last: every member's recorder has written its final snapshot into its graph's store.
        this.graphBook.close();
      }
    })();
    return this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  /** @internal */
  emit(event: Omit<EngineEvent, 'ts'> & { ts?: number }): void {
    const graphId = event.graphId ?? (event.creature ? this.graphBook.graphOf(event.creature)?.id : undefined);
    this.engineEvents.emit({ ts: Date.now(), ...event, ...(graphId ? { graphId } : {}) });
  }

  /** @internal a member by name or instance id, or a UsageError naming the members. */
  require(nameOrId: string): TerrariumCreature {
    const member = this.find(nameOrId);
    if (!member) throw new UsageError(`no creature '${nameOrId}' in the terrarium${this.members.size ? `; members: ${[...this.members.keys()].join(', ')}` : ''}`);
    return member;
  }

  private find(nameOrId: string): TerrariumCreature | undefined {
    return this.members.get(nameOrId) ?? [...this.members.values()].find((m) => m.id === nameOrId);
  }

  private requireChannel(name: string): void {
    if (!this.topology.channel(name)) throw new UsageError(`there is no channel '${name}'; channels: ${this.topology.channelList().map((c) => c.name).join(', ')}`);
  }

  private assertOpen(): void {
    if (this.closed) throw new UsageError('the terrarium is shut down');
  }

  /** Make a running member's channel triggers match its listen edges. */
  private async syncListening(member: TerrariumCreature): Promise<void> {
    if (!member.isRunning) return;
    const wanted = new Set(this.topology.listensTo(member.name).filter((ch) => this.hub.has(ch) || ch === member.name));
    const have = new Set(member.agent.triggers.filter((t) => t.id.startsWith(LISTEN_PREFIX)).map((t) => t.id.slice(LISTEN_PREFIX.length)));
    for (const ch of have) if (!wanted.has(ch)) await member.agent.removeTrigger(LISTEN_PREFIX + ch);
    for (const ch of wanted) if (!have.has(ch)) await member.agent.addTrigger(channelListener({ channel: ch }), { id: LISTEN_PREFIX + ch, name: `#${ch}`, managed: true });
  }

  /** Every member's Team section follows the topology; listeners see the change. */
  private topologyChanged(): void {
    for (const member of this.members.values()) member.agent.setPromptSection('team', teamSection(this.topology, member.name, this.name));
    // While a recipe is applied or a team resumed, its graph is built piece by piece (members join the
    // graph they will end up in): the graphs follow the topology once it is whole.
    const graphs = this.resuming || this.plan ? [] : this.graphBook.reconcile();
    const topology = this.topology.toJSON();
    this.graphBook.save(topology);
    this.emit({ kind: 'topology_changed', payload: { topology, ...(graphs.length ? { graphs } : {}) } });
  }
}

/** Trigger ids of listen edges: `listen:<channel>`. */
const LISTEN_PREFIX = 'listen:';
