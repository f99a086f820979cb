/**
 * The lab host: knows the workers (from their heartbeats), places creatures
 * on them (a recipe's `node:`, a label selector, else the least-loaded), marks
 * a worker failed once its heartbeats stop and, when asked to, places its
 * creatures again elsewhere. It keeps every remote creature's events in its
 * own session files (event-sink.ts). It answers `kt lab status` and
 * `kt lab apply` on the lab's host subject.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { UsageError } from '../errors.js';
import { connectLab, decode, encode, type LabConnectOptions } from './connect.js';
import type { Env } from '../home.js';
import { EventSink } from './event-sink.js';
import type { GraphOp, GroupRequest } from './graph-protocol.js';
import { saveGraph } from './graph-file.js';
import { HostGraphs, type Applied } from './host-graphs.js';
import { closeUnfinishedTurn } from './idempotency.js';
import { ModelProxy } from './model-proxy.js';
import { Ownership } from './ownership.js';
import { choose, type Placement } from './placement.js';
import type { GrantRequest, Heartbeat, Reply, SpawnSpec, WorkerCreature, WorkerRequest } from './protocol.js';
import { labSubjects, type LabSubjects } from './subjects.js';

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

/** A request to a worker that failed while it waited (a turn cut off by a kill). */
export class WorkerFailedError extends UsageError {}

export interface WorkerView {
  node: string;
  capacity: number;
  labels: Record<string, string>;
  load: number;
  creatures: string[];
  status: 'alive' | 'failed' | 'left';
  lastSeen: number;
}

interface Placed {
  spec: SpawnSpec;
  placement: Placement;
  node: string;
  status: 'running' | 'failed' | 'restarting';
  /** Its instance id on its worker. */
  id?: string;
}

export type HostRequest = GroupRequest | { op: 'status' } | { op: 'apply'; recipe: string; cwd?: string } | { op: 'chat'; name: string; text: string };

export interface LabStatus {
  lab: string;
  workers: WorkerView[];
  creatures: Array<{ name: string; graph: string; node: string; status: Placed['status']; epoch: number }>;
}

export class LabHost {
  private readonly subjects: LabSubjects;
  private readonly workers = new Map<string, { beat: Heartbeat; lastSeen: number; status: WorkerView['status'] }>();
  private readonly placed = new Map<string, Placed>();
  private readonly subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private lastCheck: number;
  /** Who owns which creature at which epoch, and the tool calls granted. */
  readonly owners = new Ownership();
  /** Requests waiting on each worker: a failed worker's fail at once instead of timing out. */
  private readonly inflight = new Map<string, Set<(error: Error) => void>>();
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
    this.events = new EventSink(nc, this.subjects, options.sessionDir, options.pwd ?? process.cwd(), (creature, epoch) => this.owners.stale(creature, epoch));
    this.lastCheck = this.now();
    this.models = new ModelProxy(nc, this.subjects, options.grants ?? {}, options.env ?? process.env, options.llm);
    this.graphs = new HostGraphs({
      spawn: (spec, placement) => this.spawn(spec, placement),
      askWorker: (node, request) => this.ask(node, request),
      whereIs: (name) => this.placed.get(name),
      forget: (name) => {
        this.placed.delete(name);
        this.owners.forget(name);
      },
      on: (listener) => this.on(listener),
      save: (graph) => saveGraph(this.events.storeOf(graph.id), graph),
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
    const s = host.subjects;
    host.subscriptions.push(
      nc.subscribe(s.heartbeat, { callback: (_e, msg) => host.heard(decode<Heartbeat>(msg.data)) }),
      nc.subscribe(s.bye, { callback: (_e, msg) => host.left(decode<{ node: string }>(msg.data).node) }),
      nc.subscribe(s.grant, { callback: (_e, msg) => {
          msg.respond(encode(host.owners.grant(decode<GrantRequest>(msg.data))));
        } }),
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

  /** Hear worker changes: `joined`, `failed`, `left`, `restarted` (tests wait on these instead of sleeping). */
  on(listener: (what: string, node: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(what: string, node: string): void {
    for (const listener of this.listeners) listener(what, node);
  }

  private heard(beat: Heartbeat): void {
    const known = this.workers.get(beat.node);
    this.workers.set(beat.node, { beat, lastSeen: this.now(), status: 'alive' });
    this.owners.adopt(beat.node, beat.creatures);
    if (!known || known.status !== 'alive' || known.beat.startedAt !== beat.startedAt) {
      // A worker back from a partition learns at once which of its creatures it still owns (reconcile on heal).
      if (known?.status === 'failed') this.beatNow();
      this.tell(known?.status === 'failed' && known.beat.startedAt === beat.startedAt ? 'rejoined' : 'joined', beat.node);
    }
    this.tell('beat', beat.node);
  }

  /** The host's heartbeat: the workers' lease, and the owner of every creature (a worker stops those it no longer owns). */
  beatNow(): void {
    if (this.nc.isClosed()) return;
    this.nc.publish(this.subjects.hostBeat, encode(this.owners.beat(this.options.heartbeatMs ?? 1000)));
  }

  private left(node: string): void {
    const known = this.workers.get(node);
    if (known) known.status = 'left';
    for (const p of this.placed.values()) if (p.node === node) p.status = 'failed';
    this.tell('left', node);
  }

  /**
   * A worker whose heartbeat is late by more than half an interval is
   * failed: its creatures are marked so at once, within one interval of the
   * heartbeat it missed.
   */
  private check(everyMs: number): void {
    const now = this.now();
    const stalled = now - this.lastCheck > everyMs * 3;
    this.lastCheck = now;
    // This process was busy (heartbeats may be waiting unread in the socket): judge no worker on this round.
    if (stalled) {
      for (const w of this.workers.values()) w.lastSeen = Math.max(w.lastSeen, now - w.beat.intervalMs);
      return;
    }
    this.checkWorkers();
  }

  /**
   * Fail every worker whose heartbeat is late by more than half an interval,
   * by the host's clock; whatever its creatures were doing (a turn cut off
   * mid-call included), they are marked failed at once, requests waiting on
   * it fail, and they are placed again elsewhere.
   */
  checkWorkers(): void {
    const now = this.now();
    for (const [node, w] of this.workers) {
      if (w.status !== 'alive' || now - w.lastSeen <= w.beat.intervalMs * 1.5) continue;
      w.status = 'failed';
      this.nc.publish(this.subjects.failed, encode({ node }));
      const lost = [...this.placed.values()].filter((p) => p.node === node);
      for (const p of lost) p.status = 'failed';
      for (const reject of this.inflight.get(node) ?? []) reject(new WorkerFailedError(`worker '${node}' failed while it was asked this`));
      this.tell('failed', node);
      if (this.options.restartOnFailure ?? true) void this.restart(lost, node);
    }
  }

  private async restart(lost: Placed[], from: string): Promise<void> {
    // The log first takes in everything the failed worker got into the stream (its last calls included).
    // Bounded: a stream that cannot be read (the server away) must not keep the creatures from moving.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.events.caughtUp().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    for (const p of lost) {
      p.status = 'restarting';
      try {
        // Elsewhere: the failed node is not alive, so `choose` never picks it; a pinned node is dropped.
        const { node: _pinned, ...rest } = p.placement;
        const history = this.events.history(p.spec.graph, p.spec.name);
        // A turn cut off mid-call is closed in the log first: its calls are reported interrupted, never run again.
        const closing = closeUnfinishedTurn(history, p.spec.name, from, this.now());
        this.events.appendLocal(p.spec.graph, p.spec.name, closing);
        const node = await this.spawn({ ...p.spec, history: [...history, ...closing] }, rest);
        this.tell('restarted', `${p.spec.name}@${node}`);
      } catch (error) {
        p.status = 'failed';
        this.tell('restart-failed', `${p.spec.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private candidates() {
    const load = new Map<string, number>();
    for (const p of this.placed.values()) if (p.status !== 'failed') load.set(p.node, (load.get(p.node) ?? 0) + 1);
    return [...this.workers.values()].map((w) => ({
      node: w.beat.node,
      capacity: w.beat.capacity,
      labels: w.beat.labels,
      load: Math.max(load.get(w.beat.node) ?? 0, w.beat.creatures.length),
      alive: w.status === 'alive',
    }));
  }

  /** Place one creature and start it there; returns the node. */
  async spawn(spec: SpawnSpec, placement: Placement = {}): Promise<string> {
    const node = choose(this.candidates(), placement, spec.name);
    const epoch = this.owners.nextEpoch(this.now());
    // Owned from now: events and calls of any earlier placement are refused from here on.
    this.owners.place(spec.name, node, epoch);
    // Counted at once, so the next placement of a recipe sees this one.
    this.placed.set(spec.name, { spec, placement, node, status: 'restarting' });
    const made = (await this.ask(node, { op: 'spawn', spec: { ...spec, epoch } })) as WorkerCreature;
    this.placed.set(spec.name, { spec, placement, node, status: 'running', ...(made?.id ? { id: made.id } : {}) });
    return node;
  }

  /** Spread a recipe over the workers; returns its graph id and where each member went. */
  async applyRecipe(ref: string, cwd = this.options.pwd ?? process.cwd()): Promise<Applied> {
    // Applied again while its graph runs: members it gained are placed, members it lost removed.
    return this.graphs.apply(ref, cwd);
  }

  /** Run one turn of a placed creature (on its worker) and return its reply. */
  async chat(name: string, text: string): Promise<{ status: string; text: string }> {
    const placed = this.placed.get(name);
    if (!placed) throw new UsageError(`no creature '${name}' in the lab`);
    try {
      return (await this.ask(placed.node, { op: 'chat', name, text }, 600_000)) as { status: string; text: string };
    } catch (error) {
      if (!(error instanceof WorkerFailedError)) throw error;
      return { status: 'interrupted', text: `worker '${placed.node}' failed during this turn; '${name}' continues on another worker from its log (kt lab status)` };
    }
  }

  private async ask(node: string, request: WorkerRequest | GraphOp, timeout = 30_000): Promise<unknown> {
    let reject!: (error: Error) => void;
    const failed = new Promise<never>((_, r) => (reject = r));
    const waiting = this.inflight.get(node) ?? new Set();
    this.inflight.set(node, waiting.add(reject));
    let msg: Awaited<ReturnType<NatsConnection['request']>>;
    try {
      msg = await Promise.race([this.nc.request(this.subjects.node(node), encode(request), { timeout }), failed]);
    } finally {
      waiting.delete(reject);
    }
    const reply = decode<Reply>(msg.data);
    if (!reply.ok) throw new UsageError(`worker '${node}': ${reply.error}`);
    return reply.value;
  }

  status(): LabStatus {
    const byNode = new Map<string, string[]>();
    for (const p of this.placed.values()) if (p.status !== 'failed') byNode.set(p.node, [...(byNode.get(p.node) ?? []), p.spec.name]);
    return {
      lab: this.options.lab ?? 'default',
      workers: [...this.workers.values()].map((w) => ({
        node: w.beat.node,
        capacity: w.beat.capacity,
        labels: w.beat.labels,
        load: w.status === 'alive' ? w.beat.creatures.length : 0,
        creatures: w.status === 'alive' ? w.beat.creatures.map((c) => c.name) : (byNode.get(w.beat.node) ?? []),
        status: w.status,
        lastSeen: w.lastSeen,
      })),
      creatures: [...this.placed.values()].map((p) => ({ name: p.spec.name, graph: p.spec.graph, node: p.node, status: p.status, epoch: this.owners.ownerOf(p.spec.name)?.epoch ?? 0 })),
    };
  }

  private async answer(request: HostRequest): Promise<Reply> {
    try {
      if (request.op === 'status') return { ok: true, value: this.status() };
      if (request.op === 'group') return { ok: true, value: await this.graphs.group(request) };
      if (request.op === 'apply') return { ok: true, value: await this.applyRecipe(request.recipe, request.cwd) };
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

/** Ask a running host something (`kt lab status`, `kt lab apply`). */
export async function askHost<T>(options: LabConnectOptions, request: HostRequest, timeout = 60_000): Promise<T> {
  const nc = await connectLab({ ...options, name: options.name ?? 'kt-lab' });
  try {
    const msg = await nc.request(labSubjects(options.lab ?? 'default').host, encode(request), { timeout });
    const reply = decode<Reply<T>>(msg.data);
    if (!reply.ok) throw new UsageError(reply.error);
    return reply.value;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`no lab host answered on lab '${options.lab ?? 'default'}' (${error instanceof Error ? error.message : String(error)}); start one with kt serve start --mode lab-host`);
  } finally {
    await nc.close();
  }
}
