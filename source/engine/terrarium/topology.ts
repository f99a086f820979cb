/**
 * The shape of a terrarium as plain data: creatures, channels, who listens
 * where, who may send where, and the output wires. No creature, no model,
 * no I/O: the engine mutates a `Topology` and then acts on the difference,
 * and a session stores it as JSON to rebuild the same graph on resume.
 */
import type { ChannelType } from '../channels/hub.js';

export interface TopologyChannel {
  name: string;
  type: ChannelType;
  description: string;
}

export interface OutputWire {
  id: string;
  from: string;
  to: string;
  withContent: boolean;
  /** Message template (`{source}`, `{target}`, `{content}`, `{turn_index}`); the default is used when absent. */
  prompt?: string;
  promptFormat?: 'simple' | 'jinja';
  allowSelfTrigger: boolean;
}

export interface TopologyCreature {
  /** Unique name in the terrarium (what channels, wires and `@name` use). */
  name: string;
  privileged: boolean;
  /** Who added it at run time (`group_add_node`), when someone did. */
  parent?: string;
  /** The recipe that built it: a recipe is one team, so its members share a graph even where no edge joins them. */
  recipe?: string;
}

export interface TopologyData {
  creatures: TopologyCreature[];
  channels: TopologyChannel[];
  /** [creature, channel] */
  listen: Array<[string, string]>;
  send: Array<[string, string]>;
  wires: OutputWire[];
}

export class Topology {
  private readonly creatures = new Map<string, TopologyCreature>();
  private readonly channels = new Map<string, TopologyChannel>();
  private readonly listens = new Map<string, Set<string>>();
  private readonly sends = new Map<string, Set<string>>();
  private wireList: OutputWire[] = [];

  static from(data: TopologyData): Topology {
    const t = new Topology();
    for (const c of data.creatures) t.addCreature(c);
    for (const ch of data.channels) t.addChannel(ch);
    for (const [who, channel] of data.listen) t.setListen(who, channel, true);
    for (const [who, channel] of data.send) t.setSend(who, channel, true);
    for (const w of data.wires) t.addWire(w);
    return t;
  }

  toJSON(): TopologyData {
    const pairs = (map: Map<string, Set<string>>) => [...map].flatMap(([who, set]) => [...set].map((ch): [string, string] => [who, ch]));
    return {
      creatures: [...this.creatures.values()].map((c) => ({ ...c })),
      channels: [...this.channels.values()].map((c) => ({ ...c })),
      listen: pairs(this.listens),
      send: pairs(this.sends),
      wires: this.wireList.map((w) => ({ ...w })),
    };
  }

  addCreature(creature: TopologyCreature): void {
    this.creatures.set(creature.name, { ...creature });
    this.listens.set(creature.name, this.listens.get(creature.name) ?? new Set());
    this.sends.set(creature.name, this.sends.get(creature.name) ?? new Set());
  }

  /** Forget a creature with its edges and every wire from or to it. */
  removeCreature(name: string): void {
    this.creatures.delete(name);
    this.listens.delete(name);
    this.sends.delete(name);
    this.wireList = this.wireList.filter((w) => w.from !== name && w.to !== name);
  }

  creature(name: string): TopologyCreature | undefined {
    return this.creatures.get(name);
  }

  creatureNames(): string[] {
    return [...this.creatures.keys()];
  }

  setPrivileged(name: string, privileged: boolean): void {
    const c = this.creatures.get(name);
    if (c) c.privileged = privileged;
  }

  addChannel(channel: TopologyChannel): void {
    this.channels.set(channel.name, { ...channel });
  }

  removeChannel(name: string): void {
    this.channels.delete(name);
    for (const set of [...this.listens.values(), ...this.sends.values()]) set.delete(name);
  }

  channel(name: string): TopologyChannel | undefined {
    return this.channels.get(name);
  }

  channelList(): TopologyChannel[] {
    return [...this.channels.values()];
  }

  setListen(who: string, channel: string, on: boolean): void {
    edit(this.listens, who, channel, on);
  }

  setSend(who: string, channel: string, on: boolean): void {
    edit(this.sends, who, channel, on);
  }

  listensTo(who: string): string[] {
    return [...(this.listens.get(who) ?? [])];
  }

  sendsTo(who: string): string[] {
    return [...(this.sends.get(who) ?? [])];
  }

  canSend(who: string, channel: string): boolean {
    return this.sends.get(who)?.has(channel) ?? false;
  }

  /** Who listens on a channel, in the order creatures were added. */
  listenersOf(channel: string): string[] {
    return [...this.listens].filter(([, set]) => set.has(channel)).map(([who]) => who);
  }

  addWire(wire: OutputWire): void {
    this.wireList.push({ ...wire });
  }

  removeWire(id: string): OutputWire | undefined {
    const found = this.wireList.find((w) => w.id === id);
    if (found) this.wireList = this.wireList.filter((w) => w !== found);
    return found;
  }

  /** Wires out of `from`, in the order they were added (the delivery order). */
  wiresFrom(from: string): OutputWire[] {
    return this.wireList.filter((w) => w.from === from);
  }

  wires(): OutputWire[] {
    return [...this.wireList];
  }

  /**
   * A loop of output wires (a → b → … → a) that would make creatures trigger
   * each other forever; the names on the first one found, or undefined.
   */
  wireCycle(): string[] | undefined {
    const next = new Map<string, string[]>();
    for (const w of this.wireList) next.set(w.from, [...(next.get(w.from) ?? []), w.to]);
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (node: string): string[] | undefined => {
      state.set(node, 'open');
      path.push(node);
      for (const to of next.get(node) ?? []) {
        if (state.get(to) === 'open') return [...path.slice(path.indexOf(to)), to];
        if (!state.has(to)) {
          const found = visit(to);
          if (found) return found;
        }
      }
      path.pop();
      state.set(node, 'done');
      return undefined;
    };
    for (const node of next.keys()) {
      if (state.has(node)) continue;
      const found = visit(node);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Connected groups of creatures: two creatures are in one group when a
   * channel one listens or sends on is used by the other, or a wire joins
   * them. Each group is one graph (and one session file).
   */
  components(): string[][] {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let root = x;
      while (parent.get(root) !== root) root = parent.get(root) as string;
      parent.set(x, root);
      return root;
    };
    const union = (a: string, b: string) => parent.set(find(a), find(b));
    for (const name of this.creatures.keys()) parent.set(name, name);
    const byChannel = new Map<string, string[]>();
    for (const map of [this.listens, this.sends]) {
      for (const [who, set] of map) {
        // A creature's own direct channel alone joins nobody.
        for (const ch of set) if (ch !== who) byChannel.set(ch, [...(byChannel.get(ch) ?? []), who]);
      }
    }
    // Someone else on a creature's direct channel (sending to it) is connected to that creature.
    for (const [ch, users] of byChannel) if (this.creatures.has(ch)) users.push(ch);
    for (const users of byChannel.values()) for (const u of users.slice(1)) union(users[0] as string, u);
    for (const w of this.wireList) if (parent.has(w.from) && parent.has(w.to)) union(w.from, w.to);
    const byRecipe = new Map<string, string>();
    for (const c of this.creatures.values()) {
      if (!c.recipe) continue;
      const first = byRecipe.get(c.recipe);
      if (first) union(first, c.name);
      else byRecipe.set(c.recipe, c.name);
    }
    const groups = new Map<string, string[]>();
    for (const name of this.creatures.keys()) {
      const root = find(name);
      groups.set(root, [...(groups.get(root) ?? []), name]);
    }
    return [...groups.values()];
  }
}

function edit(map: Map<string, Set<string>>, who: string, channel: string, on: boolean): void {
  const set = map.get(who) ?? new Set<string>();
  if (on) set.add(channel);
  else set.delete(channel);
  map.set(who, set);
}
