/**
 * Channels across nodes: the `ChannelTransport` a worker's hub uses. Every
 * node announces who listens on which channel here (its directory); a
 * broadcast is published once on the channel's subject and each other node
 * hands it to its own listeners; a queue message goes to the one listener
 * the sending hub picked, on that listener's node subject. So the
 * semantics stay the hub's (never back to the sender; exactly one queue
 * listener), and the engine runs unchanged on every node.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ChannelHub, ChannelListener, ChannelMessage, ChannelTransport, ChannelType, DirectoryEntry } from '../channels/hub.js';
import { decode, encode } from './connect.js';
import type { LabSubjects } from './subjects.js';

interface Carried {
  origin: string;
  message: ChannelMessage;
  target?: string;
}

export class NatsChannelTransport implements ChannelTransport {
  private readonly directories = new Map<string, DirectoryEntry[]>();
  private readonly subscriptions: Subscription[] = [];
  private hub: ChannelHub | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: LabSubjects,
    /** This node's name. */
    readonly node: string,
  ) {}

  /** Join the lab's channel traffic on behalf of `hub`; resolves once the other nodes' directories were asked for. */
  async attach(hub: ChannelHub): Promise<void> {
    this.hub = hub;
    const s = this.subjects;
    this.subscriptions.push(
      this.nc.subscribe(s.directories, {
        callback: (_e, msg) => {
          const node = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
          if (node !== this.node) this.directories.set(node, decode<DirectoryEntry[]>(msg.data));
        },
      }),
      this.nc.subscribe(s.directorySync, { callback: () => this.changed() }),
      this.nc.subscribe(s.channels, {
        callback: (_e, msg) => {
          const carried = decode<Carried>(msg.data);
          if (carried.origin !== this.node) hub.receive(carried.message);
        },
      }),
      this.nc.subscribe(s.deliver(this.node), {
        callback: (_e, msg) => {
          const carried = decode<Carried>(msg.data);
          hub.receive(carried.message, carried.target);
        },
      }),
      this.nc.subscribe(s.failed, { callback: (_e, msg) => this.forget(decode<{ node: string }>(msg.data).node) }),
      this.nc.subscribe(s.bye, { callback: (_e, msg) => this.forget(decode<{ node: string }>(msg.data).node) }),
    );
    hub.useTransport(this);
    this.nc.publish(s.directorySync);
    await this.nc.flush();
  }

  /** A node that left or failed: its listeners are gone. */
  forget(node: string): void {
    this.directories.delete(node);
  }

  changed(): void {
    if (!this.hub || this.nc.isClosed()) return;
    this.nc.publish(this.subjects.directory(this.node), encode(this.hub.directory()));
  }

  remoteChannel(name: string): ChannelType | undefined {
    for (const entries of this.directories.values()) {
      const found = entries.find((e) => e.name === name);
      if (found) return found.type;
    }
    return undefined;
  }

  remoteListeners(channel: string): Array<{ who: string; deliver: ChannelListener }> {
    const out: Array<{ who: string; deliver: ChannelListener }> = [];
    // Sorted by node, so every sender sees the listeners in one order.
    for (const node of [...this.directories.keys()].sort()) {
      const entry = this.directories.get(node)?.find((e) => e.name === channel);
      for (const who of entry?.listeners ?? []) {
        out.push({ who, deliver: (message) => this.nc.publish(this.subjects.deliver(node), encode({ origin: this.node, message, target: who } satisfies Carried)) });
      }
    }
    return out;
  }

  broadcast(message: ChannelMessage): string[] {
    this.nc.publish(this.subjects.channel(message.channel), encode({ origin: this.node, message } satisfies Carried));
    return this.remoteListeners(message.channel).map((l) => l.who).filter((who) => who !== message.sender);
  }

  close(): void {
    for (const sub of this.subscriptions) sub.unsubscribe();
  }
}
