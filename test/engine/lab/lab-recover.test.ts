/**
 * A lab host that restarts takes its graphs back from its session files, on
 * a real nats-server: after the restart, group tools see the whole graph, a
 * recipe applied again changes the same graph, and a worker that fails later
 * has its creature moved elsewhere with its conversation and incoming wires.
 * Failures are judged on the host's injected clock; everything waits on events.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import type { GroupStatus } from '../../../source/engine/tools/runtime.js';
import { labRig } from './rig.js';

installBuiltins();

const clock = { t: 5_000_000 };
const rig = labRig({ heartbeatMs: 5000, hostOptions: { llm: 'openai/test-model', checkEveryMs: 0, now: () => clock.t } });
const { tmp, worker, host, next, heardFrom, failSilent, recipeFile, turnEnds } = rig;

const recipe = (extra = '') => `
name: relay
creatures:
  - { name: alice, node: worker-a, output_wiring: [bob] }
  - { name: bob, node: worker-b }
${extra}`;

describe('host restart', () => {
  it('a restarted host recovers its graph: group tools, re-apply and a later worker failure work as before', async () => {
    const dir = tmp('host');
    const h1 = await host('recover', { sessionDir: dir });
    const a = await worker('recover', 'worker-a');
    const b = await worker('recover', 'worker-b');
    await heardFrom(h1, a);
    await heardFrom(h1, b);
    const file = recipeFile(recipe());
    const { graph } = await h1.applyRecipe(file);
    await h1.chat('bob', 'remember the word apple');
    await h1.events.until(() => turnEnds(h1, graph, 'bob') === 1);
    await h1.close();

    const h2 = await host('recover', { sessionDir: dir });
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
    await failSilent(h2, clock, a);
    expect(await restarted).toBe('bob@worker-a');
    expect((await h2.chat('bob', 'what was the word?')).text).toBe('noted');
    expect(JSON.stringify(rig.openai.requests.at(-1)!.body)).toContain('apple');
    await h2.chat('alice', 'pass it on');
    await h2.events.until(() => turnEnds(h2, graph, 'bob') === 3);
    expect(a.team.getCreature('bob')?.isRunning).toBe(true);
  });
});
