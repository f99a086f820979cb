/** The studio's core routes against a real server: start, talk, interrupt, interactions, stop, saved sessions, errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/until.js';
import { api, CREATURE, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ script: [{ text: 'hello from the creature' }] });
});
afterAll(async () => h?.close());

async function turnEnds(id: string, count: number) {
  return until(async () => {
    const page = await api(h, 'GET', `/api/sessions/${id}/events?since=0`);
    const ends = page.json.events.filter((e: { type: string }) => e.type === 'turn.end');
    return ends.length >= count ? page.json.events : undefined;
  }, `${count} turn.end events`);
}

describe('health and contract', () => {
  it('healthz and readyz answer', async () => {
    expect((await api(h, 'GET', '/healthz')).json.status).toBe('ok');
    const ready = await api(h, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ ready: true, checks: { store: true, engine: true } });
  });

  it('serves an OpenAPI document generated from the route schemas, and request ids', async () => {
    const doc = await api(h, 'GET', '/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining(['/api/sessions', '/api/sessions/{id}/interactions/{iid}', '/api/saved/{name}/fork', '/healthz']));
    expect(doc.headers.get('x-request-id')).toMatch(/[\w-]{8,}/);
    expect((await api(h, 'GET', '/healthz', undefined, { 'x-request-id': 'abc-123' })).headers.get('x-request-id')).toBe('abc-123');
  });
});

describe('live sessions', () => {
  it('starts a creature, runs a turn, lists it, stops it, and the saved session can be read, searched and forked', async () => {
    const started = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    expect(started.status).toBe(201);
    const { id, name } = started.json;
    expect(started.json.creature).toBe('t');
    expect((await api(h, 'GET', '/api/sessions')).json.sessions.map((s: { id: string }) => s.id)).toContain(id);

    const sent = await api(h, 'POST', `/api/sessions/${id}/input`, { text: 'say hello' });
    expect(sent.status).toBe(202);
    const events = await turnEnds(id, 1);
    const seqs = events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(events.find((e: { type: string }) => e.type === 'turn.end').text ?? '').toContain('hello from the creature');

    expect((await api(h, 'GET', `/api/sessions/${id}/events?since=${seqs.at(-1)}`)).json.events).toEqual([]);
    expect((await api(h, 'DELETE', `/api/sessions/${id}`)).json).toEqual({ stopped: true });
    expect((await api(h, 'GET', `/api/sessions/${id}`)).status).toBe(404);

    const saved = await api(h, 'GET', '/api/saved');
    expect(saved.json.sessions.map((s: { name: string }) => s.name)).toContain(name);
    const detail = await api(h, 'GET', `/api/saved/${name}`);
    expect(detail.json.turns[0]).toMatchObject({ input: 'say hello', text: expect.stringContaining('hello from the creature') });
    // The replay view pages through a saved session's events in log order.
    const all = await api(h, 'GET', `/api/saved/${name}/events`);
    expect(all.json.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['creature.start', 'turn.start', 'turn.end']));
    const page = await api(h, 'GET', `/api/saved/${name}/events?since=1&limit=2`);
    expect(page.json.events).toHaveLength(2);
    expect(page.json.events[0].eventId).toBe(2);
    expect((await api(h, 'GET', `/api/saved/${name}/events?limit=0`)).status).toBe(400);
    const hits = await api(h, 'GET', `/api/saved/search?q=${encodeURIComponent('hello')}`);
    expect(hits.json.hits.map((x: { session: string }) => x.session)).toContain(name);
    const fork = await api(h, 'POST', `/api/saved/${name}/fork`, {});
    expect(fork.status).toBe(201);
    expect(fork.json.name).not.toBe(name);
    expect((await api(h, 'GET', `/api/saved/${fork.json.name}`)).json.turns).toHaveLength(1);

    // Resume: the same file goes on as a live session.
    const resumed = await api(h, 'POST', `/api/saved/${name}/resume`, {});
    expect(resumed.status).toBe(201);
    expect(resumed.json.turns).toBe(1);
    await api(h, 'DELETE', `/api/sessions/${resumed.json.id}`);
  });

  it('interrupts a running turn and answers an interaction over HTTP', async () => {
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const waiting = h.llm.hold();
    await api(h, 'POST', `/api/sessions/${s.id}/input`, { text: 'wait here' });
    await waiting;
    expect((await api(h, 'POST', `/api/sessions/${s.id}/interrupt`)).json).toEqual({ interrupted: true });
    h.llm.release();
    const events = await turnEnds(s.id, 1);
    expect(events.find((e: { type: string }) => e.type === 'turn.end').status).toBe('interrupted');

    // An interaction the creature opens (through the public Interactions API) is answered by POST.
    const live = h.server.studio.session(s.id);
    const asked = live.agent.interactions.request('confirm', { question: 'go on?' });
    const pending = (await api(h, 'GET', `/api/sessions/${s.id}`)).json.pending;
    expect(pending).toHaveLength(1);
    expect((await api(h, 'POST', `/api/sessions/${s.id}/interactions/nope`, { reply: true })).status).toBe(404);
    expect((await api(h, 'POST', `/api/sessions/${s.id}/interactions/${pending[0].id}`, { reply: true })).json).toEqual({ answered: true });
    await expect(asked).resolves.toBe(true);
    await api(h, 'DELETE', `/api/sessions/${s.id}`);
  });
});

describe('bad input', () => {
  it('names the malformed field with a 400', async () => {
    const missing = await api(h, 'POST', '/api/sessions', {});
    expect(missing.status).toBe(400);
    expect(missing.json.error.field).toBe('json.creature');
    const extra = await api(h, 'POST', '/api/sessions', { creature: CREATURE, bogus: 1 });
    expect(extra.status).toBe(400);
    const notJson = await api(h, 'POST', '/api/sessions', '{not json');
    expect(notJson.status).toBe(400);
    expect((await api(h, 'GET', '/api/saved/search')).json.error.field).toBe('query.q');
  });

  it('404s unknown ids, 413s oversize bodies, 400s an unknown creature', async () => {
    expect((await api(h, 'GET', '/api/sessions/nope')).status).toBe(404);
    expect((await api(h, 'POST', '/api/sessions/nope/input', { text: 'x' })).status).toBe(404);
    expect((await api(h, 'GET', '/api/saved/..%2Fetc')).status).toBe(404);
    expect((await api(h, 'POST', '/api/sessions/nope/input', { text: 'x'.repeat(3 * 1024 * 1024) })).status).toBe(413);
    for (const body of [{ creature: CREATURE, pwd: '/' }, { creature: CREATURE, pwd: '../..' }, { creature: '/etc' }, { recipe: '../x.yaml' }]) {
      const outside = await api(h, 'POST', '/api/sessions', body);
      expect(outside.status).toBe(400);
      expect(outside.json.error.message).toContain("outside the server's workspace");
    }
    const unknown = await api(h, 'POST', '/api/sessions', { creature: 'creatures/missing' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('missing');
  });
});

describe('catalog, settings and editors', () => {
  it('lists the bundled creatures, models and providers; keys are write-only', async () => {
    const catalog = await api(h, 'GET', '/api/catalog');
    expect(catalog.json.creatures.map((c: { ref: string }) => c.ref)).toContain('@kt-biome/creatures/general');
    expect((await api(h, 'GET', `/api/catalog/creature?ref=${encodeURIComponent(CREATURE)}`)).json.name).toBe('t');
    expect((await api(h, 'GET', '/api/settings/models')).json.models.length).toBeGreaterThan(0);
    const put = await api(h, 'PUT', '/api/settings/keys/openai', { key: 'sk-secret-value-123' });
    expect(put.json).toEqual({ provider: 'openai', hasKey: true });
    const providers = await api(h, 'GET', '/api/settings/providers');
    expect(JSON.stringify(providers.json)).not.toContain('sk-secret-value-123');
    expect(providers.json.providers.find((p: { name: string }) => p.name === 'openai').hasKey).toBe(true);
  });

  it('validates a config with line numbers, and saves only a valid one', async () => {
    const bad = await api(h, 'POST', '/api/editor/validate', { kind: 'creature', yaml: 'name: x\ncontroller:\n  temperature: hot\n' });
    expect(bad.json.valid).toBe(false);
    expect(bad.json.errors[0]).toMatchObject({ line: 3, key: 'controller.temperature' });
    const refused = await api(h, 'PUT', '/api/editor/file', { kind: 'creature', path: 'creatures/new/config.yaml', yaml: 'name: x\ncontroller:\n  temperature: hot\n' });
    expect(refused.status).toBe(422);
    const ok = await api(h, 'PUT', '/api/editor/file', { kind: 'creature', path: 'creatures/new/config.yaml', yaml: 'name: fresh\n' });
    expect(ok.status).toBe(200);
    expect((await api(h, 'GET', `/api/catalog/creature?ref=${encodeURIComponent('creatures/new')}`)).json.name).toBe('fresh');
    expect((await api(h, 'PUT', '/api/editor/file', { kind: 'creature', path: '../outside.yaml', yaml: 'name: x\n' })).status).toBe(400);
  });
});
