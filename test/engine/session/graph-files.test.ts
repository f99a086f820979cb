/**
 * Merging and splitting session files (a terrarium's graphs): the merged
 * file holds every source's history — the first source's rows with their
 * ids, the others re-appended with their text references written again and
 * their images kept — with lineage in its meta; a split copy holds all of
 * it; the sources are left as they were; a merge that fails leaves no file.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { ContentPart } from '../../../source/engine/llm/messages.js';
import { artifactsDir } from '../../../source/engine/session/artifacts.js';
import { mergeSessionFiles, splitSessionFile } from '../../../source/engine/session/graph-files.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-graph-files-'));
const png = `data:image/png;base64,${Buffer.alloc(6000, 7).toString('base64')}`;
const withImage: ContentPart[] = [
  { type: 'text', text: 'What is in this picture?' },
  { type: 'image', url: png },
];
const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');

async function session(folder: string, name: string, input: string | ContentPart[], text: string): Promise<string> {
  const path = join(folder, `${name}.kohakutr`);
  const agent = await Agent.build({ name, system_prompt: `I am ${name}.` }, { llm: new ScriptedLLM([{ text, chunkSize: 5 }]), catalog: new ToolCatalog(), pwd: folder, session: path, projectInstructions: false });
  await agent.run(input);
  await agent.stop();
  return path;
}

const conversation = (path: string, creature: string) => {
  using reader = new SessionReader(path);
  return reader.conversation(creature);
};

describe('merging and splitting session files', () => {
  it('merges two files into a new one with both histories and lineage, and a split copy keeps all of it', async () => {
    const folder = dir();
    const pathA = await session(folder, 'ann', 'hello ann', 'ann answers');
    const pathB = await session(folder, 'bob', withImage, long);
    const before = { ann: conversation(pathA, 'ann'), bob: conversation(pathB, 'bob') };
    const a = SessionStore.open(pathA, { owner: true });
    const b = SessionStore.open(pathB, { owner: true });
    const lastA = a.lastEventId();
    const merged = mergeSessionFiles(join(folder, 'merged.kohakutr'), [a, b], 1234);
    const ids = [a.meta.sessionId, b.meta.sessionId];
    a.close();
    b.close();
    try {
      expect(merged.meta).toMatchObject({ agents: ['ann', 'bob'], turns: 2, parentSessionIds: ids, mergedAt: 1234 });
      // The surviving file's rows keep their ids; the other's follow them.
      expect([...merged.events({ until: lastA })].every((s) => s.creature === 'ann')).toBe(true);
      expect([...merged.events({ since: lastA })].every((s) => s.creature === 'bob')).toBe(true);
      const turnEnd = merged.use((db) => db.prepare("SELECT payload FROM events WHERE type = 'turn.end' AND creature = 'bob'").get() as { payload: string });
      expect(turnEnd.payload).toContain('\\u0000kt-text:');
      expect(turnEnd.payload).not.toContain('base64');
    } finally {
      merged.close();
    }
    expect(conversation(merged.path, 'ann')).toEqual(before.ann);
    expect(conversation(merged.path, 'bob')).toEqual(before.bob);
    // The image lives in the merged file's own artifacts folder.
    rmSync(artifactsDir(pathB), { recursive: true });
    expect(conversation(merged.path, 'bob')).toEqual(before.bob);
    {
      using reader = new SessionReader(merged.path);
      expect(reader.lineage).toEqual({ parents: ids, mergedAt: 1234 });
    }

    const source = SessionStore.open(merged.path, { owner: true });
    const copy = splitSessionFile(source, join(folder, 'part.kohakutr'), 99);
    const mergedId = source.meta.sessionId;
    source.close();
    copy.close();
    using part = new SessionReader(copy.path);
    expect(part.lineage).toEqual({ parents: [mergedId], splitAt: 99 });
    expect(part.conversation('ann')).toEqual(before.ann);
    expect(part.conversation('bob')).toEqual(before.bob);
    // The sources are untouched.
    expect(conversation(pathA, 'ann')).toEqual(before.ann);
  });

  it('leaves no file when a merge fails half-way', async () => {
    const folder = dir();
    const a = SessionStore.open(await session(folder, 'ann', 'hi', 'ok'), { owner: true });
    const b = SessionStore.open(await session(folder, 'bob', 'hi', 'ok'), { owner: true });
    try {
      // A damaged second source: its events cannot be read back.
      b.use((db) => db.prepare("UPDATE events SET payload = '{not json' WHERE type = 'turn.end'").run(), 'write');
      expect(() => mergeSessionFiles(join(folder, 'merged.kohakutr'), [a, b])).toThrow(/damaged/);
      expect(existsSync(join(folder, 'merged.kohakutr'))).toBe(false);
      expect(readdirSync(folder).filter((f) => f.startsWith('.merged'))).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });
});
