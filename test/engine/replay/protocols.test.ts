/**
 * Sessions recorded through each provider protocol (OpenAI chat
 * completions, Anthropic Messages, Gemini, OpenAI Responses), over the real
 * SDKs against the fake servers, replay equal; the replay sends the fake
 * nothing (its request count stays where the recording left it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import { AnthropicProvider } from '../../../source/engine/llm/anthropic/adapter.js';
import { GeminiProvider } from '../../../source/engine/llm/gemini/adapter.js';
import { OpenAICompatibleProvider } from '../../../source/engine/llm/openai/adapter.js';
import { ResponsesProvider } from '../../../source/engine/llm/openai/responses/adapter.js';
import type { Provider } from '../../../source/engine/llm/provider.js';
import { formatDivergence } from '../../../source/engine/replay/diff.js';
import { replaySession } from '../../../source/engine/replay/replay-session.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { startFakeAnthropic } from '../../fakes/anthropic-server.js';
import { startFakeGemini } from '../../fakes/gemini-server.js';
import { startFakeOpenAI } from '../../fakes/openai-server.js';
import { startFakeResponses } from '../../fakes/responses-server.js';

interface Fake {
  baseURL: string;
  requests: readonly unknown[];
  close(): Promise<void>;
}

const PROTOCOLS: Array<[string, (script: never) => Promise<Fake>, (baseURL: string) => Provider]> = [
  ['openai', (script) => startFakeOpenAI({ script }), (baseURL) => new OpenAICompatibleProvider({ model: 'm', apiKey: 'k', baseURL })],
  ['anthropic', (script) => startFakeAnthropic({ script }), (baseURL) => new AnthropicProvider({ model: 'claude-test', apiKey: 'k', baseURL })],
  ['gemini', (script) => startFakeGemini({ script }), (baseURL) => new GeminiProvider({ model: 'gemini-test', apiKey: 'k', baseURL })],
  ['responses', (script) => startFakeResponses({ script }), (baseURL) => new ResponsesProvider({ model: 'm', apiKey: 'k', baseURL })],
];

const add = tool({ name: 'add', description: 'Add two numbers.', input: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
const build = { tools: [add], catalog: new ToolCatalog() };

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe.each(PROTOCOLS)('a session recorded through %s', (_name, start, connect) => {
  it('replays equal and sends the model nothing', async () => {
    fake = await start([{ text: 'Adding.', toolCalls: [{ id: 'call_a', name: 'add', arguments: { a: 1, b: 2 } }] }, { text: 'It is 3.' }, { text: 'Bye.' }] as never);
    const path = join(mkdtempSync(join(tmpdir(), 'kt-replay-proto-')), 'run.kohakutr');
    const agent = await Agent.build({ name: 'adder', system_prompt: 'You add.' }, { ...build, llm: connect(fake.baseURL), pwd: mkdtempSync(join(tmpdir(), 'kt-proto-pwd-')), session: path });
    await agent.run('1 + 2?');
    await agent.run('Thanks.');
    await agent.stop();
    const sent = fake.requests.length;

    const report = await replaySession(path, { build });
    expect(report.divergences.map(formatDivergence)).toEqual([]);
    expect(report.creatures[0]).toMatchObject({ unserved: {}, extraCalls: [], replayed: { steps: 3, toolCalls: 1 } });
    expect(fake.requests.length).toBe(sent);
  });
});
