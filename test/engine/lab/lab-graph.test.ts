/**
 * A lab graph across workers, against a real nats-server: an output wire
 * from a creature on one worker delivers its turn's text (in the wire's
 * template) as a turn of a creature on another; a privileged creature's
 * group tools act on the lab (group_add_node places a member on another
 * worker, group_status lists members with their worker); a recipe applied
 * again while it runs places members it gained and removes ones it lost.
 * Everything waits on events (the host's session file, host notices).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import type { LabHost } from '../../../source/engine/lab/host.js';
import { labGroupControl } from '../../../source/engine/lab/lab-group.js';
import { labSubjects } from '../../../source/engine/lab/subjects.js';
import { findSession, listSessions, whoOf } from '../../../source/engine/session/listing.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import type { FakeResponder } from '../../fakes/openai-server.js';
import { labRig } from './rig.js';

installBuiltins();

/** A creature folder group_add_node is asked to place. */
const helperDir = mkdtempSync(join(tmpdir(), 'kt-lab-helper-'));
mkdirSync(join(helperDir, 'helper'));
writeFileSync(join(helperDir, 'helper', 'config.yaml'), 'name: helper\nsystem_prompt: You help.\n');

/** The last message a request carries, as text. */
function lastText(body: { messages?: Array<{ role: string; content: unknown }> } | undefined): { role: string; text: string } {
  const last = body?.messages?.at(-1);
  const content = last?.content;
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((p: { text?: string }) => p.text ?? '').join('') : '';
  return { role: last?.role ?? '', text };
}

/** The model asks for group tools when told to grow or show the team, and repeats what a tool said. */
const responder: FakeResponder = (request) => {
  const last = lastText(request.body);
  if (last.role === 'user' && last.text.includes('grow the team')) {
    return { toolCalls: [{ name: 'group_add_node', arguments: { config: join(helperDir, 'helper'), name: 'helper' } }] };
  }
  if (last.role === 'user' && last.text.includes('show the team')) return { toolCalls: [{ name: 'group_status', arguments: {} }] };
  if (last.role === 'tool') return { text: `tool said: ${last.text.slice(0, 2000)}` };
  return { text: 'noted' };
};

// Hosts keep their default failure checks here.
const rig = labRig({ responder, heartbeatMs: 5000, hostOptions: { llm: 'openai/test-model' } });
const { env, worker, host, joined, recipeFile } = rig;

/** Finished turns per creature, per the host's file of the graph. */
function turnEnds(h: LabHost, graph: string): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const reader = new SessionReader(h.events.pathOf(graph));
    try {
      for (const e of reader.events({ types: ['turn.end'] })) out.set(String(e.agentPath[0]), (out.get(String(e.agentPath[0])) ?? 0) + 1);
    } finally {
      reader.close();
    }
  } catch {
    // No file yet.
  }
  return out;
}

describe('output wires across nodes', () => {
  it('a wire from a creature on worker-a starts a turn of one on worker-b, in the wire template', async () => {
    const h = await host('wires');
    await worker('wires', 'worker-a');
    const b = await worker('wires', 'worker-b');
    await joined(h, ['worker-a', 'worker-b']);
    const file = recipeFile(`
name: relay
creatures:
  - name: alice
    node: worker-a
    output_wiring:
      - { to: bob, prompt: "{source} finished turn {turn_index}: {content}" }
  - name: bob
    node: worker-b
`);
    const { graph, nodes } = await h.applyRecipe(file);
    expect(nodes).toEqual({ alice: 'worker-a', bob: 'worker-b' });
    const reply = await h.chat('alice', 'say something');
    expect(reply.text).toBe('noted');
    await h.events.until(() => (turnEnds(h, graph).get('bob') ?? 0) >= 1);
    // Bob's turn came from the wire, with alice's text in the template.
    const bobAsked = rig.openai.requests.map((r) => lastText(r.body).text).filter((t) => t.startsWith('alice finished turn'));
    expect(bobAsked).toHaveLength(1);
    expect(bobAsked[0]).toMatch(/^alice finished turn \d+: noted$/);
    expect(b.team.getCreature('bob')).toBeDefined();
    // The host refuses a loop the recipe does not allow, as one process would.
    const loop = recipeFile(`
name: loop
creatures:
  - { name: x1, node: worker-a, output_wiring: [x2] }
  - { name: x2, node: worker-b, output_wiring: [x1] }
`);
    await expect(h.applyRecipe(loop)).rejects.toThrow(/loop/);
  });
});

describe('group tools across nodes', () => {
  it("a privileged creature's group_add_node places a member on another worker; group_status lists each with its worker", async () => {
    const h = await host('group');
    // Nobody answers approvals on a worker: this lab trusts its creatures to run every tool.
    const a = await worker('group', 'worker-a', { approvalMode: 'yolo' });
    const b = await worker('group', 'worker-b', { approvalMode: 'yolo' });
    await joined(h, ['worker-a', 'worker-b']);
    const file = recipeFile(`
name: grow
root:
  name: boss
  node: worker-a
creatures: []
`);
    const { graph, nodes } = await h.applyRecipe(file);
    expect(nodes).toEqual({ boss: 'worker-a' });
    const reply = await h.chat('boss', 'grow the team');
    expect(reply.text).toMatch(/tool said: .*Added helper/s);
    // worker-a holds boss, so the least-loaded worker is worker-b.
    expect(b.team.getCreature('helper')?.isRunning).toBe(true);
    expect(a.team.getCreature('helper')).toBeUndefined();
    expect(h.status().creatures.find((c) => c.name === 'helper')).toMatchObject({ node: 'worker-b', graph, status: 'running' });
    const shown = await h.chat('boss', 'show the team');
    expect(shown.text).toMatch(/helper\s+running on worker-b/);
    expect(shown.text).toMatch(/boss \(you\)\s+running on worker-a/);
    // A direct message from boss (worker-a) to helper (worker-b) is a turn of helper there.
    const helperTurns = () => turnEnds(h, graph).get('helper') ?? 0;
    const before = helperTurns();
    const boss = labGroupControl(a.team, 'boss', { nc: a.nc, subjects: labSubjects('group'), graphOf: (n) => a.graph.graphOf(n) });
    expect((await boss.direct('helper', 'hello helper')).messageId).toMatch(/^msg_/);
    await h.events.until(() => helperTurns() > before);
    // The helper (not privileged) may not message another unprivileged member, nor change the team.
    const helper = labGroupControl(b.team, 'helper', { nc: b.nc, subjects: labSubjects('group'), graphOf: (n) => b.graph.graphOf(n) });
    await expect(helper.addNode('x')).rejects.toThrow(/only a privileged member/);
    expect((await helper.direct('boss', 'done')).messageId).toMatch(/^msg_/);
    // group_stop_node / group_start_node / group_remove_node act on the worker that runs the member.
    await boss.stopNode('helper');
    expect(b.team.getCreature('helper')?.isRunning).toBe(false);
    expect(((await boss.status()).creatures.find((c) => c.name === 'helper'))?.state).toBe('stopped');
    await boss.startNode('helper');
    expect(b.team.getCreature('helper')?.isRunning).toBe(true);
    await boss.removeNode('helper');
    expect(b.team.getCreature('helper')).toBeUndefined();
    expect(h.status().creatures.map((c) => c.name)).toEqual(['boss']);
  });
});

describe('approvals on a worker', () => {
  it('by default a tool that needs an approval is refused there (nobody can answer), and the model is told', async () => {
    const h = await host('ask');
    await worker('ask', 'worker-a');
    await joined(h, ['worker-a']);
    const file = recipeFile(`
name: careful
root:
  name: boss
  node: worker-a
creatures: []
`);
    await h.applyRecipe(file);
    const reply = await h.chat('boss', 'grow the team');
    expect(reply.text).toMatch(/tool said: .*(approv|refus)/is);
    expect(h.status().creatures.map((c) => c.name)).toEqual(['boss']);
  });
});

describe('hot-plug', () => {
  it('applying the recipe again while it runs places an added member and removes a dropped one', async () => {
    const h = await host('plug');
    const a = await worker('plug', 'worker-a');
    const b = await worker('plug', 'worker-b');
    await joined(h, ['worker-a', 'worker-b']);
    const text = (extra: string, keepCarol: boolean) => `
name: plug
creatures:
  - { name: alice, node: worker-a, channels: { listen: [news], can_send: [news] } }
${keepCarol ? '  - { name: carol, node: worker-b, channels: { listen: [news] } }\n' : ''}${extra}
channels:
  news: { type: broadcast }
`;
    const dir = mkdtempSync(join(tmpdir(), 'kt-lab-plug-'));
    const file = join(dir, 'terrarium.yaml');
    writeFileSync(file, text('', true));
    const first = await h.applyRecipe(file);
    expect(first.nodes).toEqual({ alice: 'worker-a', carol: 'worker-b' });
    writeFileSync(file, text('  - { name: dave, node: worker-b, channels: { listen: [news] } }\n', false));
    const second = await h.applyRecipe(file);
    expect(second.graph).toBe(first.graph);
    expect(second.added).toEqual(['dave']);
    expect(second.removed).toEqual(['carol']);
    expect(b.team.getCreature('carol')).toBeUndefined();
    expect(b.team.getCreature('dave')?.isRunning).toBe(true);
    expect(h.status().creatures.map((c) => c.name).sort()).toEqual(['alice', 'dave']);
    // alice's news now reaches dave, and nobody else, on worker-b. worker-b published its directory (carol gone,
    // then dave in) before it answered dave's spawn; a ping on worker-a's own connection comes back after the
    // server handed worker-a that directory (one connection, one order). Polling until carol was gone could
    // stop between the two directories and see nobody.
    await a.nc.flush();
    expect(a.team.hub.send('news', 'hello', { sender: 'alice' }).deliveredTo).toEqual(['dave']);
  });
});

describe('lab sessions', () => {
  it('kt sessions lists a lab graph from <sessions>/lab/ as a team, and it resumes in one process with its wire and conversations', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kt-lab-sessions-'));
    const h = await host('sess', { sessionDir: join(home, 'lab') });
    await worker('sess', 'worker-a');
    await worker('sess', 'worker-b');
    await joined(h, ['worker-a', 'worker-b']);
    const file = recipeFile(`
name: pair
creatures:
  - { name: alice, node: worker-a, output_wiring: [bob] }
  - { name: bob, node: worker-b }
`);
    const { graph } = await h.applyRecipe(file);
    await h.chat('alice', 'remember the word apple');
    await h.events.until(() => (turnEnds(h, graph).get('bob') ?? 0) >= 1);
    await h.close();
    const { sessions } = listSessions(home);
    const listed = sessions.find((s) => s.sessionId === graph);
    expect(listed).toMatchObject({ kind: 'terrarium', creature: 'pair', members: 2, name: graph });
    expect(whoOf(listed!)).toBe('pair (team of 2)');
    expect(findSession(graph.slice(0, 12), home)).toBe(listed!.path);
    // Back in one process: the recipe's members, the wire, and each one's conversation from the lab.
    const team = await Terrarium.resume(listed!.path, { env: env(), llm: 'openai/test-model', start: false });
    try {
      expect(team.listCreatures().map((m) => m.name).sort()).toEqual(['alice', 'bob']);
      expect(team.snapshot().wires.map((w) => `${w.from}>${w.to}`)).toEqual(['alice>bob']);
      const texts = (name: string) => team.getCreature(name)!.agent.messages.slice(1).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
      expect(texts('alice')).toEqual(['remember the word apple', 'noted']);
      expect(texts('bob')).toEqual(['[output-wire from alice] noted', 'noted']);
    } finally {
      await team.shutdown();
    }
  });
});
