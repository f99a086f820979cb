/** A live session's graph (a team's topology, or a creature alone) and its plugins, over HTTP. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CREATURE, startHarness, type Harness } from './harness.js';

const RECIPE = `name: crew
channels:
  chat: team talk
creatures:
  - name: writer
    system_prompt: I am writer.
    tools: []
    channels: { listen: [chat], can_send: [chat] }
    output_wiring: [editor]
  - name: editor
    system_prompt: I am editor.
    tools: []
    channels: { listen: [chat] }
`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  writeFileSync(join(h.workspace, 'crew.yaml'), RECIPE);
});
afterAll(async () => h?.close());

const at = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

describe('GET /api/sessions/{id}/topology', () => {
  it("gives a member the team's graph: creatures with state, graph and session, channels, edges, wires", async () => {
    const started = await api(h, 'POST', '/api/sessions', { recipe: 'crew.yaml' });
    expect(started.status).toBe(201);
    const members = started.json.team.members as Array<{ name: string; id: string }>;
    const editor = members.find((m) => m.name === 'editor')!;
    const res = await api(h, 'GET', `${at(editor.id)}/topology`);
    expect(res.status).toBe(200);
    const t = res.json;
    expect(t.team).toBe('crew');
    expect(t.creatures.map((c: { name: string }) => c.name).sort()).toEqual(['editor', 'writer']);
    for (const c of t.creatures) {
      expect(c.state).toBe('idle');
      expect(c.session).toBe(members.find((m) => m.name === c.name)!.id);
    }
    expect(t.channels.map((c: { name: string }) => c.name).sort()).toEqual(['chat', 'editor', 'writer']);
    expect(t.channels.find((c: { name: string }) => c.name === 'chat')).toMatchObject({ type: 'broadcast', description: 'team talk' });
    expect(t.listen).toEqual(expect.arrayContaining([['writer', 'chat'], ['editor', 'chat']]));
    expect(t.send).toEqual(expect.arrayContaining([['writer', 'chat']]));
    expect(t.wires).toEqual([expect.objectContaining({ from: 'writer', to: 'editor', withContent: true })]);
    // The two share a channel and a wire: one graph, and each creature names it.
    expect(t.graphs).toHaveLength(1);
    expect([...t.graphs[0].members].sort()).toEqual(['editor', 'writer']);
    for (const c of t.creatures) expect(c.graph).toBe(t.graphs[0].id);
    // Every member sees the same graph.
    const fromWriter = await api(h, 'GET', `${at(members.find((m) => m.name === 'writer')!.id)}/topology`);
    expect(fromWriter.json).toEqual(t);
    await api(h, 'DELETE', at(editor.id));
  });

  it('gives a creature alone a graph of one: itself, privileged, on its direct channel', async () => {
    const started = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const res = await api(h, 'GET', `${at(started.json.id)}/topology`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      creatures: [{ name: 't', privileged: true, state: 'idle', session: started.json.id }],
      channels: [{ name: 't', type: 'broadcast', description: 'direct messages to t' }],
      listen: [['t', 't']],
      send: [],
      wires: [],
      graphs: [],
    });
    await api(h, 'DELETE', at(started.json.id));
  });

  it('answers 404 for an unknown session', async () => {
    const res = await api(h, 'GET', `${at('nope~writer')}/topology`);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
  });
});

describe('/api/sessions/{id}/plugins', () => {
  it('lists plugins, switches one on and off, and sets one up with new options', async () => {
    const started = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const id = started.json.id as string;
    const listed = await api(h, 'GET', `${at(id)}/plugins`);
    expect(listed.status).toBe(200);
    const budget = listed.json.plugins.find((p: { name: string }) => p.name === 'budget');
    expect(budget).toMatchObject({ name: 'budget', enabled: false, loaded: false, priority: expect.any(Number), description: expect.any(String) });

    const on = await api(h, 'POST', `${at(id)}/plugins/budget`, { enabled: true });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ name: 'budget', enabled: true, loaded: true });
    const configured = await api(h, 'POST', `${at(id)}/plugins/budget`, { options: { turn_budget: [5, 10] } });
    expect(configured.json).toMatchObject({ name: 'budget', enabled: true });
    const off = await api(h, 'POST', `${at(id)}/plugins/budget`, { enabled: false });
    expect(off.json).toMatchObject({ name: 'budget', enabled: false, loaded: true });
    expect((await api(h, 'GET', `${at(id)}/plugins`)).json.plugins.find((p: { name: string }) => p.name === 'budget').enabled).toBe(false);
    await api(h, 'DELETE', at(id));
  });

  it('bad options are a 400 naming the option, and the plugin stays as it was', async () => {
    const started = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const id = started.json.id as string;
    await api(h, 'POST', `${at(id)}/plugins/budget`, { options: { turn_budget: [1, 2] } });
    const bad = await api(h, 'POST', `${at(id)}/plugins/budget`, { options: { turn_budget: [9, 3] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('options.turn_budget');
    expect(bad.json.error.message).toContain('soft limit');
    expect(bad.json.error.message).not.toContain('\n');
    const after = (await api(h, 'GET', `${at(id)}/plugins`)).json.plugins.find((p: { name: string }) => p.name === 'budget');
    expect(after).toMatchObject({ enabled: true, loaded: true });
    await api(h, 'DELETE', at(id));
  });

  it('refuses an empty change naming the field, and an unknown plugin or session with 404', async () => {
    const started = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const id = started.json.id as string;
    expect((await api(h, 'POST', `${at(id)}/plugins/budget`, {})).json.error.field).toBe('json.enabled');
    expect((await api(h, 'POST', `${at(id)}/plugins/budget`, { enabled: 'yes' })).json.error.field).toBe('json.enabled');
    expect((await api(h, 'POST', `${at(id)}/plugins/no-such-plugin`, { enabled: true })).status).toBe(404);
    expect((await api(h, 'GET', `${at('nope')}/plugins`)).status).toBe(404);
    await api(h, 'DELETE', at(id));
  });
});
