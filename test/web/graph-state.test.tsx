import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AgentEvent, EventDraft } from '../../source/engine/events.js';
import { TerrariumGraph } from '../../source/web/components/graph-view.js';
import { startRequest } from '../../source/web/components/session-list.js';
import { memberSessions } from '../../source/web/components/graph-view.js';
import { emptyGraph, foldSessionEvents, layoutGraph, reduceGraph, shownChannels, withMembers, withTopology, type TopologyData } from '../../source/web/state/graph.js';

let seq = 0;
const ev = (creature: string, draft: EventDraft): AgentEvent => ({ seq: ++seq, ts: 0, sessionId: 's', creatureId: creature, turnId: null, agentPath: [creature], ...draft }) as AgentEvent;
const usage = { inputTokens: 0, outputTokens: 0 } as never;

const team: TopologyData = {
  creatures: [
    { name: 'lead', privileged: true },
    { name: 'coder', privileged: false },
  ],
  channels: [
    { name: 'tasks', type: 'queue', description: 'work' },
    { name: 'lead', type: 'broadcast', description: 'direct' },
    { name: 'coder', type: 'broadcast', description: 'direct' },
  ],
  listen: [
    ['coder', 'tasks'],
    ['lead', 'lead'],
    ['coder', 'coder'],
  ],
  send: [['lead', 'tasks']],
  wires: [{ id: 'w1', from: 'coder', to: 'lead', withContent: true, allowSelfTrigger: false }],
};

describe('terrarium graph', () => {
  it('counts channel traffic and who is working', () => {
    seq = 0;
    const state = [
      ev('lead', { type: 'turn.start', turnIndex: 1, branch: 1, input: 'go', source: 'user' }),
      ev('lead', { type: 'channel.message', channel: 'tasks', sender: 'lead', content: 'fix the bug', messageId: 'm1' }),
      ev('lead', { type: 'channel.message', channel: 'tasks', sender: 'lead', content: 'and test it', messageId: 'm2' }),
      ev('coder', { type: 'turn.start', turnIndex: 1, branch: 1, input: 'fix', source: 'wire' }),
      ev('lead', { type: 'turn.end', turnIndex: 1, status: 'completed', text: '', usage, steps: 1, toolCalls: 0, durationMs: 1 }),
    ].reduce(reduceGraph, withTopology(emptyGraph, team));
    expect(state.traffic['tasks']).toEqual({ count: 2, last: { sender: 'lead', content: 'and test it', at: 3 } });
    expect(state.working).toEqual({ lead: false, coder: true });
    expect(state.wired).toEqual({ coder: 1 });
  });

  it('grows from events alone when no topology is known', () => {
    seq = 0;
    const state = [ev('a', { type: 'channel.message', channel: 'news', sender: 'a', content: 'hi', messageId: 'm' })].reduce(reduceGraph, emptyGraph);
    expect(state.topology.creatures.map((c) => c.name)).toEqual(['a']);
    expect(state.topology.channels.map((c) => c.name)).toEqual(['news']);
    expect(state.topology.send).toEqual([['a', 'news']]);
  });

  it('lays out deterministically, direct channels drawn on their creature', () => {
    expect(shownChannels(team).map((c) => c.name)).toEqual(['tasks']);
    const at = layoutGraph(team);
    expect(layoutGraph(team)).toEqual(at);
    expect(Object.keys(at.channels)).toEqual(['tasks']);
    expect(at.creatures['lead']).not.toEqual(at.creatures['coder']);
  });

  it('draws nodes, edges and wires', () => {
    seq = 0;
    const state = reduceGraph(withTopology(emptyGraph, team), ev('lead', { type: 'channel.message', channel: 'tasks', sender: 'lead', content: 'x', messageId: 'm' }));
    const svg = renderToStaticMarkup(<TerrariumGraph graph={state} />);
    expect(svg).toContain('aria-label="terrarium graph: 2 creatures, 1 channels"');
    expect(svg).toContain('class="node channel lit"');
    expect(svg).toContain('class="edge edge-wire"');
    expect(svg.match(/class="edge edge-send"/g)).toHaveLength(1);
    expect(svg.match(/class="edge edge-listen"/g)).toHaveLength(1);
    expect(svg).toContain('queue · 1');
  });
});

describe('a team followed on every member socket', () => {
  // Each member's live session numbers its own events from 1, as the server does.
  const member = (name: string) => {
    let n = 0;
    return (draft: EventDraft): AgentEvent => ({ seq: ++n, ts: 0, sessionId: 'team', creatureId: `${name}-id`, turnId: null, agentPath: [name], ...draft }) as AgentEvent;
  };
  const heard = (channel: string, sender: string, messageId: string, content: string): EventDraft =>
    ({ type: 'trigger.fired', triggerId: `t-${channel}`, kind: 'channel', name: channel, content: `[Channel '${channel}' from ${sender}]: ${content}`, queued: false, context: { channel, sender, messageId } }) as EventDraft;
  const start = (origin: string): EventDraft => ({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'x', source: 'trigger', origin: { kind: origin } }) as EventDraft;
  const end: EventDraft = { type: 'turn.end', turnIndex: 1, status: 'completed', text: '', usage, steps: 1, toolCalls: 0, durationMs: 1 } as EventDraft;

  it('counts a message between two members once, lights it, and tracks each member working', () => {
    const swe = member('swe');
    const reviewer = member('reviewer');
    // Both listen on team_chat; the root sends once and each hears it; then swe sends to the reviewer.
    const sweBurst = [swe(heard('team_chat', 'lead', 'm1', 'hello')), swe(start('channel')), swe(end)];
    const reviewerBurst = [reviewer(heard('team_chat', 'lead', 'm1', 'hello')), reviewer(heard('team_chat', 'swe', 'm2', 'done: patch ready')), reviewer(start('channel'))];
    let graph = withTopology(emptyGraph, team);
    graph = foldSessionEvents(graph, 't~swe', sweBurst);
    graph = foldSessionEvents(graph, 't~reviewer', reviewerBurst);
    expect(graph.traffic['team_chat']).toEqual({ count: 2, last: { sender: 'swe', content: 'done: patch ready', at: graph.clock - 1 } });
    expect(graph.working).toMatchObject({ swe: false, reviewer: true });
    // Both seqs start at 1: the same numbers from another session are new events, not repeats.
    expect(graph.seen).toEqual({ 't~swe': 3, 't~reviewer': 3 });
    expect(graph.topology.creatures.map((c) => c.name)).toEqual(['lead', 'coder', 'swe', 'reviewer']);
    expect(graph.topology.send).toEqual(expect.arrayContaining([['lead', 'team_chat'], ['swe', 'team_chat']]));
    expect(graph.topology.listen).toEqual(expect.arrayContaining([['swe', 'team_chat'], ['reviewer', 'team_chat']]));
    const svg = renderToStaticMarkup(<TerrariumGraph graph={graph} />);
    expect(svg).toContain('broadcast · 2');
  });

  it("drops what a member's socket replays after a reconnect (same session, seq already seen)", () => {
    const swe = member('swe');
    const first = [swe(heard('tasks', 'lead', 'm1', 'fix it')), swe(start('channel'))];
    const second = swe(heard('tasks', 'lead', 'm2', 'and test it'));
    let graph = foldSessionEvents(withTopology(emptyGraph, team), 't~swe', first);
    // The reconnect's replay overlaps: the first two again, then the new one.
    graph = foldSessionEvents(graph, 't~swe', [...first, second]);
    expect(graph.traffic['tasks']?.count).toBe(2);
    expect(graph.seen['t~swe']).toBe(3);
    // A wire's turn is counted for its receiver, not as channel traffic.
    const reviewer = member('reviewer');
    graph = foldSessionEvents(graph, 't~reviewer', [
      reviewer({ type: 'trigger.fired', triggerId: 'wire', kind: 'wire', name: 'wire', content: 'swe finished', queued: false, context: { wireId: 'w1', from: 'swe', hops: 1 } } as EventDraft),
      reviewer({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'x', source: 'wire', origin: { kind: 'wire' } } as EventDraft),
    ]);
    expect(graph.wired).toEqual({ reviewer: 1 });
    expect(Object.values(graph.traffic).reduce((n, t) => n + t.count, 0)).toBe(2);
  });

  it("takes the members' live session ids from the topology", () => {
    expect(memberSessions({ creatures: [{ name: 'root', privileged: true, state: 'idle', session: 't~root' }, { name: 'late', privileged: false, state: 'idle' }, { name: 'swe', privileged: false, state: 'running', session: 't~swe' }] })).toEqual(['t~root', 't~swe']);
  });
});

describe('without a topology from the server', () => {
  it('draws a team from its member names, each once, keeping creatures the events found', () => {
    const seen = reduceGraph(emptyGraph, ev('root', { type: 'turn.start', source: 'user' } as EventDraft));
    const graph = withMembers(seen, ['root', 'swe', 'reviewer']);
    expect(graph.topology.creatures.map((c) => c.name)).toEqual(['root', 'swe', 'reviewer']);
    expect(graph.working['root']).toBe(true);
  });
});

describe('starting from the session list', () => {
  it('starts a terrarium ref as a recipe and anything else as a creature', () => {
    const catalog = { creatures: [], terrariums: [{ ref: '@mine/teams/duo', name: 'duo', package: 'mine', source: 'linked' }], errors: [] };
    expect(startRequest('@kt-biome/terrariums/swe_team', null)).toEqual({ recipe: '@kt-biome/terrariums/swe_team' });
    expect(startRequest('@mine/teams/duo', catalog)).toEqual({ recipe: '@mine/teams/duo' });
    expect(startRequest('@kt-biome/creatures/swe', catalog)).toEqual({ creature: '@kt-biome/creatures/swe' });
  });
});
