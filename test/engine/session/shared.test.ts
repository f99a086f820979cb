/**
 * One session file shared by several creatures (what a terrarium does):
 * each records into it and restores its own conversation from it by name,
 * and the owner alone holds the lock and closes the file.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import { SessionBusyError } from '../../../source/engine/errors.js';
import { SharedSessionFile } from '../../../source/engine/session/shared-file.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-shared-'));
const meta = () => ({ kind: 'terrarium' as const, configRef: '<test>', pwd: '/tmp' });

function build(name: string, handle: SharedSessionFile, llm: ScriptedLLM) {
  return Agent.build({ name, system_prompt: `I am ${name}.` }, { llm, catalog: new ToolCatalog(), pwd: dir(), projectInstructions: false, sharedSession: handle });
}

describe('a session file shared by several creatures', () => {
  it('holds both creatures keyed by name and id, restores each, and is closed only by its owner', async () => {
    const path = join(dir(), 'team.kohakutr');
    const handle = SharedSessionFile.create(path, meta);
    const a = await build('alice', handle, new ScriptedLLM([{ text: 'alice one' }]));
    const b = await build('bob', handle, new ScriptedLLM([{ text: 'bob one' }]));
    await a.start();
    await b.start();
    await a.run('hello alice');
    await b.run('hello bob');
    await a.stop();
    await b.stop();
    // The creatures stopped; the owner's store is still open and locked.
    expect(() => SessionStore.open(path, { owner: true })).toThrow(SessionBusyError);
    expect(handle.store?.meta.agents).toEqual(['alice', 'bob']);
    handle.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const store = SessionStore.open(path, { readonly: true });
    const starts = [...store.events({ types: ['creature.start'] })];
    expect(starts.map((s) => [s.creature, s.event.creatureId])).toEqual([
      ['alice', a.creatureId],
      ['bob', b.creatureId],
    ]);
    expect([...store.events({ types: ['system.prompt'] })].map((s) => s.creature)).toEqual(['alice', 'bob']);
    store.close();

    // Both come back on the same file, each with its own conversation and ids.
    const again = SharedSessionFile.open(path);
    const llmA = new ScriptedLLM([{ text: 'alice two' }]);
    const a2 = await build('alice', again, llmA);
    const b2 = await build('bob', again, new ScriptedLLM([]));
    expect(a2.creatureId).toBe(a.creatureId);
    expect(b2.creatureId).toBe(b.creatureId);
    expect(b2.messages.slice(1).map((m) => contentText(m.content))).toEqual(['hello bob', 'bob one']);
    expect(contentText(b2.messages[0]?.content ?? '')).toMatch(/^I am bob\./);
    await a2.start();
    await a2.run('again');
    expect(llmA.lastRequest?.messages.slice(1).map((m) => contentText(m.content))).toEqual(['hello alice', 'alice one', 'again']);
    await a2.stop();
    await b2.stop();
    again.close();
    // A resumed start is logged as in a creature's own file, under the same id.
    const after = SessionStore.open(path, { readonly: true });
    expect([...after.events({ types: ['creature.start'] })].map((s) => [s.creature, s.event.creatureId])).toEqual([
      ['alice', a.creatureId],
      ['bob', b.creatureId],
      ['alice', a.creatureId],
    ]);
    after.close();
  });
});
