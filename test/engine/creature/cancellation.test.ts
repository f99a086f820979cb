/**
 * Cancellation is real: a timeout ends the HTTP request (the server sees the
 * socket close) and kills the tool's whole process tree (a `sleep` started
 * by the shell is gone afterwards). Real adapter, real SDK, real processes.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bashTool } from '../../../source/builtins/tools/bash.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { repairToolPairing } from '../../../source/engine/creature/conversation.js';
import { OpenAICompatibleProvider } from '../../../source/engine/llm/openai/adapter.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeReply } from '../../fakes/openai-server.js';
import { expectKilled, waitForFile } from '../../helpers/processes.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function agentOn(script: FakeReply[]) {
  server = await startFakeOpenAI({ script });
  const catalog = new ToolCatalog();
  catalog.register(bashTool);
  const pwd = mkdtempSync(join(tmpdir(), 'kt-cancel-'));
  const llm = new OpenAICompatibleProvider({ model: 'm', apiKey: 'k', baseURL: server.baseURL });
  const agent = await Agent.build({ name: 'c', tools: ['bash'] }, { llm, pwd, catalog, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  return { agent, pwd, server };
}

describe('cancellation', () => {
  it('a timeout aborts the HTTP request to the provider', async () => {
    const { agent, server } = await agentOn([{ hang: true }]);
    // The server never answers: without the timeout the run would never end (and the test would time out).
    const result = await agent.run('hang please', { timeout: 300 });
    expect(result.status).toBe('timeout');
    await server.waitForAbort(3000);
    expect(server.abortedRequests).toBe(1);
    await agent.stop();
  });

  it('a timeout kills the running tool process tree', async () => {
    const { agent, pwd } = await agentOn([
      { toolCalls: [{ id: 's1', name: 'bash', arguments: { command: 'sleep 30 & echo $! > sleep.pid; wait' } }] },
      { text: 'unreachable' },
    ]);
    const pidFile = join(pwd, 'sleep.pid');
    const result = await agent.run('run a long command', { timeout: 1500 });
    expect(result.status).toBe('timeout');
    expect(result.toolCalls[0]).toMatchObject({ name: 'bash', status: 'timeout', isError: true });
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(pid).toBeGreaterThan(0);
    await expectKilled(pid);
    expect(repairToolPairing(agent.messages)).toEqual(agent.messages);
    await agent.stop();
  });

  it('interrupt kills the tool process tree and the next turn goes on', async () => {
    const { agent, pwd, server } = await agentOn([
      { toolCalls: [{ id: 's1', name: 'bash', arguments: { command: 'sleep 30 & echo $! > sleep.pid; wait' } }] },
      { text: 'ready again' },
    ]);
    const pidFile = join(pwd, 'sleep.pid');
    agent.on('tool.call', () => {
      void waitForFile(pidFile).then(() => agent.interrupt());
    });
    const result = await agent.run('start');
    expect(result.status).toBe('interrupted');
    await expectKilled(Number(readFileSync(pidFile, 'utf8').trim()));
    const next = await agent.run('continue');
    expect(next.text).toBe('ready again');
    // The provider saw a valid history: the interrupted call has its result.
    const messages = server.requests[1]!.body!.messages as Array<{ role: string; tool_call_id?: string; content?: string }>;
    const toolMessage = messages.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({ tool_call_id: 's1' });
    expect(toolMessage!.content).toMatch(/interrupted/);
    await agent.stop();
  });

  it('a dropped connection is retried; a 500 is retried; a 401 is not', async () => {
    const { agent, server } = await agentOn([
      { drop: 'before-headers' },
      { error: { status: 500, message: 'boom' } },
      { text: 'third time lucky' },
      { error: { status: 401, message: 'bad key' } },
    ]);
    const events: string[] = [];
    agent.on('llm.retry', (e) => events.push(e.type === 'llm.retry' ? e.errorClass : ''));
    expect((await agent.run('a')).text).toBe('third time lucky');
    expect(events).toEqual(['transient', 'server']);
    const failed = await agent.run('b');
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ code: 'PROVIDER_AUTH', status: 401, retryable: false });
    expect(server.requests).toHaveLength(4);
    await agent.stop();
  });
});
