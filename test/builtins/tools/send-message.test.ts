/**
 * `send_message`, the original's team tool, through a real Terrarium: a
 * member name is a direct message, a channel name goes on the channel, the
 * usual refusals hold, and a creature alone gets a clear error.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerBuiltinTools, sendMessageTool } from '../../../source/builtins/tools/index.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';
import { call, makeContext } from './context.js';

function team() {
  const catalog = new ToolCatalog();
  registerBuiltinTools(catalog);
  const llm = new ScriptedLLM([], { defaultEntry: { text: 'ok' } });
  return new Terrarium({ name: 'crew', pwd: mkdtempSync(join(tmpdir(), 'kt-send-')), llm, build: { catalog, projectInstructions: false } });
}

const calling = (...calls: Array<Record<string, unknown>>): ScriptStep[] => [...calls.map((args) => ({ toolCalls: [{ name: 'send_message', args }] })), { text: 'done' }];

async function member(t: Terrarium, name: string, script: ScriptStep[] = [], privileged = false) {
  const llm = new ScriptedLLM(script, { defaultEntry: { text: 'ok' } });
  const m = await t.addCreature({ name, tools: ['send_message'] }, { llm, ...(privileged ? { privileged: true } : {}) });
  const events: AgentEvent[] = [];
  m.agent.on((e) => events.push(e));
  return { m, events };
}

const results = (events: AgentEvent[]) => events.flatMap((e) => (e.type === 'tool.result' ? [{ output: e.output, isError: e.isError }] : []));

describe('send_message', () => {
  it('routes a member name to a direct message and a channel name to the channel', async () => {
    const t = team();
    await using _ = t;
    await member(t, 'boss', [], true);
    t.addChannel('news');
    await member(t, 'reader');
    await t.setListen('reader', 'news');
    const w = await member(t, 'w', calling({ channel: 'boss', message: 'hi boss' }, { to: 'news', message: 'headline' }, { channel: 'news', to: 'boss', message: 'x' }));
    t.setSend('w', 'news');
    await w.m.run('go');
    const [direct, onChannel, clash] = results(w.events);
    expect(direct).toEqual({ isError: false, output: expect.stringMatching(/^Sent to boss directly \(msg_\w+\)\.$/) });
    expect(onChannel).toEqual({ isError: false, output: expect.stringMatching(/^Sent on 'news' \(msg_\w+\); delivered to reader\.$/) });
    expect(clash).toEqual({ isError: true, output: "Error: send_message: channel 'news' and to 'boss' disagree; give one of them" });
  });

  it("keeps the team's limits: no send edge, a non-coordinator messaging a peer", async () => {
    const t = team();
    await using _ = t;
    await member(t, 'boss', [], true);
    await member(t, 'peer');
    t.addChannel('news');
    const w = await member(t, 'w', calling({ channel: 'news', message: 'x' }, { to: 'peer', message: 'x' }));
    await w.m.run('go');
    const [channel, peer] = results(w.events);
    expect(channel).toEqual({ isError: true, output: "Error: send_message: 'w' may not send on 'news'; you may send to: no channel" });
    expect(peer).toEqual({ isError: true, output: "Error: send_message: 'w' may message only privileged members directly (boss); use a channel to reach 'peer'" });
  });

  it('outside a terrarium the call fails and says why', async () => {
    await expect(call(sendMessageTool, { channel: 'news', message: 'x' }, makeContext())).rejects.toThrow(
      'send_message: this creature is not a member of a terrarium, so it has no team to act on',
    );
    await expect(call(sendMessageTool, { message: 'x' }, makeContext())).rejects.toThrow('send_message: say where the message goes');
  });
});
