/**
 * Channels: named pipes between creatures. A `broadcast` channel hands every
 * message to every listener except its sender; a `queue` channel hands each
 * message to one listener, taking turns (round-robin), so parallel workers
 * share the load. A creature's own direct channel carries its name.
 *
 * The hub only routes: it runs no model and keeps no history (the session
 * log keeps messages, through the events listeners emit).
 */
import { randomHex } from '../util/random-id.js';
import { UsageError } from '../errors.js';

export type ChannelType = 'broadcast' | 'queue';

export interface ChannelMessage {
  /** Unique per message; `replyTo` points at one. */
  id: string;
  channel: string;
  sender: string;
  content: string;
  ts: number;
  replyTo?: string;
  metadata?: Record<string, unknown>;
}

export interface ChannelInfo {
  name: string;
  type: ChannelType;
  description: string;
}

export type ChannelListener = (message: ChannelMessage) => void;

interface Listening {
  /** Who listens (a creature's name): its own sends never come back to it. */
  who: string;
  deliver: ChannelListener;
}

interface ChannelState extends ChannelInfo {
  listeners: Listening[];
  /** Queue channels: which listener takes the next message. */
  cursor: number;
}

/**
 * How a hub reaches listeners in other processes (the Laboratory puts one on
 * every worker's hub). Without one the hub is purely in-process — the default
 * and the fast path. The hub stays the authority on semantics: it picks the
 * queue listener and never hands a sender its own message; the transport only
 * carries messages and tells the hub who listens elsewhere.
 */
export interface ChannelTransport {
  /** This hub's channels or listeners changed: tell the other nodes (`hub.directory()`). */
  changed(): void;
  /** A channel some other node has, when this hub has none of that name. */
  remoteChannel(name: string): ChannelType | undefined;
  /** Listeners of `channel` on other nodes, each able to take one message of a queue channel. */
  remoteListeners(channel: string): Array<{ who: string; deliver: ChannelListener }>;
  /** Carry a broadcast message to every other node; returns who listens there (besides the sender). */
  broadcast(message: ChannelMessage): string[];
}

/** One channel as the other nodes see it: its type and who listens on it here. */
export interface DirectoryEntry extends ChannelInfo {
  listeners: string[];
}

export interface SendOptions {
  sender: string;
  replyTo?: string;
  metadata?: Record<string, unknown>;
}

export class ChannelHub {
  private readonly channels = new Map<string, ChannelState>();
  private readonly observers = new Set<(message: ChannelMessage, deliveredTo: readonly string[]) => void>();

  private transport: ChannelTransport | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Reach listeners on other nodes through `transport` from now on. */
  useTransport(transport: ChannelTransport): void {
    this.transport = transport;
    transport.changed();
  }

  /** Every channel with the names listening on it here (what a transport announces). */
  directory(): DirectoryEntry[] {
    return [...this.channels.values()].map((state) => ({ ...info(state), listeners: state.listeners.map((l) => l.who) }));
  }

  /**
   * A message sent on another node: a broadcast reaches every listener here
   * but its sender; a queue message names the one listener (`target`) that
   * the sending hub chose. Returns who it reached here.
   */
  receive(message: ChannelMessage, target?: string): string[] {
    const state = this.channels.get(message.channel);
    if (!state) return [];
    const targets = target === undefined ? state.listeners.filter((l) => l.who !== message.sender) : state.listeners.filter((l) => l.who === target).slice(0, 1);
    for (const t of targets) t.deliver(message);
    const deliveredTo = targets.map((t) => t.who);
    if (deliveredTo.length) for (const observer of this.observers) observer(message, deliveredTo);
    return deliveredTo;
  }

  /** Create a channel, or return the one that exists (a different `type` for an existing one is an error). */
  define(name: string, options: { type?: ChannelType; description?: string } = {}): ChannelInfo {
    if (!name.trim()) throw new UsageError('a channel needs a name');
    const existing = this.channels.get(name);
    if (existing) {
      if (options.type && options.type !== existing.type) throw new UsageError(`channel '${name}' is a ${existing.type} channel, not a ${options.type} one`);
      if (options.description && !existing.description) existing.description = options.description;
      return info(existing);
    }
    const state: ChannelState = { name, type: options.type ?? 'broadcast', description: options.description ?? '', listeners: [], cursor: 0 };
    this.channels.set(name, state);
    this.transport?.changed();
    return info(state);
  }

  has(name: string): boolean {
    return this.channels.has(name);
  }

  /** Remove a channel; its listeners hear nothing more. */
  delete(name: string): boolean {
    const deleted = this.channels.delete(name);
    if (deleted) this.transport?.changed();
    return deleted;
  }

  list(): ChannelInfo[] {
    return [...this.channels.values()].map(info);
  }

  /** Who listens on `name`. */
  listeners(name: string): string[] {
    return this.channels.get(name)?.listeners.map((l) => l.who) ?? [];
  }

  /** Listen on a channel (created as broadcast when missing). Returns the function that stops listening. */
  listen(name: string, who: string, deliver: ChannelListener): () => void {
    if (!this.channels.has(name)) this.define(name);
    const state = this.channels.get(name) as ChannelState;
    const entry: Listening = { who, deliver };
    state.listeners.push(entry);
    this.transport?.changed();
    return () => {
      const index = state.listeners.indexOf(entry);
      if (index < 0) return;
      state.listeners.splice(index, 1);
      if (state.cursor > index) state.cursor--;
      this.transport?.changed();
    };
  }

  /**
   * Send a message. Returns it with the names it reached (none when nobody
   * but the sender listens). Sending on a channel that does not exist is an
   * error: a typo must not swallow a message.
   */
  send(name: string, content: string, options: SendOptions): { message: ChannelMessage; deliveredTo: string[] } {
    let state = this.channels.get(name);
    // A channel only another node has (another creature's direct channel): known here from now on.
    const remoteType = state ? undefined : this.transport?.remoteChannel(name);
    if (remoteType) {
      this.define(name, { type: remoteType });
      state = this.channels.get(name);
    }
    if (!state) throw new UsageError(`there is no channel '${name}'${this.channels.size ? `; channels: ${[...this.channels.keys()].join(', ')}` : ''}`);
    const message: ChannelMessage = { id: `msg_${randomHex(6)}`, channel: name, sender: options.sender, content, ts: this.now() };
    if (options.replyTo) message.replyTo = options.replyTo;
    if (options.metadata) message.metadata = options.metadata;
    const targets = state.type === 'queue' ? this.nextInQueue(state, options.sender) : state.listeners.filter((l) => l.who !== options.sender);
    for (const target of targets) target.deliver(message);
    const deliveredTo = targets.map((t) => t.who);
    if (state.type === 'broadcast' && this.transport) deliveredTo.push(...this.transport.broadcast(message));
    for (const observer of this.observers) observer(message, deliveredTo);
    return { message, deliveredTo };
  }

  /** Hear every message sent on any channel, after delivery (a terrarium's log and graph view). */
  observe(observer: (message: ChannelMessage, deliveredTo: readonly string[]) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private nextInQueue(state: ChannelState, sender: string): Listening[] {
    // With a transport, the turn passes over this node's listeners and then the other nodes' ones.
    const all = this.transport ? [...state.listeners, ...this.transport.remoteListeners(state.name)] : state.listeners;
    for (let tried = 0; tried < all.length; tried++) {
      const index = state.cursor % all.length;
      state.cursor = index + 1;
      const candidate = all[index] as Listening;
      if (candidate.who !== sender) return [candidate];
    }
    return [];
  }
}

function info(state: ChannelState): ChannelInfo {
  return { name: state.name, type: state.type, description: state.description };
}
