/**
 * A long session comes back exactly: a conversation of a few thousand
 * messages with tool calls, some tool outputs and answers long enough to be
 * stored once and referred to (text-refs.ts), resumed from its snapshot and
 * replayed from the whole log, equals what the creature had. Restoring reads
 * only what it needs (branches and usage without resolving texts, no
 * deltas); this pins that the conversation, turns and totals are unchanged.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, forkSession, SessionReader, SessionStore, tool } from '../../../source/index.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const TURNS = 520; // four messages a turn: 2,080 and the system prompt

/** A tool output of about `bytes` characters, like a file read. */
const fileText = (n: number, bytes: number) => Array.from({ length: Math.ceil(bytes / 40) }, (_, i) => `${String(i).padStart(4)} const v${n}_${i} = step(${i});`).join('\n');

describe('resuming a long session', () => {
  it('gives back the same conversation, turns and totals from the snapshot and from a full replay', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-long-resume-'));
    const path = join(dir, 'long.kohakutr');
    // Every fourth output is a few KB (a field others refer to); answers grow past the reference threshold.
    const read = tool({ name: 'read_file', description: 'Read a file.', input: z.object({ n: z.number() }), execute: ({ n }) => fileText(n, n % 4 === 0 ? 3_000 : 300) });
    const steps = [];
    for (let i = 0; i < TURNS; i++) {
      steps.push({ text: `Reading module ${i}.`, toolCalls: [{ name: 'read_file', args: { n: i } }], chunkSize: 64 });
      steps.push({ text: `Module ${i} is fine. ${'It handles its edge cases. '.repeat(1 + (i % 30))}`, chunkSize: 64 });
    }
    const agent = await Agent.build({ name: 'coder', system_prompt: 'You read code.' }, { llm: new ScriptedLLM(steps), tools: [read], session: path, pwd: dir });
    for (let i = 0; i < TURNS; i++) await agent.run(`Check module ${i}.`);
    const messages = structuredClone(agent.messages);
    const usage = agent.usage;
    await agent.stop();
    expect(messages.length).toBe(4 * TURNS + 1);
    expect(messages.filter((m) => m.role === 'tool' && typeof m.content === 'string' && m.content.length > 2_000).length).toBe(TURNS / 4);

    const resumeCopy = async (name: string, dropSnapshots: boolean) => {
      const copy = join(dir, name);
      forkSession(path, copy);
      if (dropSnapshots) {
        const store = SessionStore.open(copy);
        store.database.prepare('DELETE FROM snapshots').run();
        store.close();
      }
      const again = await Agent.build({ name: 'coder', system_prompt: 'You read code.' }, { llm: new ScriptedLLM([]), tools: [read], session: copy, pwd: dir });
      const state = { messages: again.messages, turns: again.turns, usage: again.usage };
      await again.stop();
      return state;
    };
    for (const dropSnapshots of [false, true]) {
      const resumed = await resumeCopy(dropSnapshots ? 'replayed.kohakutr' : 'resumed.kohakutr', dropSnapshots);
      expect(resumed.messages).toEqual(messages);
      expect(resumed.turns).toBe(TURNS);
      expect(resumed.usage).toEqual(usage);
    }
    using reader = new SessionReader(path);
    expect(reader.conversation()).toEqual(messages);
    const turns = reader.turns();
    expect(turns.length).toBe(TURNS);
    expect(turns.at(-1)?.toolCalls[0]?.result).toBe(fileText(TURNS - 1, 300));
  });
});
