/**
 * The studio of `kt serve --mode lab-host`, in-process, on a real
 * nats-server: GET /api/lab lists the lab's creatures with their worker and
 * state, and the lab's graph file is among the saved sessions.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../source/builtins/index.js';
import { sessionHome } from '../../source/engine/home.js';
import { labRig } from '../engine/lab/rig.js';
import { api, startHarness, type Harness } from './harness.js';

installBuiltins();

const rig = labRig({ heartbeatMs: 5000, hostOptions: { llm: 'openai/test-model', checkEveryMs: 0, heartbeatMs: 0 } });
const { tmp, closers } = rig;

describe('studio of a lab host', () => {
  it('GET /api/lab shows each creature with its worker and state; the graph is a saved session', async () => {
    const plain = await startHarness();
    closers.push(() => plain.close());
    expect((await api(plain, 'GET', '/api/lab')).json).toEqual({ lab: null, workers: [], creatures: [] });

    const env = { KT_CONFIG_DIR: tmp('cfg'), KT_HOME: tmp('home') };
    // The studio reads the same home as the workers: its sessions folder holds the lab's graph files.
    const host = await rig.host('api', { sessionDir: join(sessionHome(env), 'lab') });
    const w = await rig.worker('api', 'worker-a', { team: { env: rig.env(env) } });
    await rig.heardFrom(host, w);
    const { graph } = await host.applyRecipe(rig.recipeFile('name: pair\ncreatures:\n  - { name: alice }\n  - { name: bob }\n'));

    const h: Harness = await startHarness({ server: { lab: host, studio: { env } } });
    closers.push(() => h.close());
    const lab = (await api(h, 'GET', '/api/lab')).json;
    expect(lab.lab).toBe('api');
    expect(lab.creatures.map((c: { name: string; node: string; status: string; graph: string }) => `${c.name}@${c.node}:${c.status}:${c.graph === graph}`).sort()).toEqual(['alice@worker-a:running:true', 'bob@worker-a:running:true']);
    expect(lab.workers.map((x: { node: string; status: string }) => `${x.node}:${x.status}`)).toEqual(['worker-a:alive']);
    const saved = (await api(h, 'GET', '/api/saved')).json;
    expect(saved.sessions.map((s: { name: string }) => s.name)).toContain(graph);
    // …and opens like any saved session (it lives in the lab/ folder of the session folder).
    const detail = await api(h, 'GET', `/api/saved/${graph}`);
    expect(detail.status).toBe(200);
    const events = await api(h, 'GET', `/api/saved/${graph}/events`);
    expect(events.status).toBe(200);
  });
});
