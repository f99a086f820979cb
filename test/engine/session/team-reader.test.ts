/** `SessionReader` on a terrarium's file (its creatures, channels and channel messages) and on an agent's (one creature, no channels). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { groupControl } from '../../../source/engine/terrarium/group-control.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-team-reader-'));
const build = { catalog: new ToolCatalog(), projectInstructions: false };

describe('SessionReader', () => {
  it('lists a team file: creatures with ids and privilege, channels, and each channel\'s messages in order', async () => {
    const pwd = dir();
    const t = new Terrarium({ name: 'crew', pwd, sessionDir: pwd, build, llm: new ScriptedLLM([], { defaultEntry: { text: 'ok' } }) });
    const lead = await t.addCreature({ name: 'lead', system_prompt: 'Lead.' }, { privileged: true, start: false });
    const dev = await t.addCreature({ name: 'dev', system_prompt: 'Dev.' }, { start: false });
    t.addChannel('plan', { description: 'what to do', type: 'queue' });
    t.setSend('lead', 'plan');
    t.setSend('dev', 'plan');
    const first = groupControl(t, 'lead').send('plan', 'write the parser');
    const reply = groupControl(t, 'dev').send('plan', 'on it', { replyTo: first.messageId });
    t.hub.send('dev', 'a word from outside', { sender: 'user' });
    const path = t.sessionPath as string;
    await t.shutdown();

    using reader = new SessionReader(path);
    expect(reader.meta.kind).toBe('terrarium');
    const creatures = reader.creatures();
    expect(creatures.map(({ name, id, privileged }) => ({ name, id, privileged }))).toEqual([
      { name: 'lead', id: lead.id, privileged: true },
      { name: 'dev', id: dev.id, privileged: false },
    ]);
    expect(creatures.every((c) => c.events >= 2)).toBe(true);
    expect(reader.channels()).toEqual([
      { name: 'lead', type: 'broadcast', description: 'direct messages to lead' },
      { name: 'dev', type: 'broadcast', description: 'direct messages to dev' },
      { name: 'plan', type: 'queue', description: 'what to do' },
    ]);
    expect(reader.messages('plan').map(({ id, sender, content, replyTo }) => ({ id, sender, content, replyTo }))).toEqual([
      { id: first.messageId, sender: 'lead', content: 'write the parser', replyTo: undefined },
      { id: reply.messageId, sender: 'dev', content: 'on it', replyTo: first.messageId },
    ]);
    expect(reader.messages('dev').map((m) => [m.sender, m.content])).toEqual([['user', 'a word from outside']]);
  });

  it('reads an agent session as one creature with no channels', async () => {
    const path = join(dir(), 'solo.kohakutr');
    const agent = await Agent.build({ name: 'solo', system_prompt: 'Solo.' }, { llm: new ScriptedLLM([{ text: 'hi' }]), session: path, ...build });
    await agent.start();
    await agent.run('hello');
    await agent.stop();
    using reader = new SessionReader(path);
    const [only, ...rest] = reader.creatures();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ name: 'solo', id: agent.creatureId });
    expect(only?.privileged).toBeUndefined();
    expect(only?.events).toBe([...reader.events()].length);
    expect(reader.channels()).toEqual([]);
    expect(reader.messages('anything')).toEqual([]);
  });
});
