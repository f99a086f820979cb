/**
 * The host's picture of one lab graph: the whole topology (every member,
 * wherever it runs; channels, edges, output wires) with the recipe's loop
 * rules. Workers each hold only their own members; wiring and loop checks
 * need the whole graph, so they happen here, with the same code a terrarium
 * runs in one process (`addWire`).
 */
import { ROOT_NAME, type Recipe } from '../terrarium/recipe.js';
import { Topology, type OutputWire } from '../terrarium/topology.js';
import { addWire, type WireOptions } from '../terrarium/wiring.js';
import type { MemberSpec } from '../terrarium/graph-session.js';
import type { SpawnSpec } from './protocol.js';

export class LabGraph {
  /** Members that came from the recipe (a re-apply may remove them); group-added ones are left alone. */
  readonly fromRecipe = new Set<string>();
  /** Members added at run time (group_add_node): how to build them again. */
  readonly added = new Map<string, MemberSpec>();
  /** Wires the recipe made (a re-apply replaces them; group_wire's stay). */
  readonly recipeWires = new Set<string>();

  constructor(
    readonly id: string,
    readonly name: string,
    readonly allowCycles: boolean,
    readonly maxHops: number,
    /** The recipe it was applied from (a later `kt lab apply` of the same file changes this graph). */
    readonly recipeFile?: string,
    /** The whole topology (a restarted host passes the one it saved). */
    readonly topology: Topology = new Topology(),
  ) {}

  /** A member placed: its place in the topology (its direct channel and edges). */
  addMember(spec: Pick<SpawnSpec, 'name' | 'privileged' | 'listen' | 'canSend' | 'channels'>, parent?: string): void {
    for (const ch of spec.channels) if (!this.topology.channel(ch.name)) this.topology.addChannel(ch);
    this.topology.addCreature({ name: spec.name, privileged: spec.privileged, ...(parent ? { parent } : {}) });
    this.topology.addChannel({ name: spec.name, type: 'broadcast', description: `direct messages to ${spec.name}` });
    this.topology.setListen(spec.name, spec.name, true);
    for (const ch of spec.listen) this.topology.setListen(spec.name, ch, true);
    for (const ch of spec.canSend) this.topology.setSend(spec.name, ch, true);
  }

  removeMember(name: string): void {
    this.added.delete(name);
    this.topology.removeCreature(name);
    this.topology.removeChannel(name);
  }

  /** Add a wire, or throw (a wire to itself needs allowSelfTrigger, a loop needs allow_cycles). */
  wire(from: string, to: string, options: WireOptions): OutputWire {
    return addWire(this.topology, from, to, options, { allowCycles: this.allowCycles, maxHops: this.maxHops });
  }

  /** The recipe's output wires, in the order it lists them. */
  wireRecipe(recipe: Recipe): void {
    for (const member of [...(recipe.root ? [recipe.root] : []), ...recipe.members]) {
      for (const entry of member.wiring) {
        const wire = typeof entry === 'string' ? { to: entry } : entry;
        const to = wire.to === ROOT_NAME && recipe.root ? recipe.root.name : wire.to;
        const made = this.wire(member.name, to, {
          withContent: wire.with_content ?? true,
          ...(wire.prompt ? { prompt: wire.prompt } : {}),
          ...(wire.prompt_format ? { promptFormat: wire.prompt_format } : {}),
          ...(wire.allow_self_trigger !== undefined ? { allowSelfTrigger: wire.allow_self_trigger } : {}),
        });
        this.recipeWires.add(made.id);
      }
    }
  }

  /** The graph's channels but members' direct ones (what a new member's spec carries). */
  channels() {
    const members = new Set(this.topology.toJSON().creatures.map((c) => c.name));
    return this.topology.channelList().filter((c) => !members.has(c.name));
  }
}
