/**
 * A worker's part of its graphs' structure: output wires of the creatures it
 * runs (the host sends each source's ordered list; a turn's end renders the
 * messages with the same templates as in one process and hands them over in
 * wiring order, to the target's subject wherever it runs), wire deliveries
 * to its own creatures, and the host's edge, channel and pause requests.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { EventOf } from '../events.js';
import type { TerrariumCreature } from '../terrarium/member.js';
import { memberEvents } from '../terrarium/member-events.js';
import type { Terrarium } from '../terrarium/terrarium.js';
import type { OutputWire } from '../terrarium/topology.js';
import { wireMessage } from '../terrarium/wire-message.js';
import { decode, encode } from './connect.js';
import type { GraphOp, WireDelivery } from './graph-protocol.js';
import type { Reply } from './protocol.js';
import type { LabSubjects } from './subjects.js';

/** Turns that ended like this pass their text on (as in one process). */
const PASSES_ON = new Set(['completed', 'limit']);

export class WorkerGraph {
  private readonly wires = new Map<string, { wires: OutputWire[]; maxHops: number }>();
  private readonly followed = new Map<string, { inbox: Subscription; detach: () => void; graph: string }>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: LabSubjects,
    private readonly team: Terrarium,
  ) {}

  /** The graph a creature here belongs to. */
  graphOf(name: string): string | undefined {
    return this.followed.get(name)?.graph;
  }

  /** A creature placed here: its turn ends feed its wires; wires to it arrive on its subject. */
  follow(member: TerrariumCreature, graph: string): void {
    this.forget(member.name);
    const detach = memberEvents(member, () => undefined, (end, hops) => void this.deliver(member, end, hops));
    const inbox = this.nc.subscribe(this.subjects.wire(member.name), {
      callback: (_e, msg) => {
        msg.respond(encode(this.receive(decode<WireDelivery>(msg.data))));
      },
    });
    this.followed.set(member.name, { inbox, detach, graph });
  }

  forget(name: string): void {
    const known = this.followed.get(name);
    if (!known) return;
    known.inbox.unsubscribe();
    known.detach();
    this.followed.delete(name);
    this.wires.delete(name);
  }

  private async deliver(source: TerrariumCreature, end: EventOf<'turn.end'>, hops: number): Promise<void> {
    if (!PASSES_ON.has(end.status)) return;
    const set = this.wires.get(source.name);
    if (!set?.wires.length) return;
    const fail = (message: string) => this.team.emit({ kind: 'error', creature: source.name, creatureId: source.id, payload: { message } });
    if (hops >= set.maxHops) return fail(`output wires of '${source.name}' stopped after ${hops} hops (max_hops)`);
    const { wires } = set;
    const messages = await Promise.all(wires.map((wire) => wireMessage(wire, { source: source.name, target: wire.to, content: end.text, turnIndex: end.turnIndex })));
    // Published one after another on one connection: the targets get them in wiring order.
    wires.forEach((wire, index) => {
      const delivery: WireDelivery = { from: source.name, to: wire.to, wireId: wire.id, content: messages[index] as string, hops: hops + 1, withContent: wire.withContent };
      this.nc
        .request(this.subjects.wire(wire.to), encode(delivery), { timeout: 30_000 })
        .then((msg) => {
          const reply = decode<Reply>(msg.data);
          if (!reply.ok) fail(`output wire ${source.name} → ${wire.to} skipped: ${reply.error}`);
        })
        .catch(() => fail(`output wire ${source.name} → ${wire.to} skipped: '${wire.to}' is not running in the lab`));
    });
  }

  private receive(delivery: WireDelivery): Reply {
    const target = this.team.getCreature(delivery.to);
    if (!target?.isRunning) return { ok: false, error: `'${delivery.to}' is not running` };
    void target.agent
      .injectEvent({ type: 'wire', name: delivery.from, source: 'wire', content: delivery.content, context: { wireId: delivery.wireId, from: delivery.from, hops: delivery.hops, withContent: delivery.withContent } })
      .catch((error: unknown) => this.team.emit({ kind: 'error', creature: delivery.to, payload: { message: `output wire ${delivery.from} → ${delivery.to}: ${(error as Error).message}` } }));
    return { ok: true, value: null };
  }

  async answer(request: GraphOp): Promise<unknown> {
    const team = this.team;
    switch (request.op) {
      case 'wires':
        team.require(request.source);
        this.wires.set(request.source, { wires: request.wires, maxHops: request.maxHops });
        return request.wires.length;
      case 'channel-add':
        team.addChannel(request.channel.name, { type: request.channel.type, description: request.channel.description });
        return true;
      case 'channel-remove':
        return team.topology.channel(request.name) ? team.removeChannel(request.name) : false;
      case 'edge': {
        const { channel } = request;
        if (!team.topology.channel(channel.name)) team.addChannel(channel.name, { type: channel.type, description: channel.description });
        if (request.direction === 'listen') await team.setListen(request.creature, channel.name, request.on);
        else team.setSend(request.creature, channel.name, request.on);
        return true;
      }
      case 'halt':
        await team.stopCreature(request.name);
        return true;
      case 'resume':
        await team.startCreature(request.name);
        return true;
    }
  }

  close(): void {
    for (const name of [...this.followed.keys()]) this.forget(name);
  }
}
