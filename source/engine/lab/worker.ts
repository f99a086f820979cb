/**
 * A lab worker (`kt lab-client`): one process that runs the creatures the
 * host places on it, in an ordinary `Terrarium` whose channel hub reaches the
 * other nodes over NATS. It announces itself with its capacity and labels,
 * heartbeats, answers the host's requests on its own subject and, in a queue
 * group with every other worker, on the lab's "any worker" subject.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { ChannelHub } from '../channels/hub.js';
import { defineCreature } from '../config/loader.js';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { sessionHome } from '../home.js';
import { SessionStore } from '../session/store.js';
import { Terrarium, type TerrariumOptions } from '../terrarium/terrarium.js';
import { NatsChannelTransport } from './channel-transport.js';
import { connectLab, decode, encode, type LabConnectOptions } from './connect.js';
import { EventTee } from './event-tee.js';
import { isGraphOp, type GraphOp } from './graph-protocol.js';
import { labGroupControl } from './lab-group.js';
import { CreatureLeases } from './lease.js';
import { HostModelProvider } from './model-proxy.js';
import { WorkerGraph } from './worker-graph.js';
import type { Heartbeat, HostBeat, Reply, SpawnSpec, WorkerCreature, WorkerRequest } from './protocol.js';
import { checkName, labSubjects, type LabSubjects } from './subjects.js';
import type { ApprovalMode } from '../tools/approval.js';

export interface WorkerOptions extends LabConnectOptions {
  node: string;
  /** How many creatures it takes (default 8). */
  capacity?: number;
  labels?: Record<string, string>;
  heartbeatMs?: number;
  /** The terrarium's options (pwd, model, build options). */
  team?: TerrariumOptions;
  /** Every model call of its creatures is made by the host (which must grant it: `--grant`); this worker needs no key. */
  modelViaHost?: boolean;
  /** How long one ask for a tool-call grant waits for the host before the call pauses and asks again (default 5000). */
  grantTimeoutMs?: number;
  /**
   * Nobody sits at a worker to answer approvals: edits and commands this mode
   * and a creature's `controller.allow` do not cover are refused, and the
   * model is told why (default `default`: both refused unless allowed).
   * `yolo` lets every tool run, for labs whose creatures are trusted.
   */
  approvalMode?: ApprovalMode;
}

export class LabWorker {
  readonly team: Terrarium;
  /** Wires, edges and group-tool routing of the graphs whose creatures run here. */
  readonly graph: WorkerGraph;
  private readonly subjects: LabSubjects;
  private readonly subscriptions: Subscription[] = [];
  private readonly graphs = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private readonly startedAt = Date.now();
  private closing: Promise<void> | undefined;
  /** Epochs, fencing and tool-call grants (lease.ts). */
  readonly leases: CreatureLeases;
  /** Creatures being stopped because they were fenced: a new placement of the name waits for it. */
  private readonly stopping = new Map<string, Promise<unknown>>();

  private constructor(
    readonly nc: NatsConnection,
    readonly options: WorkerOptions,
    hub: ChannelHub,
    private readonly transport: NatsChannelTransport,
    readonly tee: EventTee,
  ) {
    this.subjects = labSubjects(options.lab ?? 'default');
    const lab = { nc, subjects: this.subjects, graphOf: (name: string) => this.graph.graphOf(name) };
    this.team = new Terrarium({ ...options.team, hub, name: options.team?.name ?? `lab-${options.node}`, groupControl: (team, name) => labGroupControl(team, name, lab) });
    this.graph = new WorkerGraph(nc, this.subjects, this.team);
    this.leases = new CreatureLeases(nc, this.subjects, options.node, (name) => this.stopFenced(name), options.grantTimeoutMs, Date.now, (signal) => this.tee.settled(signal));
  }

  /** A creature that now runs elsewhere stops here (its pending tool call was refused already). */
  private stopFenced(name: string): void {
    if (this.stopping.has(name)) return;
    this.graph.forget(name);
    const stopped = this.team
      .removeCreature(name)
      .catch(() => false)
      .finally(() => {
        this.stopping.delete(name);
        this.beat();
      });
    this.stopping.set(name, stopped);
  }

  static async start(options: WorkerOptions): Promise<LabWorker> {
    checkName('node', options.node);
    const nc = await connectLab({ ...options, name: options.name ?? `kt-worker-${options.node}` });
    const subjects = labSubjects(options.lab ?? 'default');
    const hub = new ChannelHub();
    const transport = new NatsChannelTransport(nc, subjects, options.node);
    const worker = new LabWorker(nc, options, hub, transport, new EventTee(nc, subjects, options.node));
    await transport.attach(hub);
    worker.listen();
    worker.beat();
    worker.timer = setInterval(() => worker.beat(), worker.intervalMs);
    worker.timer.unref();
    await nc.flush();
    return worker;
  }

  get intervalMs(): number {
    return this.options.heartbeatMs ?? 2000;
  }

  creatures(): WorkerCreature[] {
    return this.team.listCreatures().map((m) => ({ name: m.name, graph: this.graphs.get(m.name) ?? '', running: m.isRunning, id: m.id, epoch: this.leases.epochOf(m.name) }));
  }

  private listen(): void {
    const handle = (queue?: string) => ({
      ...(queue ? { queue } : {}),
      callback: (_e: Error | null, msg: { data: Uint8Array; respond: (data?: Uint8Array) => boolean }) => {
        void this.answer(decode<WorkerRequest | GraphOp>(msg.data)).then((reply) => msg.respond(encode(reply)));
      },
    });
    this.subscriptions.push(
      this.nc.subscribe(this.subjects.node(this.options.node), handle()),
      this.nc.subscribe(this.subjects.anyWorker, handle(this.subjects.queueGroup)),
      this.nc.subscribe(this.subjects.hostBeat, { callback: (_e, msg) => this.leases.heard(decode<HostBeat>(msg.data)) }),
    );
  }

  private async answer(request: WorkerRequest | GraphOp): Promise<Reply> {
    try {
      if (isGraphOp(request)) return { ok: true, value: await this.graph.answer(request) };
      switch (request.op) {
        case 'spawn':
          return { ok: true, value: await this.spawn(request.spec) };
        case 'stop':
          this.graph.forget(request.name);
          this.leases.drop(request.name);
          return { ok: true, value: await this.team.removeCreature(request.name) };
        case 'chat': {
          const result = await this.team.require(request.name).run(request.text);
          return { ok: true, value: { status: result.status, text: result.text } };
        }
        case 'list':
          return { ok: true, value: { node: this.options.node, creatures: this.creatures() } };
      }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async spawn(spec: SpawnSpec): Promise<WorkerCreature> {
    await this.stopping.get(spec.name);
    if (this.team.listCreatures().length >= (this.options.capacity ?? 8)) throw new UsageError(`worker '${this.options.node}' is full (capacity ${this.options.capacity ?? 8})`);
    for (const channel of spec.channels) this.team.addChannel(channel.name, { type: channel.type, description: channel.description });
    const definition = defineCreature(spec.config, { folder: spec.folder, source: { file: spec.file ?? '<lab spawn>', locate: () => undefined } });
    const session = spec.history?.length ? this.historyFile(spec) : undefined;
    const epoch = spec.epoch ?? 0;
    // Held before it starts: its first tool call already asks the host under this epoch.
    this.leases.hold(spec.name, epoch);
    const member = await this.team.addCreature(definition, {
      build: {
        plugins: [...(this.options.team?.build?.plugins ?? []), this.leases.plugin(spec.name)],
        ...(session ? { session } : {}),
        ...(this.options.modelViaHost ? { allModels: this.hostModel(spec, definition.controller) } : {}),
      },
      name: spec.name,
      privileged: spec.privileged,
      listen: spec.listen.filter((ch) => ch !== spec.name),
      canSend: spec.canSend,
      start: false,
      ...(spec.llm ? { llm: spec.llm } : {}),
    });
    await member.agent.refuseUnapproved(this.options.approvalMode ?? 'default');
    this.graphs.set(member.name, spec.graph);
    this.tee.follow(member, spec.graph, epoch);
    this.graph.follow(member, spec.graph);
    await this.team.startCreature(member.name);
    this.beat();
    await this.nc.flush();
    return { name: member.name, graph: spec.graph, running: member.isRunning, id: member.id, epoch };
  }

  /** The model a creature would have picked, asked of the host instead. */
  private hostModel(spec: SpawnSpec, controller: { llm?: string | undefined; model?: string | undefined }): HostModelProvider {
    const team = typeof this.options.team?.llm === 'string' ? this.options.team.llm : undefined;
    return new HostModelProvider(this.nc, this.subjects, this.options.node, spec.llm ?? team ?? controller.llm ?? controller.model);
  }

  /**
   * A moved creature's log, as the host sent it, in a session file of its
   * own here: the creature is built on it and continues the conversation
   * (its event numbering too, so the host's de-duplication still holds).
   */
  private historyFile(spec: SpawnSpec): string {
    const dir = join(sessionHome(this.options.team?.env ?? process.env), 'lab-worker');
    const path = join(dir, `${spec.graph}-${spec.name}-${Date.now().toString(36)}.kohakutr`);
    const now = Date.now();
    const store = SessionStore.create(
      path,
      { sessionId: spec.graph, kind: 'agent', configRef: '<lab>', pwd: this.team.pwd, createdAt: now, lastActive: now, agents: [spec.name], turns: 0 },
      { populate: (draft) => { for (const h of spec.history ?? []) draft.append(h.event, { turn: h.turn, branch: h.branch }); } },
    );
    store.close();
    return path;
  }

  /** Send a heartbeat now (it also goes out every interval). */
  beat(): void {
    if (this.nc.isClosed()) return;
    const beat: Heartbeat = {
      node: this.options.node,
      capacity: this.options.capacity ?? 8,
      labels: this.options.labels ?? {},
      creatures: this.creatures(),
      intervalMs: this.intervalMs,
      seq: ++this.seq,
      pid: process.pid,
      startedAt: this.startedAt,
    };
    this.nc.publish(this.subjects.heartbeat, encode(beat));
  }

  /** Leave the lab: creatures stopped, events flushed, the host told. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.timer);
      for (const sub of this.subscriptions) sub.unsubscribe();
      this.graph.close();
      await this.team.shutdown();
      await this.tee.drain();
      this.transport.close();
      if (!this.nc.isClosed()) {
        this.nc.publish(this.subjects.bye, encode({ node: this.options.node }));
        await this.nc.drain();
      }
    })();
    return this.closing;
  }
}
