/**
 * `kt lab resume` on a real nats-server: a graph runs, its host and workers
 * stop; a fresh host and a fresh worker (another name, so pinned members go
 * where there is room) place the saved graph again through the host request,
 * each member continuing its conversation and the wires working again. A file
 * from another folder is copied into the host's folder first.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { askHost } from '../../../source/engine/lab/host-client.js';
import type { Resumed } from '../../../source/engine/lab/host-resume.js';
import { labRig } from './rig.js';

installBuiltins();

const rig = labRig({ heartbeatMs: 5000, hostOptions: { llm: 'openai/test-model', checkEveryMs: 0, heartbeatMs: 0 } });
const { tmp, worker, host, heardFrom, recipeFile, turnEnds } = rig;

const RECIPE = `
name: relay
creatures:
  - { name: alice, node: worker-a, output_wiring: [bob] }
  - { name: bob, node: worker-b }
`;

/** A graph run to one remembered turn of bob, then host and workers stopped; returns its file. */
async function runAndStop(lab: string, dir: string): Promise<{ graph: string; file: string }> {
  const h = await host(lab, { sessionDir: dir });
  const a = await worker(lab, 'worker-a');
  const b = await worker(lab, 'worker-b');
  await heardFrom(h, a);
  await heardFrom(h, b);
  const { graph } = await h.applyRecipe(recipeFile(RECIPE));
  await h.chat('bob', 'remember the word apple');
  await h.events.until(() => turnEnds(h, graph, 'bob') === 1);
  await a.close();
  await b.close();
  await h.close();
  return { graph, file: h.events.pathOf(graph) };
}

const connect = (lab: string) => ({ url: rig.nats.url, token: rig.nats.token, lab });

describe('kt lab resume', () => {
  it('places a saved graph onto fresh workers; members continue their conversations and wires work', async () => {
    const dir = tmp('host');
    const { graph } = await runAndStop('resume', dir);

    const h = await host('resume', { sessionDir: dir });
    const c = await worker('resume', 'worker-c');
    await heardFrom(h, c);
    // Found by the start of its name, as kt resume finds sessions; the pinned workers are gone, so both go to worker-c.
    const resumed = await askHost<Resumed>(connect('resume'), { op: 'resume', session: graph.slice(0, 12) });
    expect(resumed).toEqual({ graph, nodes: { alice: 'worker-c', bob: 'worker-c' }, running: [] });
    expect(h.status().creatures.map((x) => `${x.name}@${x.node}:${x.status}`).sort()).toEqual(['alice@worker-c:running', 'bob@worker-c:running']);

    const reply = await askHost<{ status: string; text: string }>(connect('resume'), { op: 'chat', name: 'bob', text: 'what was the word?' });
    expect(reply).toEqual({ status: 'completed', text: 'noted' });
    expect(JSON.stringify(rig.openai.requests.at(-1)!.body)).toContain('remember the word apple');
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
    const h = await host('copy', { sessionDir: dir });
    const c = await worker('copy', 'worker-c');
    await heardFrom(h, c);
    const resumed = await h.resume(elsewhere);
    expect(resumed.nodes).toEqual({ alice: 'worker-c', bob: 'worker-c' });
    expect(existsSync(join(dir, `${graph}.kohakutr`))).toBe(true);
    expect((await h.chat('bob', 'and the word?')).text).toBe('noted');
    expect(JSON.stringify(rig.openai.requests.at(-1)!.body)).toContain('remember the word apple');
    await expect(askHost(connect('copy'), { op: 'resume', session: 'no-such-graph' })).rejects.toThrow(/no session matches 'no-such-graph'/);
  });
});
