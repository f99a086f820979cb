/**
 * A long answer is stored once: its deltas (coalesced when flushed) hold the
 * text, and step.end, turn.end and the closing snapshot refer to it. The file
 * stays within 1.3× the answer, and replaying it gives back exactly what the
 * creature had.
 */
import { mkdtempSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { EventOf } from '../../../source/engine/events.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { OpenAICompatibleProvider } from '../../../source/engine/llm/openai/adapter.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../fakes/openai-server.js';

const SEED = 0x5eed10;
const ANSWER_BYTES = 10 * 1024 * 1024;

/** mulberry32: a small seeded generator, so the text is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pseudo-random words from a large made-up vocabulary, with punctuation and line breaks: prose that does not compress trivially. */
function prose(bytes: number, seed: number): string {
  const next = random(seed);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const vocabulary = Array.from({ length: 5000 }, () =>
    Array.from({ length: 2 + Math.floor(next() * 9) }, () => letters[Math.floor(next() * 26)]).join(''),
  );
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const word = vocabulary[Math.floor(next() * vocabulary.length)] as string;
    const roll = next();
    const piece = roll < 0.05 ? `${word}.\n` : roll < 0.12 ? `${word}, ` : `${word} `;
    parts.push(piece);
    size += piece.length;
  }
  return parts.join('').slice(0, bytes);
}

function fileBytes(path: string): number {
  return [path, `${path}-wal`, `${path}-shm`].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0);
}

const dir = () => mkdtempSync(join(tmpdir(), 'kt-size-'));

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('session size', () => {
  it('a 10 MB answer streamed in many deltas makes a file of at most 1.3× its size, and replays exactly', async () => {
    console.log(`session size test: seed ${SEED}`);
    const answer = prose(ANSWER_BYTES, SEED);
    const path = join(dir(), 'long.kohakutr');
    const llm = new ScriptedLLM([{ text: answer, chunkSize: 200, usage: { input: 10, output: 2_500_000, cached: 0 } }]);
    const agent = await Agent.build({ name: 'writer', system_prompt: 'You write at length.' }, { llm, tools: [], catalog: new ToolCatalog(), pwd: dir(), session: path });
    let deltas = 0;
    agent.on((event) => {
      if (event.type === 'text.delta') deltas++;
    });
    await agent.run('Write a long story.');
    const live = [...agent.messages];
    await agent.stop(); // the closing snapshot holds the whole conversation

    const size = fileBytes(path);
    console.log(`session size test: answer ${answer.length} bytes in ${deltas} deltas -> file ${size} bytes (${(size / answer.length).toFixed(2)}x)`);
    expect(deltas).toBeGreaterThan(50_000);
    expect(size).toBeLessThanOrEqual(1.3 * answer.length);

    using reader = new SessionReader(path);
    expect(reader.conversation('writer')).toEqual(live);
    const streamed = [...reader.events({ types: ['text.delta'] })].map((e) => (e as EventOf<'text.delta'>).text).join('');
    expect(streamed === answer).toBe(true);
    const [stepEnd] = [...reader.events({ types: ['step.end'] })] as Array<EventOf<'step.end'>>;
    expect(stepEnd?.text === answer).toBe(true);
    const [turnEnd] = [...reader.events({ types: ['turn.end'] })] as Array<EventOf<'turn.end'>>;
    expect(turnEnd?.text === answer).toBe(true);
    const [turn] = reader.turns('writer');
    expect(turn?.assistantText === answer).toBe(true);
  }, 120_000);

  it('the same over the wire: reasoning and answer from an OpenAI-compatible server, flushed on the recorder\'s own timer', async () => {
    console.log(`session size test (wire): seed ${SEED + 1}`);
    const reasoning = prose(1024 * 1024, SEED + 2);
    const answer = prose(8 * 1024 * 1024, SEED + 1);
    server = await startFakeOpenAI({ script: [{ text: answer, reasoning, chunkSize: 160 }] });
    const llm = new OpenAICompatibleProvider({ model: 'm', apiKey: 'k', baseURL: server.baseURL });
    const path = join(dir(), 'wire.kohakutr');
    const agent = await Agent.build({ name: 'writer', system_prompt: 'You write at length.' }, { llm, tools: [], catalog: new ToolCatalog(), pwd: dir(), session: path });
    await agent.run('Think, then write a long story.');
    const live = [...agent.messages];
    await agent.stop();

    const size = fileBytes(path);
    const text = answer.length + reasoning.length;
    using reader = new SessionReader(path);
    const rows = [...reader.events({ types: ['text.delta', 'reasoning.delta'] })];
    console.log(`session size test (wire): ${text} bytes of text -> file ${size} bytes (${(size / text).toFixed(2)}x), ${rows.length} delta rows stored`);
    expect(size).toBeLessThanOrEqual(1.3 * text);
    expect(reader.conversation('writer')).toEqual(live);
    const joined = (type: string) => rows.filter((e) => e.type === type).map((e) => (e as EventOf<'text.delta'>).text).join('');
    expect(joined('text.delta') === answer).toBe(true);
    expect(joined('reasoning.delta') === reasoning).toBe(true);
  }, 120_000);
});
