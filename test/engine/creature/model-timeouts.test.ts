/**
 * The turn's own timeout (`--timeout`, `run(…, { timeout })`) bounds the
 * whole turn, retries and their backoff included, and no timeout value is
 * ever turned into Node's 1 ms fallback: out-of-range values are refused
 * with a clear error. Real adapter, real SDK, the fake OpenAI server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ConfigError, UsageError } from '../../../source/engine/errors.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { OpenAICompatibleProvider } from '../../../source/engine/llm/openai/adapter.js';
import { MAX_TIMER_MS } from '../../../source/engine/llm/request-timeouts.js';
import type { RetryPolicy } from '../../../source/engine/llm/retry.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeReply } from '../../fakes/openai-server.js';
import { rejection } from '../../helpers/thrown.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function agentOn(script: FakeReply[], retry: Partial<RetryPolicy>, controller: Record<string, unknown> = {}) {
  server = await startFakeOpenAI({ script });
  const llm = new OpenAICompatibleProvider({ model: 'm', apiKey: 'k', baseURL: server.baseURL });
  const pwd = mkdtempSync(join(tmpdir(), 'kt-model-timeouts-'));
  const agent = await Agent.build({ name: 'c', controller }, { llm, pwd, catalog: new ToolCatalog(), retry });
  const events: AgentEvent[] = [];
  agent.on((e) => events.push(e));
  return { agent, events, server };
}

describe('the turn timeout caps the whole run', () => {
  it('ends a turn that is sleeping before a retry', async () => {
    // Ten minutes of backoff: only an abort that reaches the sleep ends this turn.
    const { agent, events } = await agentOn([{ error: { status: 500 } }], { baseDelayMs: 600_000, maxDelayMs: 600_000, jitter: 0 });
    const result = await agent.run('hi', { timeout: 300 });
    expect(result.status).toBe('timeout');
    expect(events.filter((e) => e.type === 'llm.retry')).toMatchObject([{ delayMs: 600_000 }]);
    await agent.stop();
  });

  it('ends a turn whose requests keep timing out and being retried', async () => {
    const hangs: FakeReply[] = Array.from({ length: 50 }, () => ({ hang: true }));
    const { agent, server } = await agentOn(hangs, { maxRetries: 50, baseDelayMs: 1, maxDelayMs: 1 }, { request_timeout: 0.1 });
    const result = await agent.run('hi', { timeout: 1000 });
    expect(result.status).toBe('timeout');
    // Every request that was sent got closed: the last one by the turn's abort.
    await server.waitForAbort();
    await agent.stop();
  });
});

describe('timer range', () => {
  it('refuses a run timeout beyond what a Node timer holds, naming the maximum', async () => {
    const { agent, server } = await agentOn([{ text: 'never' }], {});
    const error = await rejection(UsageError, agent.run('hi', { timeout: MAX_TIMER_MS + 1 }));
    expect(error.message).toContain(`at most ${MAX_TIMER_MS} milliseconds`);
    expect(server.requests).toHaveLength(0);
    await agent.stop();
  });

  it('takes the largest timeout a Node timer holds at its word', async () => {
    const { agent } = await agentOn([{ text: 'in time' }], {});
    expect(await agent.run('hi', { timeout: MAX_TIMER_MS })).toMatchObject({ status: 'completed', text: 'in time' });
    await agent.stop();
  });

  it.each(['request_timeout', 'stream_idle_timeout'])('refuses controller.%s beyond the timer range', async (key) => {
    const build = Agent.build({ name: 'c', controller: { [key]: 3_000_000 } }, { llm: new OpenAICompatibleProvider({ model: 'm', apiKey: 'k' }) });
    const error = await rejection(ConfigError, build);
    expect(error.message).toContain(`controller.${key}`);
    expect(error.message).toContain('at most 2147483 seconds');
  });
});
