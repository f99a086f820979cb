/**
 * The triggers of one creature: started with it, stopped with it, added and
 * removed while it runs (setup tools, code). Each fire goes to the host,
 * which turns it into a turn; the manager keeps the bookkeeping: ids, fire
 * counts, non-stackable fires in flight, and the state resumable triggers
 * keep in the session.
 */
import { ConfigError, UsageError, type ConfigLocation } from '../errors.js';
import type { EventDraft } from '../events.js';
import type { ChannelHub } from '../channels/hub.js';
import { pause, type Clock } from '../util/clock.js';
import type { TriggerCatalog } from './catalog.js';
import { fromRows, restoredRecords, type PersistedTriggers, type TriggerRow, type TriggerSpec, type TriggerStore } from './persist.js';
import type { ConversationChange, FireOutcome, Trigger, TriggerContext, TriggerEnv, TriggerFire, TriggerInfo, TriggerOrigin } from './trigger.js';

export interface TriggerHost {
  creature: string;
  clock: Clock;
  channels: ChannelHub;
  env: TriggerEnv;
  catalog: TriggerCatalog;
  /** Where resumable state goes (the session); absent: memory only. */
  store?: TriggerStore;
  /** Turn a fire into a turn (or refuse it: the creature is stopping). */
  deliver(fire: TriggerFire, trigger: TriggerInfo): FireOutcome;
  emit(draft: EventDraft): void;
}

export interface AddOptions {
  id?: string;
  name?: string;
  origin?: TriggerOrigin;
  /** The catalog kind and options it was made from: what a resume rebuilds it with. */
  spec?: TriggerSpec;
  /** Where a config entry was written, for start-time errors. */
  location?: ConfigLocation;
}

interface Running {
  info: Omit<TriggerInfo, 'description' | 'nextFireAt'>;
  trigger: Trigger;
  abort: AbortController;
  spec?: TriggerSpec;
  location?: ConfigLocation;
  saved?: Record<string, unknown>;
  started: boolean;
  /** A non-stackable fire is waiting or running. */
  inFlight: boolean;
  /** Position in the list (kept in the session, so a resume lists triggers in the order they were added). */
  order: number;
  listeners: Set<(change: ConversationChange) => void>;
}

export class TriggerManager {
  private readonly triggers = new Map<string, Running>();
  private started = false;
  private stopped = false;
  private counter = 0;
  private lastOrder = 0;
  /** What the session held when the creature started: saved states and the specs of run-time triggers to bring back. */
  private loaded: PersistedTriggers | undefined;

  constructor(private readonly host: TriggerHost) {}

  /** Triggers in the order they were added. */
  list(): TriggerInfo[] {
    return [...this.triggers.values()].map((r) => this.infoOf(r));
  }

  get size(): number {
    return this.triggers.size;
  }

  /** Register a trigger; it starts now if the creature runs, else with it. Returns its id. */
  async add(trigger: Trigger, options: AddOptions = {}): Promise<string> {
    if (this.stopped) throw new UsageError('the creature is stopped; its triggers cannot change');
    const id = options.id ?? this.freshId(trigger.kind);
    if (this.triggers.has(id)) throw new UsageError(`a trigger with id '${id}' exists already`);
    const origin = options.origin ?? 'code';
    const resumable = Boolean(options.spec && this.host.catalog.has(options.spec.kind) && this.host.catalog.get(options.spec.kind).resumable);
    const running: Running = {
      info: { id, kind: trigger.kind, name: options.name ?? id, origin, fired: 0, resumable },
      trigger,
      abort: new AbortController(),
      started: false,
      inFlight: false,
      order: ++this.lastOrder,
      listeners: new Set(),
    };
    if (options.spec) running.spec = options.spec;
    if (options.location) running.location = options.location;
    const saved = this.loaded?.states[id];
    if (saved) running.saved = saved;
    this.triggers.set(id, running);
    if (this.started) {
      try {
        await this.begin(running);
      } catch (error) {
        this.triggers.delete(id);
        throw error;
      }
      this.persist(running);
    }
    return id;
  }

  /** Make a trigger of a catalog kind (options checked by its schema) and add it. */
  async addKind(kind: string, options: Record<string, unknown>, add: AddOptions = {}): Promise<TriggerInfo> {
    const definition = this.host.catalog.get(kind, add.location);
    // jitless: validated once, so compiling zod's fast path (new Function per object schema) costs more than it saves.
    const parsed = definition.options.safeParse(options, { jitless: true });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      const message = `bad options for a ${kind} trigger: ${where}${issue?.message ?? 'invalid'}`;
      if (add.location) throw new ConfigError(message, { ...add.location, keyPath: [...(add.location.keyPath ?? []), ...(issue?.path.map(String) ?? [])] });
      throw new UsageError(message);
    }
    const trigger = definition.create(parsed.data, this.host.env);
    const id = await this.add(trigger, { ...add, spec: { kind, options } });
    return this.infoOf(this.triggers.get(id) as Running);
  }

  /** Stop and forget a trigger. False when there is none with that id. */
  async remove(id: string, reason = 'removed'): Promise<boolean> {
    const running = this.triggers.get(id);
    if (!running) return false;
    this.triggers.delete(id);
    await this.end(running, reason);
    this.host.store?.save(id, undefined);
    return true;
  }

  /** Start every trigger added so far (and those the session kept). Throws when one cannot start. */
  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    const rows = this.host.store?.load();
    this.loaded = rows ? fromRows(rows) : undefined;
    this.lastOrder = Math.max(this.lastOrder, ...Object.values(rows ?? {}).map((row) => row.order ?? 0));
    for (const running of this.triggers.values()) {
      const saved = this.loaded?.states[running.info.id];
      if (saved) running.saved = saved;
    }
    for (const record of restoredRecords(this.loaded)) {
      if (this.triggers.has(record.id)) continue;
      if (!this.host.catalog.has(record.kind)) {
        this.host.emit({ type: 'warning', code: 'TRIGGER_LOST', message: `trigger '${record.name}' (${record.kind}) from the session cannot come back: no trigger type '${record.kind}' is registered` });
        continue;
      }
      await this.addKind(record.kind, record.options, { id: record.id, name: record.name, origin: record.origin }).catch((error: unknown) => {
        this.host.emit({ type: 'warning', code: 'TRIGGER_LOST', message: `trigger '${record.name}' from the session cannot come back: ${(error as Error).message}` });
      });
    }
    for (const running of [...this.triggers.values()]) {
      if (running.started) continue;
      try {
        await this.begin(running);
      } catch (error) {
        await this.stop();
        throw error;
      }
    }
    for (const running of this.triggers.values()) this.persist(running);
  }

  /** Stop every trigger (the creature stops). Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const all = [...this.triggers.values()];
    await Promise.all(all.map((r) => this.end(r, 'creature stopped', false)));
  }

  /** A turn ended: the conversation changed (context triggers listen). */
  conversationChanged(change: ConversationChange): void {
    for (const running of this.triggers.values()) for (const listener of running.listeners) listener(change);
  }

  private async begin(running: Running): Promise<void> {
    running.started = true;
    const context = this.contextFor(running);
    let result: ReturnType<Trigger['start']>;
    try {
      result = await running.trigger.start(context);
    } catch (error) {
      running.abort.abort();
      const message = `trigger '${running.info.name}' (${running.info.kind}) could not start: ${(error as Error).message}`;
      if (running.location) throw new ConfigError(message, running.location, { cause: error });
      throw new UsageError(message, { cause: error });
    }
    const info = this.infoOf(running);
    this.host.emit({
      type: 'trigger.added',
      triggerId: info.id,
      kind: info.kind,
      name: info.name,
      origin: info.origin,
      description: info.description,
      resumable: info.resumable,
      ...(info.nextFireAt !== undefined ? { nextFireAt: info.nextFireAt } : {}),
    });
    if (result && typeof result === 'object' && Symbol.asyncIterator in result) void this.drain(running, result, context);
  }

  /** A trigger written as an async generator: each value it yields is a fire. */
  private async drain(running: Running, fires: AsyncIterable<TriggerFire>, context: TriggerContext): Promise<void> {
    try {
      for await (const fire of fires) {
        if (running.abort.signal.aborted) break;
        context.fire(fire);
      }
      if (!running.abort.signal.aborted && this.triggers.get(running.info.id) === running) await this.remove(running.info.id, 'finished');
    } catch (error) {
      if (running.abort.signal.aborted) return;
      if (this.triggers.get(running.info.id) === running) await this.remove(running.info.id, `failed: ${(error as Error).message}`);
    }
  }

  private async end(running: Running, reason: string, announce = true): Promise<void> {
    running.abort.abort();
    running.listeners.clear();
    try {
      if (running.started) await running.trigger.stop?.();
    } catch (error) {
      this.host.emit({ type: 'warning', code: 'TRIGGER_WARNING', message: `trigger '${running.info.name}' did not stop cleanly: ${(error as Error).message}` });
    }
    if (announce && running.started) this.host.emit({ type: 'trigger.removed', triggerId: running.info.id, kind: running.info.kind, name: running.info.name, reason });
  }

  private contextFor(running: Running): TriggerContext {
    const { host } = this;
    const signal = running.abort.signal;
    const name = running.info.name;
    return {
      id: running.info.id,
      creature: host.creature,
      clock: host.clock,
      signal,
      cwd: host.env.cwd,
      channels: host.channels,
      saved: running.saved,
      fire: (fire) => this.fire(running, fire),
      save: (state) => {
        running.saved = state;
        if (!signal.aborted) this.persist(running);
      },
      missed: (count, since) => {
        if (count > 0) host.emit({ type: 'trigger.missed', triggerId: running.info.id, kind: running.info.kind, name, count, since });
      },
      warn: (message) => host.emit({ type: 'warning', code: 'TRIGGER_WARNING', message: `trigger '${name}': ${message}` }),
      sleep: (ms) => pause(host.clock, ms, signal),
      onConversationChange: (listener) => {
        running.listeners.add(listener);
        return () => running.listeners.delete(listener);
      },
    };
  }

  private fire(running: Running, fire: TriggerFire): FireOutcome {
    if (running.abort.signal.aborted || this.stopped) return { accepted: false };
    const stackable = fire.stackable ?? true;
    if (!stackable && running.inFlight) return { accepted: false };
    const outcome = this.host.deliver(fire, this.infoOf(running));
    if (!outcome.accepted) return outcome;
    running.info.fired++;
    if (!stackable && outcome.done) {
      running.inFlight = true;
      void outcome.done.finally(() => (running.inFlight = false));
    }
    return outcome;
  }

  private infoOf(running: Running): TriggerInfo {
    const next = running.trigger.nextFireAt?.();
    return {
      ...running.info,
      description: running.trigger.describe?.() ?? running.info.kind,
      ...(next !== undefined ? { nextFireAt: next } : {}),
    };
  }

  private freshId(kind: string): string {
    let id: string;
    do id = `${kind}_${++this.counter}`;
    while (this.triggers.has(id) || this.loaded?.states[id] || restoredRecords(this.loaded).some((r) => r.id === id));
    return id;
  }

  /** Write what a resume needs of one trigger: its spec when made at run time and resumable, and its saved state. */
  private persist(running: Running): void {
    const store = this.host.store;
    if (!store) return;
    const row: TriggerRow = { order: running.order };
    if (running.saved) row.state = running.saved;
    if (running.info.origin !== 'config' && running.info.resumable && running.spec) {
      row.record = { id: running.info.id, kind: running.spec.kind, name: running.info.name, origin: running.info.origin, options: running.spec.options };
    }
    store.save(running.info.id, row.record || row.state ? row : undefined);
  }
}
