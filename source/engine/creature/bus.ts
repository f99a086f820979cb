/**
 * The event bus of one creature: stamps the envelope, fans events out to
 * synchronous listeners, and feeds bounded async streams.
 *
 * Invariant: emitting never waits on a consumer. Listeners run inline and
 * must be cheap; a stream that falls behind its buffer loses the oldest
 * undelivered events and is told how many with a `stream.lagged` event.
 * Every draft is redacted (engine/util/redact.ts) before anyone sees it.
 */
import type { AgentEvent, EventDraft } from '../events.js';
import { redactDeep } from '../util/redact.js';

export type EventListener = (event: AgentEvent) => void;

export interface BusIdentity {
  sessionId: string;
  creatureId: string;
  agentPath: readonly string[];
}

export interface StreamOptions {
  /** Keep only events this returns true for. */
  filter?: (event: AgentEvent) => boolean;
  /** Most events buffered for a slow consumer (default 10 000). */
  highWaterMark?: number;
}

export class EventBus {
  private seq = 0;
  private readonly listeners = new Set<EventListener>();
  private failingListener = false;

  constructor(readonly identity: BusIdentity) {}

  /** Stamp and deliver an event. `agentPath` overrides the creature's own (sub-agents), `runId` names a sub-agent run. */
  emit(draft: EventDraft, turnId: string | null, agentPath?: readonly string[], runId?: string): AgentEvent {
    // Every event passes here on its way to the session file, the UI and runStream:
    // the one place where a credential echoed by a provider or a tool is masked.
    const event = {
      ...redactDeep(draft),
      seq: ++this.seq,
      ts: Date.now(),
      sessionId: this.identity.sessionId,
      creatureId: this.identity.creatureId,
      turnId,
      agentPath: agentPath ?? this.identity.agentPath,
      ...(runId ? { runId } : {}),
    } as AgentEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.reportListenerFailure(error, turnId);
      }
    }
    return event;
  }

  /** The sequence number of the last emitted event. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Continue numbering after `seq` (used when resuming a session). */
  resumeFrom(seq: number): void {
    this.seq = Math.max(this.seq, seq);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An async stream of events from now on. Call `close()` (or break out) to detach. */
  stream(options: StreamOptions = {}): EventStream {
    const stream = new EventStream(options.highWaterMark ?? 10_000, options.filter, this.identity);
    stream.detach = this.subscribe((event) => stream.push(event));
    return stream;
  }

  private reportListenerFailure(error: unknown, turnId: string | null): void {
    // A listener that throws while handling the warning about itself must not recurse.
    if (this.failingListener) return;
    this.failingListener = true;
    try {
      const message = error instanceof Error ? error.message : String(error);
      this.emit({ type: 'warning', message: `event listener failed: ${message}`, code: 'LISTENER_FAILED' }, turnId);
    } finally {
      this.failingListener = false;
    }
  }
}

/** A bounded async queue of events. */
export class EventStream implements AsyncIterableIterator<AgentEvent> {
  detach: () => void = () => {};
  private readonly buffer: AgentEvent[] = [];
  private head = 0;
  private dropped = 0;
  private closed = false;
  private waiter: ((result: IteratorResult<AgentEvent>) => void) | undefined;

  constructor(
    private readonly highWaterMark: number,
    private readonly filter: ((event: AgentEvent) => boolean) | undefined,
    private readonly identity: BusIdentity,
  ) {}

  push(event: AgentEvent): void {
    if (this.closed || (this.filter && !this.filter(event))) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve({ value: event, done: false });
      return;
    }
    if (this.buffer.length - this.head >= this.highWaterMark) {
      this.head++;
      this.dropped++;
    }
    this.buffer.push(event);
  }

  /** No more events will be pushed; pending ones are still delivered. */
  end(): void {
    this.closed = true;
    this.detach();
    if (this.waiter && this.head >= this.buffer.length) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<AgentEvent>> {
    if (this.dropped > 0) {
      const dropped = this.dropped;
      this.dropped = 0;
      const peek = this.buffer[this.head];
      return Promise.resolve({ value: this.lagNotice(dropped, peek), done: false });
    }
    if (this.head < this.buffer.length) {
      const value = this.buffer[this.head++] as AgentEvent;
      if (this.head > 1024 && this.head * 2 > this.buffer.length) {
        this.buffer.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<AgentEvent>> {
    this.buffer.length = 0;
    this.head = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private lagNotice(dropped: number, next: AgentEvent | undefined): AgentEvent {
    return {
      type: 'stream.lagged',
      dropped,
      seq: next ? next.seq - 1 : 0,
      ts: Date.now(),
      sessionId: this.identity.sessionId,
      creatureId: this.identity.creatureId,
      turnId: next?.turnId ?? null,
      agentPath: this.identity.agentPath,
    };
  }
}
