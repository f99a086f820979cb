/**
 * The group tools through a real Terrarium: members built from configs with
 * the built-in catalog, ScriptedLLMs that call the tools, results read from
 * the members' tool.result events. Refusals come back as tool errors the
 * model reads; the team grows and reports it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupAddNodeTool, groupChannelTool, groupRemoveNodeTool, groupSendTool, groupStatusTool, groupStopNodeTool, groupWireTool, registerBuiltinTools, sendChannelTool } from '../../../source/builtins/tools/index.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import type { EngineEvent } from '../../../source/engine/terrarium/engine-events.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ApprovalGate } from '../../../source/engine/tools/approval.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';
import { call, makeContext } from './context.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-group-'));

function catalog(): ToolCatalog {
  const c = new ToolCatalog();
  registerBuiltinTools(c);
  return c;
}

/** A model that answers every request with "<who> got: <last user text>" and records those texts. */
function echo(who: string) {
  const seen: string[] = [];
  const answer = (request: LLMRequest) => {
    const last = [...request.messages].reverse().find((m) => m.role === 'user');
    const text = last ? contentText(last.content) : '';
    seen.push(text);
    return { text: `${who} got: ${text}` };
  };
  return { llm: new ScriptedLLM(Array.from({ length: 20 }, () => answer)), seen };
}

/** One tool call per model round, then a closing text. */
const calling = (...calls: Array<[string, Record<string, unknown>]>): ScriptStep[] => [...calls.map(([name, args]) => ({ toolCalls: [{ name, args }] })), { text: 'done' }];

function results(events: AgentEvent[]) {
  return events.flatMap((e) => (e.type === 'tool.result' ? [{ name: e.name, output: e.output, isError: e.isError }] : []));
}

async function until(check: () => boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 5000 && !check(); i++) await new Promise((r) => setImmediate(r));
  if (!check()) throw new Error(`${what} never held`);
}

/** A terrarium whose members find the group tools in the built-in catalog; members without a model of their own run `helper`'s echo. */
function team(pwd = dir()) {
  const helper = echo('helper');
  const t = new Terrarium({ name: 'crew', pwd, llm: helper.llm, build: { catalog: catalog(), projectInstructions: false } });
  return { t, helper, pwd };
}

/** A member whose tool results are recorded. */
async function member(t: Terrarium, config: Record<string, unknown>, options: { privileged?: boolean; pwd?: string; script?: ScriptStep[] } = {}) {
  const llm = new ScriptedLLM(options.script ?? [], { defaultEntry: { text: 'ok' } });
  const m = await t.addCreature(config, { llm, ...(options.privileged ? { privileged: true } : {}), ...(options.pwd ? { pwd: options.pwd } : {}) });
  const events: AgentEvent[] = [];
  m.agent.on((e) => events.push(e));
  return { m, llm, events };
}

describe('group tools', () => {
  it('a coordinator grows the team with group_add_node (config relative to its own folder); the new member answers a channel message', async () => {
    const { t, helper, pwd } = team();
    await using _ = t;
    // The boss works in a subfolder of the team's; the config path is relative to the boss's folder.
    mkdirSync(join(pwd, 'boss', 'agents', 'helper'), { recursive: true });
    writeFileSync(join(pwd, 'boss', 'agents', 'helper', 'config.yaml'), 'name: helper\nsystem_prompt: I help.\n');
    const boss = await member(t, { name: 'boss' }, {
      privileged: true,
      pwd: 'boss',
      script: calling(
        ['group_channel', { action: 'create', channel: 'tasks', description: 'work to do', type: 'queue' }],
        ['group_add_node', { config: 'agents/helper', listen: ['tasks'] }],
        ['send_channel', { channel: 'tasks', message: 'please count to three' }],
        ['group_status', {}],
      ),
    });
    const engine: EngineEvent[] = [];
    t.on((e) => engine.push(e));

    await boss.m.run('build a team');
    const [created, added, sent, status] = results(boss.events);
    expect(created).toEqual({ name: 'group_channel', output: "channel 'tasks' created.", isError: false });
    expect(added).toMatchObject({ name: 'group_add_node', isError: false });
    expect(added!.output).toMatch(/^Added helper \(\S+\) to the team: running, not privileged, parent boss; listens on tasks\. Reach it with group_send to=helper\.$/);
    expect(sent).toEqual({ name: 'send_channel', output: expect.stringMatching(/^Sent on 'tasks' \(msg_\w+\); delivered to helper\.$/), isError: false });

    // Hot-plug shows: the topology changed with helper in it, and helper started.
    const grown = engine.find((e) => e.kind === 'topology_changed' && JSON.stringify(e.payload).includes('"helper"'));
    expect(grown).toBeDefined();
    expect(engine.some((e) => e.kind === 'creature_started' && e.creature === 'helper')).toBe(true);
    const h = t.getCreature('helper')!;
    expect(h).toMatchObject({ privileged: false, parent: 'boss' });
    expect(h.agent.systemPrompt).toContain('You are `helper`, one creature of the team `crew`');
    expect(h.agent.systemPrompt).toContain('You listen on:\n- `tasks` — work to do (queue');

    // The new member hears the message and answers it.
    await until(() => engine.some((e) => e.kind === 'processing_end' && e.creature === 'helper'), 'helper answering');
    expect(helper.seen).toEqual(["[Channel 'tasks' from boss]: please count to three"]);
    const end = engine.find((e) => e.kind === 'processing_end' && e.creature === 'helper')!;
    expect(end.payload).toMatchObject({ status: 'completed', text: "helper got: [Channel 'tasks' from boss]: please count to three" });

    // group_status shows members, channels and wires.
    expect(status!.isError).toBe(false);
    expect(status!.output).toContain('Team `crew`: 2 members, 3 channels, 0 wires.');
    expect(status!.output).toMatch(/boss \(you\)\s+running\s+yes\s+-/);
    expect(status!.output).toMatch(/helper\s+\w+\s+no\s+boss\s+tasks\s+-/);
    expect(status!.output).toMatch(/tasks\s+queue\s+helper\s+work to do/);
    expect(status!.output).toContain('Wires (turn-end text goes from → to):\n  (none)');
  });

  it('refusals are tool errors the model reads: not privileged, no send edge, direct message to a non-coordinator', async () => {
    const { t } = team();
    await using _ = t;
    await member(t, { name: 'boss' }, { privileged: true });
    await member(t, { name: 'w2' });
    t.addChannel('news');
    // w1's config lists group_add_node itself: it has the tool, but the team refuses it.
    const w1 = await member(t, { name: 'w1', tools: ['group_add_node'] }, {
      script: calling(['group_add_node', { config: 'anything' }], ['send_channel', { channel: 'news', message: 'x' }], ['group_send', { to: 'w2', message: 'x' }], ['group_send', { to: 'boss', message: 'hi boss' }]),
    });
    await w1.m.run('go');
    const [add, send, direct, toBoss] = results(w1.events);
    expect(add).toEqual({ name: 'group_add_node', isError: true, output: "Error: group_add_node: only a privileged member (the team's coordinator) may add members; 'w1' is not one" });
    expect(send).toEqual({ name: 'send_channel', isError: true, output: "Error: send_channel: 'w1' may not send on 'news'; you may send to: no channel" });
    expect(direct).toEqual({ name: 'group_send', isError: true, output: "Error: group_send: 'w1' may message only privileged members directly (boss); use a channel to reach 'w2'" });
    expect(toBoss).toMatchObject({ name: 'group_send', isError: false, output: expect.stringMatching(/^Sent to boss \(msg_\w+\)\.$/) });
    expect(t.listCreatures().map((m) => m.name)).toEqual(['boss', 'w2', 'w1']);
  });

  it('a bad config or model is a tool error naming the problem, and nothing is added', async () => {
    const { t, pwd } = team();
    await using _ = t;
    mkdirSync(join(pwd, 'ok'));
    writeFileSync(join(pwd, 'ok', 'config.yaml'), 'name: ok\n');
    const boss = await member(t, { name: 'boss' }, {
      privileged: true,
      script: calling(['group_add_node', { config: 'missing' }], ['group_add_node', { config: 'ok', llm: 'nowhere/no-such-model' }], ['group_add_node', { config: 'ok', listen: ['ghost'] }]),
    });
    await boss.m.run('go');
    const [missing, model, channel] = results(boss.events);
    expect(missing).toMatchObject({ isError: true, output: `Error: group_add_node: creature 'missing' not found (looked for ${join(pwd, 'missing')})` });
    expect(model!.isError).toBe(true);
    expect(model!.output).toMatch(/^Error: group_add_node: unknown provider 'nowhere' in 'nowhere\/no-such-model'/);
    expect(channel).toMatchObject({ isError: true, output: "Error: group_add_node: there is no channel 'ghost'; create it first with group_channel (channels: boss)" });
    expect(t.listCreatures().map((m) => m.name)).toEqual(['boss']);
    expect(t.snapshot().creatures.map((c) => c.name)).toEqual(['boss']);
  });

  it('wires, channel edges, stop, start and remove through the tools', async () => {
    const { t } = team();
    await using _ = t;
    await member(t, { name: 'w1' });
    const boss = await member(t, { name: 'boss' }, {
      privileged: true,
      script: calling(
        ['group_wire', { action: 'add', to: 'w1' }],
        ['group_channel', { action: 'create', channel: 'log' }],
        ['group_channel', { action: 'wire', channel: 'log', creature: 'w1', direction: 'send' }],
        ['group_stop_node', { name: 'w1' }],
        ['group_status', {}],
        ['group_start_node', { name: 'w1' }],
        ['group_remove_node', { name: 'boss' }],
        ['group_remove_node', { name: 'w1' }],
        ['group_wire', { action: 'remove' }],
      ),
    });
    await boss.m.run('go');
    const out = results(boss.events);
    expect(out[0]!.output).toMatch(/^wire (wire_\w+): boss → w1\.$/);
    expect(out.slice(1).map((r) => r.output)).toEqual([
      "channel 'log' created.",
      "w1 now sends to 'log'.",
      'Stopped w1; it hears nothing until group_start_node name=w1.',
      expect.stringMatching(/w1\s+stopped\s+no\s+-\s+-\s+log\n[^]*wire_\w+: boss → w1$/),
      'w1 is running.',
      "Error: group_remove_node: 'boss' is privileged and cannot be removed by a tool",
      'Removed w1 from the team, with its channel edges and wires.',
      'Error: group_wire: removing a wire needs its edge_id (see group_status)',
    ]);
    expect(t.snapshot().wires).toEqual([]);
    expect(t.listCreatures().map((m) => m.name)).toEqual(['boss']);
  });

  it('members get each group tool once, even when their config lists it', async () => {
    const { t } = team();
    await using _ = t;
    const boss = await member(t, { name: 'boss', tools: ['group_status', 'send_channel'] }, { privileged: true });
    const worker = await member(t, { name: 'w' });
    await boss.m.run('hi');
    await worker.m.run('hi');
    const names = (llm: ScriptedLLM) => (llm.calls[0]!.tools ?? []).map((tool) => tool.name).sort();
    expect(names(boss.llm)).toEqual(['group_add_node', 'group_channel', 'group_remove_node', 'group_send', 'group_start_node', 'group_status', 'group_stop_node', 'group_wire', 'send_channel']);
    expect(names(worker.llm)).toEqual(['group_send', 'send_channel']);
  });

  it('outside a terrarium a group tool says so', async () => {
    for (const factory of [sendChannelTool, groupStatusTool]) {
      const args = factory === sendChannelTool ? { channel: 'c', message: 'm' } : {};
      await expect(call(factory, args, makeContext())).rejects.toThrow(`${factory.name}: this creature is not a member of a terrarium, so it has no team to act on`);
    }
  });

  it('approval: team changes are asked under the default mode; messages and status never', () => {
    const effect = (f: typeof sendChannelTool) => f.create({}).effect;
    expect([sendChannelTool, groupSendTool, groupStatusTool].map(effect)).toEqual([undefined, undefined, undefined]);
    expect([groupAddNodeTool, groupRemoveNodeTool, groupStopNodeTool].map(effect)).toEqual(['execute', 'execute', 'execute']);
    expect([groupChannelTool, groupWireTool].map(effect)).toEqual(['edit', 'edit']);
    const byDefault = new ApprovalGate('default', undefined);
    const autoEdit = new ApprovalGate('auto-edit', undefined);
    expect(byDefault.needsAsking('group_add_node', effect(groupAddNodeTool))).toBe(true);
    expect(byDefault.needsAsking('group_wire', effect(groupWireTool))).toBe(true);
    expect(autoEdit.needsAsking('group_remove_node', effect(groupRemoveNodeTool))).toBe(true);
    expect(autoEdit.needsAsking('group_channel', effect(groupChannelTool))).toBe(false);
    expect(byDefault.needsAsking('send_channel', effect(sendChannelTool))).toBe(false);
  });
});
