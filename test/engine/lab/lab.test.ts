/**
 * The Laboratory against a real nats-server (JetStream, token auth): workers
 * announce themselves, the host places creatures (named node, labels,
 * least-loaded), channels carry messages between nodes with the hub's
 * semantics, and every remote event lands once in the host's session file.
 * Workers run in this process here (each its own NATS connection); the
 * e2e test runs them as separate `kt lab-client` processes.
 */
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { UsageError } from '../../../source/engine/errors.js';
import { connectLab } from '../../../source/engine/lab/connect.js';
import type { LabHost } from '../../../source/engine/lab/host.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { labRig, spec } from './rig.js';

installBuiltins();

// No failure detection here (lab-faults tests it with an injected clock): a loaded machine must not fail a worker.
const rig = labRig({ heartbeatMs: 200, hostOptions: { llm: 'openai/test-model', checkEveryMs: 0 } });
const { worker, host, joined, recipeFile } = rig;

describe('lab auth', () => {
  it('refuses to run without a token or credentials unless insecure', async () => {
    await expect(connectLab({ url: rig.nats.url })).rejects.toThrow(UsageError);
    await expect(connectLab({ url: rig.nats.url })).rejects.toThrow(/without NATS authentication/);
    // Insecure lets kt try, and the server (which wants a token) refuses it.
    await expect(connectLab({ url: rig.nats.url, insecure: true })).rejects.toThrow(/could not join the lab/);
    await expect(connectLab({ url: rig.nats.url, token: 'wrong' })).rejects.toThrow(/could not join the lab/);
    const nc = await connectLab({ url: rig.nats.url.replace('nats://', `nats://${rig.nats.token}@`) });
    await nc.close();
  });
});

describe('workers and placement', () => {
  it('workers announce capacity and labels; the host places by node, labels and load; status lists them', async () => {
    const h = await host('place');
    await worker('place', 'worker-a', { capacity: 2, labels: { gpu: 'yes' } });
    await worker('place', 'worker-b', { capacity: 4 });
    await joined(h, ['worker-a', 'worker-b']);
    expect(await h.spawn(spec('pinned', 'graph_place'), { node: 'worker-b' })).toBe('worker-b');
    expect(await h.spawn(spec('gpu', 'graph_place'), { labels: { gpu: 'yes' } })).toBe('worker-a');
    // worker-a is at 1/2, worker-b at 1/4: the least loaded is worker-b.
    expect(await h.spawn(spec('any', 'graph_place'))).toBe('worker-b');
    await expect(h.spawn(spec('nowhere', 'graph_place'), { labels: { tpu: 'yes' } })).rejects.toThrow(/no live worker with labels tpu=yes/);
    await expect(h.spawn(spec('ghost', 'graph_place'), { node: 'worker-z' })).rejects.toThrow(/not a live worker/);
    const status = h.status();
    expect(status.workers.map((w) => [w.node, w.capacity, w.status]).sort()).toEqual([['worker-a', 2, 'alive'], ['worker-b', 4, 'alive']]);
    expect(status.creatures.map((c) => `${c.name}@${c.node}`).sort()).toEqual(['any@worker-b', 'gpu@worker-a', 'pinned@worker-b']);
  });

  it('two labs on one server do not see each other', async () => {
    const red = await host('red');
    const blue = await host('blue');
    await worker('red', 'only-red');
    await worker('blue', 'only-blue');
    await joined(red, ['only-red']);
    await joined(blue, ['only-blue']);
    expect(red.status().workers.map((w) => w.node)).toEqual(['only-red']);
    expect(blue.status().workers.map((w) => w.node)).toEqual(['only-blue']);
  });
});

describe('channels across nodes', () => {
  it('a recipe spread over two workers: broadcast reaches every other listener, a queue exactly one, across nodes', async () => {
    const h = await host('chan');
    const a = await worker('chan', 'worker-a');
    const b = await worker('chan', 'worker-b');
    await joined(h, ['worker-a', 'worker-b']);
    const file = recipeFile(`
name: spread
creatures:
  - name: alice
    node: worker-a
    channels: { listen: [news, tasks], can_send: [news, tasks] }
  - name: bob
    node: worker-b
    channels: { listen: [news, tasks], can_send: [news] }
  - name: carol
    node: worker-b
    channels: { listen: [news, tasks] }
channels:
  news: { type: broadcast }
  tasks: { type: queue }
`);
    const { graph, nodes } = await h.applyRecipe(file);
    expect(nodes).toEqual({ alice: 'worker-a', bob: 'worker-b', carol: 'worker-b' });
    // worker-b published its listeners before it answered the spawn; a ping on worker-a's own connection
    // comes back after the server handed worker-a that directory (one connection, one order).
    await a.nc.flush();
    // What each node's hub would hand on: alice (on a) speaks; bob and carol (on b) hear.
    const heard = new Promise<string>((resolve) => b.team.hub.listen('news', 'probe', (m) => resolve(`${m.sender}:${m.content}`)));
    const news = a.team.hub.send('news', 'hello all', { sender: 'alice' });
    expect(news.deliveredTo.sort()).toEqual(['bob', 'carol']);
    expect(await heard).toBe('alice:hello all');
    // A queue: each of four messages reaches exactly one listener other than the sender, taking turns across nodes.
    const takers: string[] = [];
    for (let i = 0; i < 4; i++) takers.push(...a.team.hub.send('tasks', `task ${i}`, { sender: 'alice' }).deliveredTo);
    expect(takers).toEqual(['bob', 'carol', 'bob', 'carol']);
    // Every message became a turn on worker-b; their events reach the host's file for the graph, once each.
    await h.events.until(() => turnsBy(h, graph).size === 2);
    const reader = new SessionReader(h.events.pathOf(graph));
    const starts = [...reader.events({ types: ['turn.start'] })];
    expect(new Set(starts.map((e) => e.agentPath[0]))).toEqual(new Set(['bob', 'carol']));
    expect(h.events.duplicates).toBe(0);
    reader.close();
  });
});

/** Who finished a turn, per the host's file of the graph. */
function turnsBy(h: LabHost, graph: string): Set<string> {
  try {
    const reader = new SessionReader(h.events.pathOf(graph));
    try {
      return new Set([...reader.events()].filter((e) => e.type === 'turn.end').map((e) => String(e.agentPath[0])));
    } finally {
      reader.close();
    }
  } catch {
    return new Set();
  }
}
