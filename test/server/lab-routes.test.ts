/**
 * The studio of `kt serve --mode lab-host`, in-process, on a real
 * nats-server: GET /api/lab lists the lab's creatures with their worker and
 * state, and the lab's graph file is among the saved sessions.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBuiltins } from '../../source/builtins/index.js';
import { sessionHome } from '../../source/engine/home.js';
import { LabHost } from '../../source/engine/lab/host.js';
import { LabWorker } from '../../source/engine/lab/worker.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { startNats, type NatsServer } from '../engine/lab/nats-server.js';
import { api, startHarness, type Harness } from './harness.js';

installBuiltins();

let nats: NatsServer;
let openai: FakeOpenAIServer;
const closers: Array<() => Promise<void>> = [];
const tmp = (what: string) => mkdtempSync(join(tmpdir(), `kt-labapi-${what}-`));

beforeAll(async () => {
  nats = await startNats();
  openai = await startFakeOpenAI({ responder: () => ({ text: 'noted' }) });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await nats?.kill();
  await openai?.close();
});

describe('studio of a lab host', () => {
  it('GET /api/lab shows each creature with its worker and state; the graph is a saved session', async () => {
    const plain = await startHarness();
    closers.push(() => plain.close());
    expect((await api(plain, 'GET', '/api/lab')).json).toEqual({ lab: null, workers: [], creatures: [] });

    const env = { KT_CONFIG_DIR: tmp('cfg'), KT_HOME: tmp('home') };
    const host = await LabHost.start({ url: nats.url, token: nats.token, lab: 'api', sessionDir: join(sessionHome(env), 'lab'), llm: 'openai/test-model', checkEveryMs: 0, heartbeatMs: 0 });
    closers.push(() => host.close());
    const w = await LabWorker.start({
      url: nats.url, token: nats.token, lab: 'api', node: 'worker-a', heartbeatMs: 5000,
      team: { env: { ...env, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseURL }, pwd: tmp('pwd'), llm: 'openai/test-model' },
    });
    closers.push(() => w.close());
    const joined = new Promise<void>((resolve) => host.on((kind, node) => kind === 'beat' && node === 'worker-a' && resolve()));
    w.beat();
    await joined;
    const recipe = join(tmp('recipe'), 'terrarium.yaml');
    writeFileSync(recipe, 'name: pair\ncreatures:\n  - { name: alice }\n  - { name: bob }\n');
    const { graph } = await host.applyRecipe(recipe);

    const h: Harness = await startHarness({ server: { lab: host, studio: { env } } });
    closers.push(() => h.close());
    const lab = (await api(h, 'GET', '/api/lab')).json;
    expect(lab.lab).toBe('api');
    expect(lab.creatures.map((c: { name: string; node: string; status: string; graph: string }) => `${c.name}@${c.node}:${c.status}:${c.graph === graph}`).sort()).toEqual(['alice@worker-a:running:true', 'bob@worker-a:running:true']);
    expect(lab.workers.map((x: { node: string; status: string }) => `${x.node}:${x.status}`)).toEqual(['worker-a:alive']);
    const saved = (await api(h, 'GET', '/api/saved')).json;
    expect(saved.sessions.map((s: { name: string }) => s.name)).toContain(graph);
  });
});
