/**
 * A lab host that restarts takes its graphs back from its session files, on
 * a real nats-server: after the restart, group tools see the whole graph, a
 * recipe applied again changes the same graph, and a worker that fails later
 * has its creature moved elsewhere with its conversation and incoming wires.
 * Failures are judged on the host's injected clock; everything waits on events.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { LabHost } from '../../../source/engine/lab/host.js';
import { LabWorker } from '../../../source/engine/lab/worker.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import type { GroupStatus } from '../../../source/engine/tools/runtime.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../fakes/openai-server.js';
import { startNats, type NatsServer } from './nats-server.js';

installBuiltins();

let nats: NatsServer;
let openai: FakeOpenAIServer;
const closers: Array<() => Promise<void>> = [];
const tmp = (what: string) => mkdtempSync(join(tmpdir(), `kt-lab-${what}-`));
const clock = { t: 5_000_000 };

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
  const h = await LabHost.start({ url: nats.url, token: nats.token, lab, sessionDir, llm: 'openai/test-model', checkEveryMs: 0, now: () => clock.t });
  closers.push(() => h.close());
  return h;
}

function next(h: LabHost, what: string): Promise<string> {
  return new Promise((resolve) => {
    const off = h.on((kind, detail) => {
      if (kind !== what) return;
      off();
      resolve(detail);
    });
  });
}

/** The host hears a heartbeat `w` sends now. */
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

const recipe = (extra = '') => `
name: relay
creatures:
  - { name: alice, node: worker-a, output_wiring: [bob] }
  - { name: bob, node: worker-b }
${extra}`;

describe('host restart', () => {
  it('a restarted host recovers its graph: group tools, re-apply and a later worker failure work as before', async () => {
    const dir = tmp('host');
    const h1 = await host('recover', dir);
    const a = await worker('recover', 'worker-a');
    const b = await worker('recover', 'worker-b');
    await heardFrom(h1, a);
    await heardFrom(h1, b);
    const file = join(tmp('recipe'), 'terrarium.yaml');
    writeFileSync(file, recipe());
    const { graph } = await h1.applyRecipe(file);
    await h1.chat('bob', 'remember the word apple');
    await h1.events.until(() => turnEnds(h1, graph, 'bob') === 1);
    await h1.close();

    const h2 = await host('recover', dir);
    await heardFrom(h2, a);
    await heardFrom(h2, b);
    expect(h2.status().creatures.map((c) => `${c.name}@${c.node}:${c.status}`).sort()).toEqual(['alice@worker-a:running', 'bob@worker-b:running']);
    // Group tools act on the whole graph again (the host knows its topology and where each member runs).
    const status = (await h2.graphs.group({ op: 'group', graph, from: 'alice', call: 'status' })) as GroupStatus;
    expect(status.creatures.map((c) => [c.name, (c as { node?: string }).node, c.state])).toEqual([['alice', 'worker-a', 'running'], ['bob', 'worker-b', 'running']]);
    expect(status.wires.map((w) => `${w.from}->${w.to}`)).toEqual(['alice->bob']);
    // The same recipe file applied again changes the same graph.
    writeFileSync(file, recipe('  - { name: carol, node: worker-a }\n'));
    const again = await h2.applyRecipe(file);
    expect(again).toMatchObject({ graph, added: ['carol'], removed: [] });
    expect(a.team.getCreature('carol')?.isRunning).toBe(true);

    // worker-b goes silent: bob moves to worker-a with his conversation, and alice's wire still reaches him.
    const restarted = next(h2, 'restarted');
    await b.nc.close();
    await heardFrom(h2, a);
    clock.t += 60_000;
    await heardFrom(h2, a);
    h2.checkWorkers();
    expect(await restarted).toBe('bob@worker-a');
    expect((await h2.chat('bob', 'what was the word?')).text).toBe('noted');
    expect(JSON.stringify(openai.requests.at(-1)!.body)).toContain('apple');
    await h2.chat('alice', 'pass it on');
    await h2.events.until(() => turnEnds(h2, graph, 'bob') === 3);
    expect(a.team.getCreature('bob')?.isRunning).toBe(true);
  });
});
