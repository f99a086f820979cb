/**
 * The host's graphs: a recipe applied to the lab (and applied again: members
 * it gained are placed, members it lost are removed, while the rest run on),
 * each graph's output wires handed to the workers of their sources, and the
 * group tools of lab creatures, which act on the whole graph from here.
 */
import { loadCreature } from '../config/loader.js';
import { UsageError } from '../errors.js';
import { loadRecipe, type Recipe } from '../terrarium/recipe.js';
import type { GroupStatus } from '../tools/runtime.js';
import type { GraphOp, GroupRequest } from './graph-protocol.js';
import { LabGraph } from './lab-graph.js';
import type { Placement } from './placement.js';
import type { SpawnSpec, WorkerRequest } from './protocol.js';
import { newGraphId, recipeSpecs } from './recipe-specs.js';

/** What the graphs need of the host. */
export interface GraphsHost {
  spawn(spec: SpawnSpec, placement?: Placement): Promise<string>;
  askWorker(node: string, request: WorkerRequest | GraphOp): Promise<unknown>;
  whereIs(name: string): { node: string; status: string; id?: string } | undefined;
  forget(name: string): void;
  on(listener: (what: string, detail: string) => void): () => void;
  /** Keep the graph's recipe, topology and run-time members' specs in its session file (a resume rebuilds from them). */
  save(graph: LabGraph): void;
  readonly llm: string | undefined;
  readonly pwd: string;
}

export interface Applied {
  graph: string;
  nodes: Record<string, string>;
  /** A recipe applied again to its running graph: who joined and who left. */
  added?: string[];
  removed?: string[];
}

export class HostGraphs {
  readonly graphs = new Map<string, LabGraph>();
  /** Sources whose worker holds a non-empty wire list (told again when it empties). */
  private readonly wired = new Set<string>();
  private readonly halted = new Set<string>();

  constructor(private readonly host: GraphsHost) {
    // A creature placed again elsewhere (its worker failed) gets its wires on its new worker.
    host.on((what, detail) => {
      if (what !== 'restarted') return;
      const name = detail.slice(0, detail.lastIndexOf('@'));
      const graph = this.graphOfMember(name);
      if (graph) void this.pushWires(graph, [name]).catch(() => undefined);
    });
  }

  /** A graph a restarted host took back from its file; its workers still hold the wire lists. */
  restore(graph: LabGraph): void {
    this.graphs.set(graph.id, graph);
    for (const wire of graph.topology.wires()) this.wired.add(wire.from);
  }

  /** Keep the graph in its file (after a resume placed it again). */
  save(graph: LabGraph): void {
    this.host.save(graph);
  }

  graphOfMember(name: string): LabGraph | undefined {
    return [...this.graphs.values()].find((g) => g.topology.creature(name));
  }

  /** Spread a recipe over the workers, or bring its running graph in line with it. */
  async apply(ref: string, cwd: string): Promise<Applied> {
    const recipe = loadRecipe(ref, { cwd });
    const running = recipe.file ? [...this.graphs.values()].find((g) => g.recipeFile === recipe.file) : undefined;
    if (running) return this.reapply(running, recipe);
    const graph = new LabGraph(newGraphId(), recipe.name, recipe.allowCycles, recipe.maxHops, recipe.file);
    const specs = recipeSpecs(recipe, graph.id, this.host.llm);
    // The whole graph first (wire loops are refused before anything runs), then each member placed.
    for (const { spec } of specs) {
      graph.addMember(spec);
      graph.fromRecipe.add(spec.name);
    }
    graph.wireRecipe(recipe);
    this.graphs.set(graph.id, graph);
    const nodes: Record<string, string> = {};
    for (const { spec, placement } of specs) nodes[spec.name] = await this.host.spawn(spec, placement);
    await this.pushWires(graph);
    this.host.save(graph);
    return { graph: graph.id, nodes };
  }

  private async reapply(graph: LabGraph, recipe: Recipe): Promise<Applied> {
    const specs = recipeSpecs(recipe, graph.id, this.host.llm);
    const wanted = new Set(specs.map((s) => s.spec.name));
    const removed = [...graph.fromRecipe].filter((name) => !wanted.has(name));
    for (const name of removed) await this.removeMember(graph, name, false);
    for (const channel of specs[0]?.spec.channels ?? []) {
      if (graph.topology.channel(channel.name)) continue;
      graph.topology.addChannel(channel);
      await this.tellGraph(graph, { op: 'channel-add', channel });
    }
    const added = specs.filter(({ spec }) => !graph.fromRecipe.has(spec.name));
    for (const { spec } of added) {
      graph.addMember(spec);
      graph.fromRecipe.add(spec.name);
    }
    // The recipe's wires are the recipe's again (wires added by group_wire stay).
    for (const wire of graph.topology.wires()) if (graph.recipeWires.has(wire.id)) graph.topology.removeWire(wire.id);
    graph.wireRecipe(recipe);
    const nodes: Record<string, string> = {};
    for (const { spec, placement } of added) nodes[spec.name] = await this.host.spawn({ ...spec, channels: graph.channels() }, placement);
    for (const { spec } of specs) nodes[spec.name] ??= this.host.whereIs(spec.name)?.node ?? '?';
    await this.pushWires(graph);
    this.host.save(graph);
    return { graph: graph.id, nodes, added: added.map((a) => a.spec.name), removed };
  }

  /** Stop a member on its worker and take it out of its graph (its wires go with it). */
  async removeMember(graph: LabGraph, name: string, push = true): Promise<void> {
    const where = this.host.whereIs(name);
    if (where && where.status !== 'failed') await this.host.askWorker(where.node, { op: 'stop', name });
    this.host.forget(name);
    graph.removeMember(name);
    graph.fromRecipe.delete(name);
    this.wired.delete(name);
    this.halted.delete(name);
    if (push) await this.pushWires(graph);
  }

  /** Each source's ordered wire list to its worker (only those that have wires, or had). */
  async pushWires(graph: LabGraph, only?: string[]): Promise<void> {
    const sources = only ?? graph.topology.toJSON().creatures.map((c) => c.name);
    for (const source of sources) {
      const wires = graph.topology.wiresFrom(source);
      if (!wires.length && !this.wired.has(source)) continue;
      const where = this.host.whereIs(source);
      if (!where || where.status === 'failed') continue;
      await this.host.askWorker(where.node, { op: 'wires', source, wires, maxHops: graph.maxHops });
      if (wires.length) this.wired.add(source);
      else this.wired.delete(source);
    }
  }

  /** A request to every worker running a member of the graph. */
  async tellGraph(graph: LabGraph, op: GraphOp): Promise<void> {
    const nodes = new Set(graph.topology.toJSON().creatures.map((c) => this.host.whereIs(c.name)).filter((w) => w && w.status !== 'failed').map((w) => w!.node));
    for (const node of nodes) await this.host.askWorker(node, op);
  }

  status(graph: LabGraph): GroupStatus {
    const t = graph.topology;
    return {
      team: graph.name,
      creatures: t.toJSON().creatures.map((c) => {
        const where = this.host.whereIs(c.name);
        return {
          name: c.name,
          id: where?.id ?? c.name,
          state: this.halted.has(c.name) ? 'stopped' : (where?.status ?? 'unplaced'),
          privileged: c.privileged,
          ...(c.parent ? { parent: c.parent } : {}),
          listen: t.listensTo(c.name),
          canSend: t.sendsTo(c.name),
          ...(where ? { node: where.node } : {}),
        };
      }),
      channels: t.channelList().map((c) => ({ name: c.name, type: c.type, description: c.description, listeners: t.listenersOf(c.name) })),
      wires: t.wires().map((w) => ({ id: w.id, from: w.from, to: w.to, withContent: w.withContent })),
    };
  }

  /** A group tool's call from a lab creature (refusals are errors the model reads). */
  async group(request: GroupRequest): Promise<unknown> {
    const value = await this.act(request);
    if (request.call !== 'status' && request.call !== 'direct') {
      const graph = this.graphs.get(request.graph);
      if (graph) this.host.save(graph);
    }
    return value;
  }

  private async act(request: GroupRequest): Promise<unknown> {
    const graph = this.graphs.get(request.graph);
    if (!graph) throw new UsageError(`the lab host knows no graph '${request.graph}'`);
    const t = graph.topology;
    const self = request.from;
    const privileged = t.creature(self)?.privileged === true;
    const must = (what: string) => {
      if (!privileged) throw new UsageError(`only a privileged member (the team's coordinator) may ${what}; '${self}' is not one`);
    };
    const member = (name: string) => {
      const found = t.creature(name);
      if (!found) throw new UsageError(`no creature '${name}' in the team; members: ${t.toJSON().creatures.map((c) => c.name).join(', ')}`);
      return found;
    };
    const nodeOf = (name: string) => {
      const where = this.host.whereIs(member(name).name);
      if (!where || where.status === 'failed') throw new UsageError(`'${name}' is not running on any worker`);
      return where.node;
    };
    switch (request.call) {
      case 'status':
        return this.status(graph);
      case 'direct': {
        const target = member(request.to);
        if (!privileged && !target.privileged) throw new UsageError(`'${self}' may message only privileged members directly (${t.toJSON().creatures.filter((c) => c.privileged).map((c) => c.name).join(', ') || 'none'}); use a channel to reach '${target.name}'`);
        return true;
      }
      case 'add': {
        must('add members');
        const { ref, options } = request;
        const missing = [...(options.listen ?? []), ...(options.canSend ?? [])].filter((ch) => !t.channel(ch));
        if (missing.length) throw new UsageError(`there is no channel ${missing.map((ch) => `'${ch}'`).join(', ')}; create it first with group_channel (channels: ${t.channelList().map((c) => c.name).join(', ') || 'none'})`);
        const folder = options.pwd ?? this.host.pwd;
        const name = options.name ?? loadCreature(ref, { cwd: folder }).name;
        if (t.creature(name) || this.host.whereIs(name)) throw new UsageError(`the lab has a creature named '${name}' already`);
        const spec: SpawnSpec = { graph: graph.id, name, config: { base_config: ref, name }, folder, listen: options.listen ?? [], canSend: options.canSend ?? [], privileged: false, channels: graph.channels(), ...(options.llm ?? this.host.llm ? { llm: (options.llm ?? this.host.llm) as string } : {}) };
        await this.host.spawn(spec);
        graph.addMember(spec, self);
        graph.added.set(name, { ref, config: spec.config, privileged: false, parent: self, pwd: folder, ...(spec.llm ? { llm: spec.llm } : {}) });
        return { name, id: this.host.whereIs(name)?.id ?? name };
      }
      case 'remove': {
        must('remove members');
        if (member(request.name).privileged) throw new UsageError(`'${request.name}' is privileged and cannot be removed by a tool`);
        await this.removeMember(graph, request.name);
        return null;
      }
      case 'start':
        must('start members');
        await this.host.askWorker(nodeOf(request.name), { op: 'resume', name: request.name });
        this.halted.delete(request.name);
        return null;
      case 'stop':
        must('stop members');
        if (request.name === self) throw new UsageError('a member cannot stop itself');
        await this.host.askWorker(nodeOf(request.name), { op: 'halt', name: request.name });
        this.halted.add(request.name);
        return null;
      case 'channel':
        must('change channels');
        return this.channel(graph, self, request);
      case 'wire': {
        must('change output wires');
        const { options } = request;
        if (request.action === 'remove') {
          if (!options.edgeId) throw new UsageError('removing a wire needs its edge_id (see group_status)');
          const wire = t.removeWire(options.edgeId);
          if (!wire) return `there is no wire ${options.edgeId}`;
          await this.pushWires(graph, [wire.from]);
          return `wire ${options.edgeId} removed`;
        }
        if (!options.to) throw new UsageError('adding a wire needs `to`');
        const from = member(options.from ?? self).name;
        const to = member(options.to).name;
        const wire = graph.wire(from, to, {
          ...(options.withContent !== undefined ? { withContent: options.withContent } : {}),
          ...(options.prompt ? { prompt: options.prompt } : {}),
          ...(options.promptFormat ? { promptFormat: options.promptFormat } : {}),
          ...(options.allowSelfTrigger !== undefined ? { allowSelfTrigger: options.allowSelfTrigger } : {}),
        });
        await this.pushWires(graph, [from]);
        return `wire ${wire.id}: ${from} → ${to}`;
      }
    }
  }

  private async channel(graph: LabGraph, self: string, request: Extract<GroupRequest, { call: 'channel' }>): Promise<string> {
    const t = graph.topology;
    const { action, channel, options } = request;
    if (action === 'create') {
      const existing = t.channel(channel);
      if (existing && options.type && existing.type !== options.type) throw new UsageError(`channel '${channel}' is a ${existing.type} channel`);
      const info = { name: channel, type: options.type ?? existing?.type ?? 'broadcast', description: options.description ?? existing?.description ?? '' };
      t.addChannel(info);
      await this.tellGraph(graph, { op: 'channel-add', channel: info });
      return `channel '${channel}' created`;
    }
    if (action === 'delete') {
      if (!t.channel(channel)) return `there is no channel '${channel}'`;
      if (t.creature(channel)) throw new UsageError(`'${channel}' is a creature's direct channel; remove the creature instead`);
      t.removeChannel(channel);
      await this.tellGraph(graph, { op: 'channel-remove', name: channel });
      return `channel '${channel}' deleted`;
    }
    const creature = options.creature ?? self;
    const info = t.channel(channel);
    if (!info) throw new UsageError(`there is no channel '${channel}'; channels: ${t.channelList().map((c) => c.name).join(', ')}`);
    if (!t.creature(creature)) throw new UsageError(`no creature '${creature}' in the team`);
    const on = action === 'wire';
    const direction = options.direction ?? 'listen';
    const where = this.host.whereIs(creature);
    if (!where || where.status === 'failed') throw new UsageError(`'${creature}' is not running on any worker`);
    await this.host.askWorker(where.node, { op: 'edge', creature, channel: info, direction, on });
    if (direction === 'listen') t.setListen(creature, channel, on);
    else t.setSend(creature, channel, on);
    return `${creature} ${on ? 'now' : 'no longer'} ${direction === 'listen' ? 'listens on' : 'sends to'} '${channel}'`;
  }
}
