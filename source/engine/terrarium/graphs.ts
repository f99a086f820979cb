/**
 * A terrarium's graphs: its connected parts (`Topology.components()`:
 * creatures joined by a channel they share or by a wire), each with an id
 * (`graph_<8 hex>`) and, when the team keeps sessions, one session file
 * holding every member's events, the channel messages and the part's
 * topology. One graph has at most one file; history is never dropped.
 *
 * After each change of the topology the graphs follow the components:
 * - merge (a change joins graphs): the graph with the most members keeps its
 *   id; a new file holds the history of every joined graph's file
 *   (session/graph-files.ts, lineage in its meta); all their members record
 *   into it from then on; the old files are closed and stay on disk.
 * - split (a change cuts a graph): the largest part keeps the id and the
 *   file; every other part gets a new id and a full copy of the file as it
 *   was, and its members record there.
 */
import { randomHex } from '../util/random-id.js';
import { mergeSessionFiles, splitSessionFile } from '../session/graph-files.js';
import type { SessionStore } from '../session/store.js';
import { TeamSession } from './graph-session.js';
import type { TerrariumCreature } from './member.js';
import type { Topology, TopologyData } from './topology.js';

export interface GraphInfo {
  id: string;
  /** Member names, in the order they joined. */
  members: string[];
  /** Its session file, once it has one. */
  sessionPath: string | undefined;
}

/** What one topology change did to the graphs. */
export type GraphDelta =
  | { kind: 'merge'; graphId: string; merged: string[]; sessionPath?: string }
  | { kind: 'split'; graphId: string; into: string[] };

export interface Graph {
  readonly id: string;
  readonly members: Set<string>;
  session: TeamSession | undefined;
}

export interface GraphHost {
  topology: Topology;
  member(name: string): TerrariumCreature | undefined;
  /** A session for a new graph (its file made when its first member joins), or none when the team keeps no sessions. */
  newSession(): TeamSession | undefined;
  /** Where a graph's new file goes (merge, split). */
  newPath(): string;
  /** Wrap a file just made for a graph (the team's recipe noted as already saved). */
  adopt(store: SessionStore): TeamSession;
}

export function newGraphId(): string {
  return `graph_${randomHex(4)}`;
}

export class GraphBook {
  private readonly graphs = new Map<string, Graph>();
  private readonly of = new Map<string, string>();
  /** A resumed file's graph: kept while the team is rebuilt, even when it has no member for a moment. */
  private pinned: Graph | undefined;

  constructor(private readonly host: GraphHost) {}

  graphOf(name: string): Graph | undefined {
    const id = this.of.get(name);
    return id ? this.graphs.get(id) : undefined;
  }

  list(): Graph[] {
    return [...this.graphs.values()];
  }

  info(): GraphInfo[] {
    return this.list().map((g) => ({ id: g.id, members: [...g.members], sessionPath: g.session?.file.store ? g.session.path : undefined }));
  }

  /** A graph made around an existing file (a resume): members placed into it with `place(name, graph)`. */
  adopt(session: TeamSession): Graph {
    const graph: Graph = { id: newGraphId(), members: new Set(), session };
    this.graphs.set(graph.id, graph);
    this.pinned = graph;
    return graph;
  }

  /** The resumed graph is whole: it follows the rules again (closed if it has no member). */
  release(): void {
    const graph = this.pinned;
    this.pinned = undefined;
    if (graph && !graph.members.size) this.drop(graph);
  }

  /**
   * The graph a member being built joins, before it is built (its edges are
   * in the topology already): `into` when given (a resume), else the graph of
   * the built members its component — and `peers`, the members a recipe will
   * connect it to — holds (merged first when it bridges several), else a new one.
   */
  place(name: string, options: { into?: Graph; peers?: readonly string[] } = {}): Graph {
    let graph = options.into;
    if (!graph) {
      const component = this.host.topology.components().find((c) => c.includes(name)) ?? [name];
      const ids = [...new Set([...component, ...(options.peers ?? [])].filter((n) => n !== name).map((n) => this.of.get(n)).filter((id): id is string => !!id))];
      const found = ids.map((id) => this.graphs.get(id) as Graph);
      graph = found.length === 0 ? this.create() : found.length === 1 ? (found[0] as Graph) : this.merge(found).graph;
    }
    graph.members.add(name);
    this.of.set(name, graph.id);
    return graph;
  }

  /** A member left (removed, or never built): its graph forgets it; an empty graph's file is closed (and kept). */
  leave(name: string): void {
    const graph = this.graphOf(name);
    this.of.delete(name);
    if (!graph) return;
    graph.members.delete(name);
    graph.session?.specs.delete(name);
    if (!graph.members.size && graph !== this.pinned) this.drop(graph);
  }

  private drop(graph: Graph): void {
    graph.session?.close();
    this.graphs.delete(graph.id);
  }

  /** Make the graphs follow the topology's components: splits first, then merges. */
  reconcile(): GraphDelta[] {
    const deltas: GraphDelta[] = [];
    const components = this.host.topology.components().map((c) => c.filter((n) => this.of.has(n))).filter((c) => c.length);
    for (const graph of this.list()) {
      const parts = components.map((c) => c.filter((n) => graph.members.has(n))).filter((p) => p.length);
      if (parts.length > 1) deltas.push(this.split(graph, parts));
    }
    for (const component of components) {
      const ids = [...new Set(component.map((n) => this.of.get(n) as string))];
      if (ids.length > 1) deltas.push(this.merge(ids.map((id) => this.graphs.get(id) as Graph)).delta);
    }
    return deltas;
  }

  /** Each graph's own part of the topology, saved into its file. */
  save(topology: TopologyData): void {
    for (const graph of this.graphs.values()) graph.session?.saveTopology(partOf(topology, graph.members));
  }

  /** Close every graph's file (after every member stopped). */
  close(): void {
    for (const graph of this.graphs.values()) graph.session?.close();
  }

  private create(): Graph {
    const graph: Graph = { id: newGraphId(), members: new Set(), session: this.host.newSession() };
    this.graphs.set(graph.id, graph);
    return graph;
  }

  private merge(graphs: Graph[]): { graph: Graph; delta: GraphDelta } {
    // The largest graph survives; on a tie, the older one (the map keeps creation order).
    const order = [...this.graphs.keys()];
    const sorted = [...graphs].sort((a, b) => b.members.size - a.members.size || order.indexOf(a.id) - order.indexOf(b.id));
    const survivor = sorted[0] as Graph;
    const others = sorted.slice(1);
    const withFiles = sorted.filter((g) => g.session?.file.store);
    if (withFiles.length > 1) {
      const stores = withFiles.map((g) => g.session?.file.store as SessionStore);
      const session = this.host.adopt(mergeSessionFiles(this.host.newPath(), stores));
      for (const g of sorted) for (const [name, spec] of g.session?.specs ?? []) session.specs.set(name, spec);
      // Synchronously, from the copy on: nothing a member records can fall between the old file and the new.
      for (const g of sorted) for (const name of g.members) this.host.member(name)?.agent.moveSession(session.file);
      for (const g of withFiles) g.session?.close();
      survivor.session = session;
    } else {
      survivor.session = withFiles[0]?.session ?? survivor.session;
    }
    for (const g of others) {
      for (const name of g.members) {
        survivor.members.add(name);
        this.of.set(name, survivor.id);
      }
      this.graphs.delete(g.id);
    }
    return { graph: survivor, delta: { kind: 'merge', graphId: survivor.id, merged: others.map((g) => g.id), ...(survivor.session?.file.store ? { sessionPath: survivor.session.path } : {}) } };
  }

  private split(graph: Graph, parts: string[][]): GraphDelta {
    const first = (part: string[]) => Math.min(...part.map((n) => [...graph.members].indexOf(n)));
    // The largest part keeps the graph; on a tie, the one holding its earliest member.
    const sorted = [...parts].sort((a, b) => b.length - a.length || first(a) - first(b));
    const store = graph.session?.file.store;
    const into: string[] = [];
    for (const part of sorted.slice(1)) {
      const session = store ? this.host.adopt(splitSessionFile(store, this.host.newPath())) : this.host.newSession();
      const piece: Graph = { id: newGraphId(), members: new Set(part), session };
      for (const name of part) {
        const spec = graph.session?.specs.get(name);
        if (spec) session?.specs.set(name, spec);
        graph.session?.specs.delete(name);
        graph.members.delete(name);
        this.of.set(name, piece.id);
        if (store && session) this.host.member(name)?.agent.moveSession(session.file);
      }
      this.graphs.set(piece.id, piece);
      into.push(piece.id);
    }
    return { kind: 'split', graphId: graph.id, into };
  }
}

/** The part of the topology a graph's members make: their creatures, edges, wires and channels (and channels nobody uses). */
export function partOf(topology: TopologyData, members: ReadonlySet<string>): TopologyData {
  const used = new Set([...topology.listen, ...topology.send].map(([, ch]) => ch));
  const listen = topology.listen.filter(([who]) => members.has(who));
  const send = topology.send.filter(([who]) => members.has(who));
  const mine = new Set([...listen, ...send].map(([, ch]) => ch));
  return {
    creatures: topology.creatures.filter((c) => members.has(c.name)),
    channels: topology.channels.filter((c) => mine.has(c.name) || !used.has(c.name)),
    listen,
    send,
    wires: topology.wires.filter((w) => members.has(w.from)),
  };
}
