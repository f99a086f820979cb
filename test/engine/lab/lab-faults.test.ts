/**
 * Faults in a lab on a real nats-server: a worker that goes silent is failed
 * within a heartbeat interval and its creature continues on another worker
 * from the host's copy of its log; a host that restarts loses no event and
 * stores none twice (JetStream keeps them while it is away).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { LabHost } from '../../../source/engine/lab/host.js';
import { LabWorker } from '../../../source/engine/lab/worker.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../fakes/openai-server.js';
import { startNats, type NatsServer } from './nats-server.js';

installBuiltins();

let nats: NatsServer;
let openai: FakeOpenAIServer;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  nats = await startNats();
  openai = await startFakeOpenAI({ responder: () => ({ text: 'noted' }) });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await nats?.kill();
  await openai?.close();
});

const tmp = (what: string) => mkdtempSync(join(tmpdir(), `kt-lab-${what}-`));

async function worker(lab: string, node: string): Promise<LabWorker> {
  const home = tmp('home');
  const w = await LabWorker.start({
    url: nats.url, token: nats.token, lab, node, heartbeatMs: 1000,
    team: { env: { KT_CONFIG_DIR: home, KT_HOME: home, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseURL }, pwd: tmp('pwd'), llm: 'openai/test-model' },
  });
  closers.push(() => w.close());
  return w;
}

/** The host's clock: heartbeats are judged by it, and only when the test calls `checkWorkers`. */
const clock = { t: 1_000_000 };

async function host(lab: string, sessionDir = tmp('host')): Promise<LabHost> {
  const h = await LabHost.start({ url: nats.url, token: nats.token, lab, sessionDir, checkEveryMs: 0, now: () => clock.t });
  closers.push(() => h.close());
  return h;
}

function next(h: LabHost, what: string): Promise<string> {
  return new Promise((resolve) => {
    const off = h.on((kind, node) => {
      if (kind !== what) return;
      off();
      resolve(node);
    });
  });
}

/** The host hears a heartbeat `w` sends now (and whatever was sent before it). */
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

async function joined(h: LabHost, nodes: string[]): Promise<void> {
  while (nodes.some((n) => !h.status().workers.some((w) => w.node === n && w.status === 'alive'))) await next(h, 'joined');
}

const spec = (name: string, graph: string) => ({ graph, name, config: { name }, folder: tmpdir(), listen: [], canSend: [], privileged: false, channels: [] });

function turnEnds(path: string, creature: string): number {
  try {
    const reader = new SessionReader(path);
    try {
      return [...reader.events({ types: ['turn.end'] })].filter((e) => e.agentPath.length === 1 && e.agentPath[0] === creature).length;
    } finally {
      reader.close();
    }
  } catch {
    return 0;
  }
}

describe('lab faults', () => {
  it('a worker that goes silent is failed, and its creature continues elsewhere with its conversation', async () => {
    const h = await host('fail');
    const wx = await worker('fail', 'wx');
    const wy = await worker('fail', 'wy');
    await joined(h, ['wx', 'wy']);
    expect(await h.spawn(spec('keeper', 'graph_fail'), { node: 'wx' })).toBe('wx');
    await h.chat('keeper', 'remember the word kumquat');
    await h.events.until(() => turnEnds(h.events.pathOf('graph_fail'), 'keeper') === 1);
    const failed = next(h, 'failed');
    const restarted = next(h, 'restarted');
    // Gone without a goodbye: its connection drops, its heartbeats stop; a heartbeat's worth of time later, wy still beats.
    await wx.nc.close();
    await heardFrom(h, wy);
    clock.t += 60_000;
    await heardFrom(h, wy);
    h.checkWorkers();
    expect(await failed).toBe('wx');
    expect(h.status().workers.find((w) => w.node === 'wx')?.status).toBe('failed');
    expect(await restarted).toBe('keeper@wy');
    const reply = await h.chat('keeper', 'what was the word?');
    expect(reply.text).toBe('noted');
    // The model saw the conversation from before the move.
    const last = openai.requests.at(-1)!.body as { messages: Array<{ content: unknown }> };
    expect(JSON.stringify(last.messages)).toContain('kumquat');
    await h.events.until(() => turnEnds(h.events.pathOf('graph_fail'), 'keeper') === 2);
  });

  it('a host restart loses no event and stores none twice', async () => {
    const dir = tmp('host');
    const h1 = await host('restart', dir);
    const w = await worker('restart', 'solo');
    await joined(h1, ['solo']);
    await h1.spawn(spec('steady', 'graph_restart'));
    await h1.chat('steady', 'one');
    await h1.events.until(() => turnEnds(h1.events.pathOf('graph_restart'), 'steady') === 1);
    await h1.close();
    // While no host runs, the creature works on; its events wait in the stream.
    const member = w.team.require('steady');
    await member.run('two');
    await member.run('three');
    await w.tee.settled();
    const h2 = await host('restart', dir);
    await h2.events.until(() => turnEnds(h2.events.pathOf('graph_restart'), 'steady') === 3);
    const reader = new SessionReader(h2.events.pathOf('graph_restart'));
    const events = [...reader.events()];
    reader.close();
    const keys = events.map((e) => `${e.creatureId}|${e.agentPath.join('/')}|${e.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(events.filter((e) => e.type === 'turn.start').length).toBe(3);
  });
});
