/**
 * The lab host: knows the workers (from their heartbeats), places creatures
 * on them (a recipe's `node:`, a label selector, else the least-loaded), marks
 * a worker failed once its heartbeats stop and, when asked to, places its
 * creatures again elsewhere. It keeps every remote creature's events in its
 * own session files (event-sink.ts), owns each placement's epoch and grants
 * tool calls (ownership.ts), makes model calls for granted workers
 * (model-proxy.ts) and holds the graphs (host-graphs.ts). It answers
 * `kt lab status`, `apply`, `chat`, `resume` and lab creatures' group tools on the lab's host subject.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { UsageError } from '../errors.js';
import type { Env } from '../home.js';
import { connectLab, decode, encode, type LabConnectOptions } from './connect.js';
import { EventSink } from './event-sink.js';
import { saveGraph, type SavedPlacements } from './graph-file.js';
import { WorkerAsker, WorkerFailedError } from './host-ask.js';
import type { HostRequest } from './host-client.js';
import { moveCreatures, type Placed } from './host-failover.js';
import { HostGraphs, type Applied } from './host-graphs.js';
import { adoptPlacements, placementsOf, recoverGraphs } from './host-recover.js';
import { resumeGraph, type Resumed } from './host-resume.js';
import { WorkerRegistry, type WorkerView } from './host-workers.js';
import { ModelProxy } from './model-proxy.js';
import { Ownership } from './ownership.js';
import { choose, type Placement } from './placement.js';
import type { GrantRequest, Heartbeat, Reply, SpawnSpec, WorkerCreature } from './protocol.js';
import { labSubjects, type LabSubjects } from './subjects.js';

export { askHost, type HostRequest } from './host-client.js';
export { WorkerFailedError } from './host-ask.js';
export type { WorkerView } from './host-workers.js';

/** How often the host looks for silent workers. */
const CHECK_MS = 100;

export interface HostOptions extends LabConnectOptions {
  /** Where remote creatures' events are kept, one file per graph. */
  sessionDir: string;
  pwd?: string;
  /** Place a failed worker's creatures on another worker (default true). */
  restartOnFailure?: boolean;
  /** The model for members that name none (a preset or provider/model). */
  llm?: string;
  /** Milliseconds between the host's own heartbeats, the workers' lease (default 1000; 0: only on changes and `beatNow`). */
  heartbeatMs?: number;
  /** How often silent workers are looked for (default 100 ms; 0: only when `checkWorkers` is called, as tests do). */
  checkEveryMs?: number;
  /** The host's clock (tests inject one). */
  now?: () => number;
  /** Workers the host makes model calls for, with its own keys: node (or `*`) → providers (or `*`). */
  grants?: Record<string, string[]>;
  /** Where the host's keys come from (default: process.env and the stored keys). */
  env?: Env;
}

export interface LabStatus {
  lab: string;
  workers: WorkerView[];
  creatures: Array<{ name: string; graph: string; node: string; status: Placed['status']; epoch: number }>;
}

export class LabHost {
  private readonly subjects: LabSubjects;
  private readonly workers = new WorkerRegistry();
  private readonly placed = new Map<string, Placed>();
  /** Members of graphs recovered from their files, until a heartbeat says where each runs. */
  private readonly saved = new Map<string, SavedPlacements[string]>();
  private readonly subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private lastCheck: number;
  /** Who owns which creature at which epoch, and the tool calls granted. */
  readonly owners = new Ownership();
  private readonly asker: WorkerAsker;
  private readonly listeners = new Set<(what: string, node: string) => void>();
  readonly events: EventSink;
  /** The lab's graphs: recipes applied, wires across nodes, the group tools of lab creatures. */
  readonly graphs: HostGraphs;
  readonly models: ModelProxy;

  private constructor(
    readonly nc: NatsConnection,
    readonly options: HostOptions,
  ) {
    this.subjects = labSubjects(options.lab ?? 'default');
    this.asker = new WorkerAsker(nc, this.subjects);
    this.events = new EventSink(nc, this.subjects, options.sessionDir, options.pwd ?? process.cwd(), (creature, epoch) => this.owners.stale(creature, epoch));
    this.lastCheck = this.now();
    this.models = new ModelProxy(nc, this.subjects, options.grants ?? {}, options.env ?? process.env, options.llm);
    this.graphs = new HostGraphs({
      spawn: (spec, placement) => this.spawn(spec, placement),
      askWorker: (node, request) => this.asker.ask(node, request),
      whereIs: (name) => this.placed.get(name),
      forget: (name) => {
        this.placed.delete(name);
        this.owners.forget(name);
      },
      on: (listener) => this.on(listener),
      save: (graph) => saveGraph(this.events.storeOf(graph.id), graph, placementsOf(graph, this.placed, this.saved)),
      llm: options.llm,
      pwd: options.pwd ?? process.cwd(),
    });
  }

  now(): number {
    return (this.options.now ?? Date.now)();
  }

  static async start(options: HostOptions): Promise<LabHost> {
    const nc = await connectLab({ ...options, name: options.name ?? 'kt-lab-host' });
    const host = new LabHost(nc, options);
    host.recover();
    const s = host.subjects;
    host.subscriptions.push(
      nc.subscribe(s.heartbeat, { callback: (_e, msg) => host.heard(decode<Heartbeat>(msg.data)) }),
      nc.subscribe(s.bye, { callback: (_e, msg) => host.left(decode<{ node: string }>(msg.data).node) }),
      nc.subscribe(s.grant, {
        callback: (_e, msg) => {
          msg.respond(encode(host.owners.grant(decode<GrantRequest>(msg.data))));
        },
      }),
      nc.subscribe(s.host, {
        callback: (_e, msg) => void host.answer(decode<HostRequest>(msg.data)).then((reply) => msg.respond(encode(reply))),
      }),
    );
    await host.events.start();
    host.models.start();
    const checkMs = options.checkEveryMs ?? CHECK_MS;
    if (checkMs > 0) {
      host.timer = setInterval(() => host.check(checkMs), checkMs);
      host.timer.unref();
    }
    const beatMs = options.heartbeatMs ?? 1000;
    if (beatMs > 0) {
      host.beatTimer = setInterval(() => host.beatNow(), beatMs);
      host.beatTimer.unref();
    }
    host.beatNow();
    await nc.flush();
    return host;
  }

  /** The graphs this host kept in its session directory (a restart): their members are placed as heartbeats name them. */
  private recover(): void {
    for (const { graph, placed } of recoverGraphs(this.options.sessionDir, this.events)) {
      this.graphs.restore(graph);
      for (const [name, p] of Object.entries(placed)) this.saved.set(name, p);
    }
  }

  /** Hear worker changes: `joined`, `rejoined`, `beat`, `failed`, `left`, `restarted` (tests wait on these instead of sleeping). */
  on(listener: (what: string, node: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(what: string, node: string): void {
    for (const listener of this.listeners) listener(what, node);
  }

  private heard(beat: Heartbeat): void {
    const { change, wasFailed } = this.workers.heard(beat, this.now());
    this.owners.adopt(beat.node, beat.creatures);
    if (this.saved.size) adoptPlacements(beat, this.saved, this.placed, this.owners);
    if (change !== 'same') {
      // A worker back from a partition learns at once which of its creatures it still owns (reconcile on heal).
      if (wasFailed) this.beatNow();
      this.tell(change, beat.node);
    }
    this.tell('beat', beat.node);
  }

  /** The host's heartbeat: the workers' lease, and the owner of every creature (a worker stops those it no longer owns). */
  beatNow(): void {
    if (this.nc.isClosed()) return;
    this.nc.publish(this.subjects.hostBeat, encode(this.owners.beat(this.options.heartbeatMs ?? 1000)));
  }

  private left(node: string): void {
    this.workers.left(node);
    for (const p of this.placed.values()) if (p.node === node) p.status = 'failed';
    this.tell('left', node);
  }

  private check(everyMs: number): void {
    const now = this.now();
    const stalled = now - this.lastCheck > everyMs * 3;
    this.lastCheck = now;
    // This process was busy (heartbeats may be waiting unread in the socket): judge no worker on this round.
    if (stalled) return this.workers.excuse(now);
    this.checkWorkers();
  }

  /**
   * Fail every worker whose heartbeat is late by more than half an interval,
   * by the host's clock; whatever its creatures were doing (a turn cut off
   * mid-call included), they are marked failed at once, requests waiting on
   * it fail, and they are placed again elsewhere.
   */
  checkWorkers(): void {
    for (const node of this.workers.failLate(this.now())) {
      this.nc.publish(this.subjects.failed, encode({ node }));
      const lost = [...this.placed.values()].filter((p) => p.node === node);
      for (const p of lost) p.status = 'failed';
      this.asker.failAll(node);
      this.tell('failed', node);
      if (this.options.restartOnFailure ?? true) void moveCreatures({ events: this.events, spawn: (spec, placement) => this.spawn(spec, placement), now: () => this.now(), tell: (what, detail) => this.tell(what, detail) }, lost, node);
    }
  }

  /** Place one creature and start it there; returns the node. */
  async spawn(spec: SpawnSpec, placement: Placement = {}): Promise<string> {
    const load = new Map<string, number>();
    for (const p of this.placed.values()) if (p.status !== 'failed') load.set(p.node, (load.get(p.node) ?? 0) + 1);
    const node = choose(this.workers.candidates(load), placement, spec.name);
    const epoch = this.owners.nextEpoch(this.now());
    // Owned from now: events and calls of any earlier placement are refused from here on.
    this.owners.place(spec.name, node, epoch);
    // Counted at once, so the next placement of a recipe sees this one.
    this.placed.set(spec.name, { spec, placement, node, status: 'restarting' });
    const made = (await this.asker.ask(node, { op: 'spawn', spec: { ...spec, epoch } })) as WorkerCreature;
    this.placed.set(spec.name, { spec, placement, node, status: 'running', ...(made?.id ? { id: made.id } : {}) });
    return node;
  }

  /** Spread a recipe over the workers; returns its graph id and where each member went. */
  async applyRecipe(ref: string, cwd = this.options.pwd ?? process.cwd()): Promise<Applied> {
    // Applied again while its graph runs: members it gained are placed, members it lost removed.
    return this.graphs.apply(ref, cwd);
  }

  /** A saved graph placed back onto the workers, each member continuing its conversation (`kt lab resume`). */
  async resume(session: string): Promise<Resumed> {
    return resumeGraph({
      events: this.events,
      graphs: this.graphs,
      sessionDir: this.options.sessionDir,
      saved: this.saved,
      whereIs: (name) => this.placed.get(name),
      isLive: (node) => this.workers.candidates(new Map()).some((w) => w.node === node && w.alive),
      spawn: (spec, placement) => this.spawn(spec, placement),
      now: () => this.now(),
    }, session);
  }

  /** Run one turn of a placed creature (on its worker) and return its reply. */
  async chat(name: string, text: string): Promise<{ status: string; text: string }> {
    const placed = this.placed.get(name);
    if (!placed) throw new UsageError(`no creature '${name}' in the lab`);
    try {
      return (await this.asker.ask(placed.node, { op: 'chat', name, text }, 600_000)) as { status: string; text: string };
    } catch (error) {
      if (!(error instanceof WorkerFailedError)) throw error;
      return { status: 'interrupted', text: `worker '${placed.node}' failed during this turn; '${name}' continues on another worker from its log (kt lab status)` };
    }
  }

  status(): LabStatus {
    const byNode = new Map<string, string[]>();
    for (const p of this.placed.values()) if (p.status !== 'failed') byNode.set(p.node, [...(byNode.get(p.node) ?? []), p.spec.name]);
    return {
      lab: this.options.lab ?? 'default',
      workers: this.workers.views(byNode),
      creatures: [...this.placed.values()].map((p) => ({ name: p.spec.name, graph: p.spec.graph, node: p.node, status: p.status, epoch: this.owners.ownerOf(p.spec.name)?.epoch ?? 0 })),
    };
  }

  private async answer(request: HostRequest): Promise<Reply> {
    try {
      if (request.op === 'status') return { ok: true, value: this.status() };
      if (request.op === 'group') return { ok: true, value: await this.graphs.group(request) };
      if (request.op === 'apply') return { ok: true, value: await this.applyRecipe(request.recipe, request.cwd) };
      if (request.op === 'resume') return { ok: true, value: await this.resume(request.session) };
      return { ok: true, value: await this.chat(request.name, request.text) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.beatTimer);
    for (const sub of this.subscriptions) sub.unsubscribe();
    await this.models.close();
    await this.events.close();
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}
