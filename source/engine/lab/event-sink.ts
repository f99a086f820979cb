/**
 * The host's side of the event log: a durable JetStream consumer that writes
 * every remote creature's events into the graph's session file on the host
 * (`<sessionDir>/<graph>.kohakutr`), then acknowledges them. A host that
 * restarts continues from the first unacknowledged event; an event that comes
 * twice (a retried publish, a redelivery after a crash between write and ack)
 * is recognised by its creature instance, agent path and seq and skipped:
 * each creature's events arrive in order, so "seq not above the last stored"
 * means "stored already", and that is read back from the file on open.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { parseTurnId } from '../events.js';
import { SessionStore } from '../session/store.js';
import { decode, jetStreamClient, natsClient } from './connect.js';
import type { CarriedEvent } from './event-tee.js';
import type { HistoryEvent } from './protocol.js';
import type { LabSubjects } from './subjects.js';

interface GraphLog {
  store: SessionStore;
  /** The highest seq stored per creature instance and agent path. */
  last: Map<string, number>;
}

export class EventSink {
  private readonly graphs = new Map<string, GraphLog>();
  private messages: { stop(): void; closed(): Promise<unknown> } | undefined;
  stored = 0;
  duplicates = 0;
  /** Events the host wrote itself (cut-off turns closed), not counted in `stored`. */
  closedLocally = 0;
  /** Events refused because they came from an outdated placement (a worker back after its creature moved). */
  stale = 0;
  private readonly waiters = new Set<() => void>();
  /** The stream sequence of the last message taken. */
  private streamSeq = 0;
  private jsm: import('@nats-io/jetstream').JetStreamManager | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: LabSubjects,
    private readonly dir: string,
    private readonly pwd: string,
    private readonly isStale: (creature: string, epoch: number) => boolean = () => false,
  ) {}

  async start(): Promise<void> {
    const { jetstreamManager, jetstream, AckPolicy, DeliverPolicy } = await jetStreamClient();
    const { nanos } = await natsClient();
    const jsm = await jetstreamManager(this.nc);
    this.jsm = jsm;
    const stream = this.subjects.stream;
    try {
      await jsm.streams.info(stream);
    } catch {
      await jsm.streams.add({ name: stream, subjects: [this.subjects.eventsAll], duplicate_window: nanos(120_000) });
    }
    try {
      await jsm.consumers.info(stream, this.subjects.consumer);
    } catch {
      await jsm.consumers.add(stream, { durable_name: this.subjects.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 10_000 });
    }
    const consumer = await jetstream(this.nc).consumers.get(stream, this.subjects.consumer);
    const messages = await consumer.consume({ max_messages: 500 });
    this.messages = messages;
    void (async () => {
      for await (const msg of messages) {
        this.streamSeq = Math.max(this.streamSeq, msg.seq);
        this.take(decode<CarriedEvent>(msg.data));
        msg.ack();
      }
    })();
  }

  private take(carried: CarriedEvent): void {
    if (this.isStale(carried.creature, carried.epoch ?? 0)) {
      this.stale++;
      this.wake();
      return;
    }
    this.write(carried);
  }

  /** Events the host itself adds to a creature's log (a cut-off turn closed before the creature moves). */
  appendLocal(graph: string, creature: string, events: readonly HistoryEvent[]): void {
    for (const { event } of events) this.write({ graph, node: '', creature, event }, false);
    this.closedLocally += events.length;
  }

  private write(carried: CarriedEvent, fromStream = true): void {
    const log = this.open(carried.graph);
    const { event } = carried;
    const key = `${event.creatureId}|${event.agentPath.join('/')}`;
    if (event.seq <= (log.last.get(key) ?? 0)) {
      this.duplicates++;
      this.wake();
      return;
    }
    log.store.append(event, parseTurnId(event.turnId));
    log.store.flush();
    log.last.set(key, event.seq);
    if (event.agentPath.length === 1 && !log.store.meta.agents.includes(carried.creature)) log.store.updateMeta({ agents: [...log.store.meta.agents, carried.creature] });
    if (fromStream) this.stored++;
    this.wake();
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private open(graph: string): GraphLog {
    const known = this.graphs.get(graph);
    if (known) return known;
    const path = this.pathOf(graph);
    const store = existsSync(path)
      ? SessionStore.open(path, { owner: true })
      : SessionStore.create(path, { sessionId: graph, kind: 'terrarium', configRef: '<lab>', pwd: this.pwd, createdAt: Date.now(), lastActive: Date.now(), agents: [], turns: 0, terrariumName: graph });
    const last = new Map<string, number>();
    for (const { event } of store.events()) {
      const key = `${event.creatureId}|${event.agentPath.join('/')}`;
      last.set(key, Math.max(last.get(key) ?? 0, event.seq));
    }
    const log = { store, last };
    this.graphs.set(graph, log);
    return log;
  }

  /**
   * Resolves once every event the stream holds now has been taken: what a
   * failed worker published before it died is in the log before its
   * creatures move (a worker publishes a call's events before it runs it).
   */
  async caughtUp(): Promise<void> {
    if (!this.jsm) return;
    const last = (await this.jsm.streams.info(this.subjects.stream)).state.last_seq;
    await this.until(() => this.streamSeq >= last);
  }

  /** A creature's events as stored here (a restart elsewhere continues from them). */
  history(graph: string, creature: string): HistoryEvent[] {
    // A restarted host may move a creature before any new event of its graph came in: its file is the log.
    const log = this.graphs.get(graph) ?? (existsSync(this.pathOf(graph)) ? this.open(graph) : undefined);
    if (!log) return [];
    return [...log.store.events({ creature })].map(({ event, turn, branch }) => ({ event, turn, branch }));
  }

  /** The graph's file (made when missing), for the host to keep the graph's recipe and topology in it. */
  storeOf(graph: string): SessionStore {
    return this.open(graph).store;
  }

  pathOf(graph: string): string {
    return join(this.dir, `${graph}.kohakutr`);
  }

  /** Resolves once `test` holds, checked after each event taken, stored or not (tests, benches). */
  async until(test: () => boolean): Promise<void> {
    while (!test()) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }

  async close(): Promise<void> {
    this.messages?.stop();
    await this.messages?.closed().catch(() => undefined);
    for (const log of this.graphs.values()) log.store.close();
    this.graphs.clear();
  }
}
