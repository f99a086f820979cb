/** Terrariums in the studio: a recipe starts as member sessions of one team; each streams and takes input; stopping one stops the team; the saved team resumes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/until.js';
import { api, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  writeFileSync(
    join(h.workspace, 'team.yaml'),
    // One shared channel: connected members are one graph, so one session file holds the team (disconnected members get a file each).
    ['name: duo', 'channels:', '  talk: shared', 'creatures:', '  - name: alpha', '    system_prompt: You are alpha.', '    tools: []', '    channels: { listen: [talk], can_send: [talk] }', '  - name: beta', '    system_prompt: You are beta.', '    tools: []', '    channels: { listen: [talk] }', ''].join('\n'),
  );
});
afterAll(async () => h?.close());

describe('terrarium sessions', () => {
  it('starts a recipe; every member is a session of the team; one stop stops all; the team resumes', async () => {
    const started = await api(h, 'POST', '/api/sessions', { recipe: 'team.yaml' });
    expect(started.status).toBe(201);
    const members = started.json.team.members as Array<{ name: string; id: string }>;
    expect(members.map((m) => m.name).sort()).toEqual(['alpha', 'beta']);
    expect(new Set(members.map((m) => m.id)).size).toBe(2);
    const beta = members.find((m) => m.name === 'beta')!;
    expect((await api(h, 'POST', `/api/sessions/${encodeURIComponent(beta.id)}/input`, { text: 'hello beta' })).status).toBe(202);
    await until(async () => (await api(h, 'GET', `/api/sessions/${encodeURIComponent(beta.id)}/events?since=0`)).json.events.some((e: { type: string }) => e.type === 'turn.end'), 'beta turn.end');
    const listed = (await api(h, 'GET', '/api/sessions')).json.sessions.map((s: { id: string }) => s.id);
    expect(listed).toEqual(expect.arrayContaining(members.map((m) => m.id)));

    expect((await api(h, 'DELETE', `/api/sessions/${encodeURIComponent(beta.id)}`)).status).toBe(200);
    for (const m of members) expect((await api(h, 'GET', `/api/sessions/${encodeURIComponent(m.id)}`)).status).toBe(404);

    const saved = (await api(h, 'GET', '/api/saved')).json.sessions.find((s: { name: string }) => s.name === started.json.name);
    expect(saved).toMatchObject({ live: false });
    const resumed = await api(h, 'POST', `/api/saved/${started.json.name}/resume`, {});
    expect(resumed.status).toBe(201);
    expect(resumed.json.team.members.map((m: { name: string }) => m.name).sort()).toEqual(['alpha', 'beta']);
    await api(h, 'DELETE', `/api/sessions/${encodeURIComponent(resumed.json.id)}`);
  });

  it('refuses a body with both or neither of creature and recipe, naming the field', async () => {
    expect((await api(h, 'POST', '/api/sessions', { creature: 'a', recipe: 'b' })).json.error.field).toBe('json.creature');
    expect((await api(h, 'POST', '/api/sessions', {})).json.error.field).toBe('json.creature');
  });
});
