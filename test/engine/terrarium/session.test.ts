/**
 * A terrarium's session file: one file for the team, every member's events
 * keyed by its name and id, the channel messages, the topology after every
 * change, and nothing dropped when a member leaves.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupControl } from '../../../source/engine/terrarium/group-control.js';
import { MEMBERS_KEY, TOPOLOGY_KEY, type MemberSpec } from '../../../source/engine/terrarium/graph-session.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import type { TopologyData } from '../../../source/engine/terrarium/topology.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { until } from '../../helpers/until.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-team-session-'));

describe('a terrarium with a session folder', () => {
  it('keeps every member, the channel messages and the topology in one file', async () => {
    const sessions = dir();
    const t = new Terrarium({ name: 'crew', pwd: dir(), sessionDir: sessions, build: { catalog: new ToolCatalog(), projectInstructions: false } });
    expect(t.sessionPath).toBeUndefined();
    const llmB = new ScriptedLLM([{ text: 'b heard it' }]);
    const a = await t.addCreature({ name: 'a', system_prompt: 'I am a.' }, { llm: new ScriptedLLM([{ text: 'a answers' }]) });
    // b hears a channel a may send on: one graph from the start, so one file.
    t.addChannel('chat', { description: 'talk' });
    t.setSend('a', 'chat');
    const b = await t.addCreature({ name: 'b', system_prompt: 'I am b.' }, { llm: llmB, listen: ['chat'] });
    const path = t.sessionPath as string;
    expect(readdirSync(sessions).filter((f) => f.endsWith('.kohakutr'))).toEqual([path.slice(sessions.length + 1)]);
    expect(path).toMatch(/crew-[0-9a-f]{8}\.kohakutr$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(t.graphs()).toEqual([{ id: expect.stringMatching(/^graph_[0-9a-f]{8}$/), members: ['a', 'b'], sessionPath: path }]);
    const sent = groupControl(t, 'a').send('chat', 'hello b');
    await until(() => llmB.callCount === 1 && b.agent.state === 'idle', 'b answering the channel message');
    await a.run('hi a');
    await t.removeCreature('a');
    await t.shutdown();

    const store = SessionStore.open(path, { owner: true }); // the terrarium released the lock
    try {
      expect(store.meta).toMatchObject({ kind: 'terrarium', terrariumName: 'crew', configRef: '<terrarium>', agents: ['a', 'b'] });
      const starts = [...store.events({ types: ['creature.start'] })].map((s) => [s.creature, s.event.creatureId]);
      expect(starts).toEqual([['a', a.id], ['b', b.id]]);
      // The removed member's history is still there.
      expect([...store.events({ creature: 'a', types: ['turn.end'] })]).toHaveLength(1);
      expect([...store.events({ creature: 'b', types: ['turn.end'] })]).toHaveLength(1);
      const messages = [...store.events({ types: ['channel.message'] })];
      expect(messages.map((m) => [m.creature, m.event.creatureId])).toEqual([['a', a.id]]);
      expect(messages[0]?.event).toMatchObject({ channel: 'chat', sender: 'a', content: 'hello b', messageId: sent.messageId });
      const topology = store.getState<TopologyData>(TOPOLOGY_KEY);
      expect(topology?.creatures.map((c) => c.name)).toEqual(['b']);
      expect(topology?.channels.map((c) => c.name).sort()).toEqual(['b', 'chat']);
      expect(topology?.listen).toContainEqual(['b', 'chat']);
      expect(Object.keys(store.getState<Record<string, MemberSpec>>(MEMBERS_KEY) ?? {})).toEqual(['b']);
    } finally {
      store.close();
    }
  });

  it('writes no file for a team without members', async () => {
    const sessions = dir();
    const t = new Terrarium({ name: 'empty', pwd: dir(), sessionDir: sessions });
    t.addChannel('chat');
    await t.shutdown();
    expect(readdirSync(sessions)).toEqual([]);
  });
});
