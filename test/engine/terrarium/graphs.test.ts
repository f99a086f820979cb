/**
 * A terrarium's graphs and their session files: a creature added alone has
 * a graph and a file of its own; connecting two graphs merges their files
 * into a new one (both histories, lineage naming both), disconnecting splits
 * it (each part with the whole history); members keep recording into their
 * graph's current file; nothing is ever dropped.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import type { EngineEvent } from '../../../source/engine/terrarium/engine-events.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { RECIPE, teamModel } from './team-model.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-team-graphs-'));
const build = { catalog: new ToolCatalog(), projectInstructions: false };
const files = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.kohakutr')).sort();
/** A long answer, streamed in many deltas: the log keeps it once and refers to it (text-refs.ts). */
const STORY = Array.from({ length: 300 }, (_, i) => `line ${i} of the story.`).join(' ');

function read<T>(path: string, fn: (reader: SessionReader) => T): T {
  const reader = new SessionReader(path);
  try {
    return fn(reader);
  } finally {
    reader.close();
  }
}

const texts = (path: string, creature: string) => read(path, (r) => r.turns(creature).map((t) => [t.userText, t.assistantText]));

describe('graphs of a terrarium', () => {
  it('merges two graphs into a new file on connect and splits it on disconnect, history kept and recording continued', async () => {
    const pwd = dir();
    const sessions = join(pwd, 'sessions');
    const t = new Terrarium({ name: 'crew', pwd, sessionDir: sessions, llm: teamModel(), build });
    const events: EngineEvent[] = [];
    t.on((e) => events.push(e));
    try {
      const a = await t.addCreature({ name: 'a', system_prompt: 'I am a.' });
      const b = await t.addCreature(
        { name: 'b', system_prompt: 'I am b.' },
        { llm: new ScriptedLLM([{ text: STORY, chunkSize: 7 }], { defaultEntry: { text: 'b again' } }) },
      );
      await a.run('hello from a');
      await b.run('tell a story');

      // Two creatures, nothing shared: two graphs, two files.
      const [ga, gb] = t.graphs();
      expect(t.graphs()).toHaveLength(2);
      expect(ga).toMatchObject({ id: expect.stringMatching(/^graph_[0-9a-f]{8}$/), members: ['a'] });
      expect(gb).toMatchObject({ members: ['b'] });
      const pathA = ga?.sessionPath as string;
      const pathB = gb?.sessionPath as string;
      expect(files(sessions)).toHaveLength(2);
      const idA = read(pathA, (r) => r.meta.sessionId);
      const idB = read(pathB, (r) => r.meta.sessionId);

      // Connect them: one graph (a's id: the older on a tie), a new file holding both histories.
      await t.connect('a', 'b', { channel: 'chat' });
      expect(t.graphs()).toHaveLength(1);
      const merged = t.graphs()[0]!;
      expect(merged).toMatchObject({ id: ga?.id, members: ['a', 'b'] });
      const pathM = merged.sessionPath as string;
      expect([pathA, pathB]).not.toContain(pathM);
      expect(files(sessions)).toHaveLength(3);
      expect(a.agent.sessionPath).toBe(pathM);
      expect(b.agent.sessionPath).toBe(pathM);
      expect(t.graphOf('b')).toBe(ga?.id);
      expect(events.find((e) => e.kind === 'topology_changed' && e.payload['graphs'])?.payload['graphs']).toEqual([
        { kind: 'merge', graphId: ga?.id, merged: [gb?.id], sessionPath: pathM },
      ]);
      read(pathM, (r) => {
        expect(r.lineage).toEqual({ parents: [idA, idB], mergedAt: expect.any(Number) });
        expect(r.meta).toMatchObject({ kind: 'terrarium', agents: ['a', 'b'] });
        expect(r.creatures().map((c) => [c.name, c.id])).toEqual([['a', a.id], ['b', b.id]]);
      });
      expect(texts(pathM, 'a')).toEqual([['hello from a', 'a: got hello from a']]);
      // b's answer came through re-encoded text references: still whole.
      expect(texts(pathM, 'b')).toEqual([['tell a story', STORY]]);
      const raw = SessionStore.open(pathM, { readonly: true });
      try {
        const row = raw.use((db) => db.prepare("SELECT payload FROM events WHERE type = 'turn.end' AND creature = 'b'").get() as { payload: string });
        expect(row.payload).toContain('\\u0000kt-text:');
        expect(row.payload.length).toBeLessThan(STORY.length);
      } finally {
        raw.close();
      }

      // Both record into the merged file now; the old ones stay as they were.
      await b.run('after the merge');
      await a.run('a after the merge');
      expect(texts(pathM, 'b').map(([u]) => u)).toEqual(['tell a story', 'after the merge']);
      expect(texts(pathM, 'a').map(([u]) => u)).toEqual(['hello from a', 'a after the merge']);
      expect(texts(pathB, 'b')).toHaveLength(1);
      expect(texts(pathA, 'a')).toHaveLength(1);

      // Disconnect: a keeps the graph and its file (a tie: the part with the earlier member); b's part gets a full copy.
      await t.disconnect('a', 'b');
      expect(t.graphs()).toHaveLength(2);
      const keptA = t.graphs().find((g) => g.members.includes('a'))!;
      const partB = t.graphs().find((g) => g.members.includes('b'))!;
      expect(keptA).toMatchObject({ id: ga?.id, members: ['a'], sessionPath: pathM });
      expect(partB.id).not.toBe(ga?.id);
      expect(partB.members).toEqual(['b']);
      const pathS = partB.sessionPath as string;
      expect(files(sessions)).toHaveLength(4);
      expect(b.agent.sessionPath).toBe(pathS);
      expect(a.agent.sessionPath).toBe(pathM);
      const idM = read(pathM, (r) => r.meta.sessionId);
      read(pathS, (r) => expect(r.lineage).toEqual({ parents: [idM], splitAt: expect.any(Number) }));
      for (const path of [pathM, pathS]) {
        expect(texts(path, 'a').map(([u]) => u)).toEqual(['hello from a', 'a after the merge']);
        expect(texts(path, 'b')).toEqual([['tell a story', STORY], ['after the merge', 'b again']]);
      }

      // Each records into its own file from now on.
      await a.run('a alone');
      await b.run('b alone');
      expect(texts(pathM, 'a').map(([u]) => u)).toEqual(['hello from a', 'a after the merge', 'a alone']);
      expect(texts(pathM, 'b')).toHaveLength(2);
      expect(texts(pathS, 'b').map(([u]) => u)).toEqual(['tell a story', 'after the merge', 'b alone']);
      expect(texts(pathS, 'a')).toHaveLength(2);
    } finally {
      await t.shutdown();
    }
    // Every file is still there: history is never dropped.
    expect(files(sessions)).toHaveLength(4);
    // The part that split off resumes as itself: b alone, with its whole conversation.
    const split = t.graphs().find((g) => g.members.includes('b'))?.sessionPath as string;
    const r = await Terrarium.resume(split, { llm: teamModel(), build });
    try {
      expect(r.listCreatures().map((m) => m.name)).toEqual(['b']);
      expect(r.getCreature('b')!.agent.messages.slice(1).map((m) => m.content)).toEqual(['tell a story', STORY, 'after the merge', 'b again', 'b alone', 'b again']);
    } finally {
      await r.shutdown();
    }
  });

  it('resumes a merged file with both members and their conversations', async () => {
    const pwd = dir();
    const t = new Terrarium({ name: 'crew', pwd, sessionDir: pwd, llm: teamModel(), build });
    const a = await t.addCreature({ name: 'a', system_prompt: 'I am a.' });
    const b = await t.addCreature({ name: 'b', system_prompt: 'I am b.' });
    await a.run('one');
    await b.run('two');
    await t.connect('a', 'b');
    const path = t.sessionPath as string;
    await t.shutdown();

    const r = await Terrarium.resume(path, { llm: teamModel(), build });
    try {
      expect(r.listCreatures().map((m) => m.name).sort()).toEqual(['a', 'b']);
      expect(r.graphs()).toEqual([{ id: expect.any(String), members: expect.arrayContaining(['a', 'b']), sessionPath: path }]);
      expect(r.getCreature('a')!.id).toBe(a.id);
      expect(r.getCreature('b')!.agent.messages.slice(1).map((m) => m.content)).toEqual(['two', 'b: got two']);
      await r.getCreature('a')!.run('three');
      expect(texts(path, 'a').map(([u]) => u)).toEqual(['one', 'three']);
    } finally {
      await r.shutdown();
    }
  });

  it('builds a connected recipe into one file, with no file per member', async () => {
    const pwd = dir();
    const sessions = join(pwd, 'sessions');
    const recipe = join(pwd, 'terrarium.yaml');
    writeFileSync(recipe, RECIPE);
    const t = await Terrarium.fromRecipe(recipe, { pwd, sessionDir: sessions, llm: teamModel(), build });
    try {
      expect(t.graphs()).toEqual([{ id: expect.any(String), members: ['writer', 'editor'], sessionPath: t.sessionPath }]);
      expect(files(sessions)).toHaveLength(1);
      expect(existsSync(t.sessionPath as string)).toBe(true);
    } finally {
      await t.shutdown();
    }
  });

  it('puts a root and its members in one file although the root hears their channels only once all are built', async () => {
    const pwd = dir();
    const sessions = join(pwd, 'sessions');
    const recipe = { name: 'rooted', root: { system_prompt: 'I am root.' }, creatures: [{ name: 'w1', system_prompt: 'I am w1.' }, { name: 'w2', system_prompt: 'I am w2.' }] };
    const t = await Terrarium.fromRecipe(recipe, { pwd, sessionDir: sessions, llm: teamModel(), build });
    try {
      expect(t.graphs()).toEqual([{ id: expect.any(String), members: ['root', 'w1', 'w2'], sessionPath: t.sessionPath }]);
      // One file: not one per member merged afterwards (a merge would leave its parents on disk).
      expect(files(sessions)).toHaveLength(1);
      read(t.sessionPath as string, (r) => expect(r.lineage).toEqual({ parents: [] }));
    } finally {
      await t.shutdown();
    }
  });

  it('keeps members added alone in graphs of their own, and events name their graph', async () => {
    const t = new Terrarium({ name: 'crew', pwd: dir(), llm: teamModel(), build });
    try {
      const seen: EngineEvent[] = [];
      t.on((e) => seen.push(e));
      await t.addCreature({ name: 'a', system_prompt: 'I am a.' });
      await t.addCreature({ name: 'b', system_prompt: 'I am b.' });
      const [ga, gb] = t.graphs();
      // Without a session folder graphs have ids but no files.
      expect(ga).toEqual({ id: expect.stringMatching(/^graph_/), members: ['a'], sessionPath: undefined });
      expect(gb?.id).not.toBe(ga?.id);
      expect(seen.find((e) => e.kind === 'creature_started' && e.creature === 'b')?.graphId).toBe(gb?.id);
      t.wireOutput('b', 'a');
      expect(t.graphs().map((g) => g.members)).toEqual([['a', 'b']]);
      t.unwireOutput(t.snapshot().wires[0]!.id);
      expect(t.graphs().map((g) => g.members)).toEqual([['a'], ['b']]);
    } finally {
      await t.shutdown();
    }
  });
});
