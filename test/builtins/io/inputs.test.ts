/** The built-in input types through a real Agent: stdin_lines over a stream, webhook over HTTP on 127.0.0.1, custom modules. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { StdinLinesInput } from '../../../source/builtins/io/stdin-lines-input.js';
import { WebhookInput } from '../../../source/builtins/io/webhook-input.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ConfigError } from '../../../source/engine/errors.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-in-'));
/** An LLM that answers each turn with its input, upper-cased: each client must get the answer to its own input. */
const shouting = (turns: number) => new ScriptedLLM(Array.from({ length: turns }, () => (request: LLMRequest) => ({ text: String(request.messages.at(-1)?.content).toUpperCase() })));

describe('stdin_lines input', () => {
  it('runs a turn per non-empty line, in order, and stops the creature at the end of the stream', async () => {
    const stream = new PassThrough();
    const agent = await Agent.build({ name: 'liner' }, { llm: new ScriptedLLM([{ text: 'one' }, { text: 'two' }, { text: 'three' }]), pwd: dir(), catalog: new ToolCatalog(), input: new StdinLinesInput(stream) });
    const events: AgentEvent[] = [];
    agent.on((e) => void events.push(e));
    const stopped = new Promise<string>((resolve) => agent.on('creature.stop', (e) => resolve(e.reason)));
    await agent.start();
    stream.end('first\n\n  \nsecond\nthird\n');
    expect(await stopped).toBe('stdin closed');
    const inputs = events.flatMap((e) => (e.type === 'turn.start' ? [`${String(e.input)} ${e.source} ${e.origin?.kind}`] : []));
    expect(inputs).toEqual(['first api stdin_lines', 'second api stdin_lines', 'third api stdin_lines']);
    expect(events.flatMap((e) => (e.type === 'turn.end' ? [e.text] : []))).toEqual(['one', 'two', 'three']);
  });
});

async function webhookAgent(options: { secret?: string; texts?: string[]; llm?: ScriptedLLM }) {
  const input = new WebhookInput({ port: 0, path: '/ask', ...(options.secret ? { secret: options.secret } : {}) });
  const llm = options.llm ?? new ScriptedLLM((options.texts ?? []).map((text) => ({ text })));
  const agent = await Agent.build({ name: 'hook' }, { llm, pwd: dir(), catalog: new ToolCatalog(), input });
  await agent.start();
  return { agent, url: `http://127.0.0.1:${input.port}/ask` };
}

describe('webhook input', () => {
  it('a POST is a turn; the reply carries its answer; concurrent requests are answered in order', async () => {
    const { agent, url } = await webhookAgent({ llm: shouting(3) });
    try {
      const post = (body: string, type = 'application/json') => fetch(url, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
      const replies = await Promise.all([post('{"input":"a"}'), post('{"message":"b"}'), post('plain c', 'text/plain')]);
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(replies.map((r) => r.body.text)).toEqual(['A', 'B', 'PLAIN C']);
      expect(replies.every((r) => r.body.status === 'completed')).toBe(true);
      // One turn each, run one after the other in the order the requests arrived.
      expect(new Set(replies.map((r) => r.body.turnId)).size).toBe(3);
      const started = agent.liveTurns.map((t) => String(t.input));
      expect([...started].sort()).toEqual(['a', 'b', 'plain c']);
      expect((await fetch(url.replace('/ask', '/other'), { method: 'POST', body: 'x' })).status).toBe(404);
    } finally {
      await agent.stop();
    }
  });

  it('with a secret, a wrong or missing signature is refused with 401 and a right one runs', async () => {
    const { agent, url } = await webhookAgent({ secret: 's3cret', texts: ['signed ok'] });
    try {
      const body = '{"prompt":"hello"}';
      const sig = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
      expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
      expect((await fetch(url, { method: 'POST', body, headers: { 'x-signature-256': 'sha256=00' } })).status).toBe(401);
      const good = await fetch(url, { method: 'POST', body, headers: { 'x-signature-256': sig } });
      expect(good.status).toBe(200);
      expect(await good.json()).toMatchObject({ status: 'completed', text: 'signed ok' });
      expect(agent.turns).toBe(1);
    } finally {
      await agent.stop();
    }
  });

  it('a body over 1 MB is refused with 413', async () => {
    const { agent, url } = await webhookAgent({ texts: [] });
    try {
      expect((await fetch(url, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })).status).toBe(413);
      expect(agent.turns).toBe(0);
    } finally {
      await agent.stop();
    }
  });

  it('a port in use makes start() reject naming host and port', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const agent = await Agent.build({ name: 'busy', input: { type: 'webhook', port } }, { llm: new ScriptedLLM([]), pwd: dir(), catalog: new ToolCatalog() });
      await expect(agent.start()).rejects.toThrow(`cannot listen on 127.0.0.1:${port}: the port is in use`);
      expect(agent.state).toBe('stopped');
    } finally {
      taken.close();
    }
  });
});

describe('custom input and output modules', () => {
  it('a module without the right export is a ConfigError naming the file', async () => {
    const folder = dir();
    writeFileSync(join(folder, 'thing.mjs'), 'export const other = 1;\nexport default { kind: "x", nothing: true };\n');
    const err = await Agent.build({ name: 'c', input: { type: 'custom', module: './thing.mjs' } }, { llm: new ScriptedLLM([]), pwd: folder, catalog: new ToolCatalog() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(join(folder, 'thing.mjs'));
    expect((err as Error).message).toMatch(/is not an input module/);
    const missing = await Agent.build({ name: 'c', output: { type: 'custom', module: './thing.mjs', class: 'Nope' } }, { llm: new ScriptedLLM([]), pwd: folder, catalog: new ToolCatalog() }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/thing\.mjs has no export 'Nope'/);
  });

  it('a factory export gets its options and runs as the input', async () => {
    const folder = dir();
    writeFileSync(join(folder, 'once.mjs'), 'export default (options) => ({ kind: "once", start(ctx) { void ctx.submit(options.say).then(() => ctx.end("done")); } });\n');
    const agent = await Agent.build({ name: 'c', input: { module: './once.mjs', say: 'hi there' } }, { llm: new ScriptedLLM([{ text: 'hello' }]), pwd: folder, catalog: new ToolCatalog() });
    const stopped = new Promise<string>((resolve) => agent.on('creature.stop', (e) => resolve(e.reason)));
    await agent.start();
    expect(await stopped).toBe('done');
    expect(agent.messages.find((m) => m.role === 'user')?.content).toBe('hi there');
  });
});
