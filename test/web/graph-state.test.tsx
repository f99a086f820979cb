import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AgentEvent, EventDraft } from '../../source/engine/events.js';
import { TerrariumGraph } from '../../source/web/components/graph-view.js';
import { startRequest } from '../../source/web/components/session-list.js';
import { emptyGraph, layoutGraph, reduceGraph, shownChannels, withMembers, withTopology, type TopologyData } from '../../source/web/state/graph.js';

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
    expect(state.traffic['tasks']).toEqual({ count: 2, last: { sender: 'lead', content: 'and test it', seq: 3 } });
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
