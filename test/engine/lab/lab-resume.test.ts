/**
 * `kt lab resume` on a real nats-server: a graph runs, its host and workers
 * stop; a fresh host and a fresh worker (another name, so pinned members go
 * where there is room) place the saved graph again through the host request,
 * each member continuing its conversation and the wires working again. A file
 * from another folder is copied into the host's folder first.
 */
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { askHost } from '../../../source/engine/lab/host-client.js';
import { LabHost } from '../../../source/engine/lab/host.js';
import type { Resumed } from '../../../source/engine/lab/host-resume.js';
import { LabWorker } from '../../../source/engine/lab/worker.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../fakes/openai-server.js';
import { startNats, type NatsServer } from './nats-server.js';

installBuiltins();

let nats: NatsServer;
let openai: FakeOpenAIServer;
const closers: Array<() => Promise<void>> = [];
const tmp = (what: string) => mkdtempSync(join(tmpdir(), `kt-lab-${what}-`));

beforeAll(async () => {
  nats = await startNats();
  openai = await startFakeOpenAI({ responder: () => ({ text: 'noted' }) });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await nats?.kill();
  await openai?.close();
});

async function worker(lab: string, node: string): Promise<LabWorker> {
  const home = tmp('home');
  const w = await LabWorker.start({
    url: nats.url, token: nats.token, lab, node, heartbeatMs: 5000,
    team: { env: { KT_CONFIG_DIR: home, KT_HOME: home, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseURL }, pwd: tmp('pwd'), llm: 'openai/test-model' },
  });
  closers.push(() => w.close());
  return w;
}

async function host(lab: string, sessionDir: string): Promise<LabHost> {
  const h = await LabHost.start({ url: nats.url, token: nats.token, lab, sessionDir, llm: 'openai/test-model', checkEveryMs: 0, heartbeatMs: 0 });
  closers.push(() => h.close());
  return h;
}

async function heardFrom(h: LabHost, w: LabWorker): Promise<void> {
  const heard = new Promise<void>((resolve) => {
    const off = h.on((kind, node) => {
      if (kind !== 'beat' || node !== w.options.node) return;
      off();
      resolve();
    });
  });
  w.beat();
  await heard;
}

function turnEnds(h: LabHost, graph: string, creature: string): number {
  const reader = new SessionReader(h.events.pathOf(graph));
  try {
    return [...reader.events({ types: ['turn.end'] })].filter((e) => e.agentPath.length === 1 && e.agentPath[0] === creature).length;
  } finally {
    reader.close();
  }
}

const RECIPE = `
name: relay
creatures:
  - { name: alice, node: worker-a, output_wiring: [bob] }
  - { name: bob, node: worker-b }
`;

/** A graph run to one remembered turn of bob, then host and workers stopped; returns its file. */
async function runAndStop(lab: string, dir: string): Promise<{ graph: string; file: string }> {
  const h = await host(lab, dir);
  const a = await worker(lab, 'worker-a');
  const b = await worker(lab, 'worker-b');
  await heardFrom(h, a);
  await heardFrom(h, b);
  const recipe = join(tmp('recipe'), 'terrarium.yaml');
  writeFileSync(recipe, RECIPE);
  const { graph } = await h.applyRecipe(recipe);
  await h.chat('bob', 'remember the word apple');
  await h.events.until(() => turnEnds(h, graph, 'bob') === 1);
  await a.close();
  await b.close();
  await h.close();
  return { graph, file: h.events.pathOf(graph) };
}

const connect = (lab: string) => ({ url: nats.url, token: nats.token, lab });

describe('kt lab resume', () => {
  it('places a saved graph onto fresh workers; members continue their conversations and wires work', async () => {
    const dir = tmp('host');
    const { graph } = await runAndStop('resume', dir);

    const h = await host('resume', dir);
    const c = await worker('resume', 'worker-c');
    await heardFrom(h, c);
    // Found by the start of its name, as kt resume finds sessions; the pinned workers are gone, so both go to worker-c.
    const resumed = await askHost<Resumed>(connect('resume'), { op: 'resume', session: graph.slice(0, 12) });
    expect(resumed).toEqual({ graph, nodes: { alice: 'worker-c', bob: 'worker-c' }, running: [] });
    expect(h.status().creatures.map((x) => `${x.name}@${x.node}:${x.status}`).sort()).toEqual(['alice@worker-c:running', 'bob@worker-c:running']);

    const reply = await askHost<{ status: string; text: string }>(connect('resume'), { op: 'chat', name: 'bob', text: 'what was the word?' });
    expect(reply).toEqual({ status: 'completed', text: 'noted' });
    expect(JSON.stringify(openai.requests.at(-1)!.body)).toContain('remember the word apple');
    // alice's wire to bob was pushed again: her turn end starts one of bob's.
    await h.chat('alice', 'pass it on');
    await h.events.until(() => turnEnds(h, graph, 'bob') === 3);

    // Resumed again while it runs: nothing is placed twice.
    expect(await h.resume(graph)).toEqual({ graph, nodes: { alice: 'worker-c', bob: 'worker-c' }, running: ['alice', 'bob'] });
    expect(c.team.listCreatures().map((m) => m.name).sort()).toEqual(['alice', 'bob']);
  });

  it('a graph file from another folder is copied into the host folder and resumed; an unknown name is refused', async () => {
    const { graph, file } = await runAndStop('copy', tmp('old-host'));
    const elsewhere = join(tmp('saved'), 'kept.kohakutr');
    copyFileSync(file, elsewhere);

    const dir = tmp('new-host');
    const h = await host('copy', dir);
    const c = await worker('copy', 'worker-c');
    await heardFrom(h, c);
    const resumed = await h.resume(elsewhere);
    expect(resumed.nodes).toEqual({ alice: 'worker-c', bob: 'worker-c' });
    expect(existsSync(join(dir, `${graph}.kohakutr`))).toBe(true);
    expect((await h.chat('bob', 'and the word?')).text).toBe('noted');
    expect(JSON.stringify(openai.requests.at(-1)!.body)).toContain('remember the word apple');
    await expect(askHost(connect('copy'), { op: 'resume', session: 'no-such-graph' })).rejects.toThrow(/no session matches 'no-such-graph'/);
  });
});
