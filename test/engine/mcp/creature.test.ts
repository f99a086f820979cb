/**
 * MCP servers through a creature, against the scripted model: flat
 * exposure puts each server tool beside the built-ins as `<server>__<tool>`,
 * a server that adds a tool is seen from the next round on, a server that
 * fails is a named warning, and stopping the creature stops the servers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { expectKilled } from '../../helpers/processes.js';
import { until } from '../../helpers/until.js';
import { broken, everything, testServer } from './servers.js';

let agent: Agent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

const pwd = () => mkdtempSync(join(tmpdir(), 'kt-mcp-creature-'));

describe('a creature with mcp_servers (flat exposure)', () => {
  it('offers each server tool as <server>__<tool> with its schema and runs it through the executor', async () => {
    const llm = new ScriptedLLM([{ toolCalls: [{ id: 'e1', name: 'everything__echo', args: { message: 'round trip' } }] }, { text: 'done' }]);
    agent = await Agent.build({ name: 'c', mcp_servers: [everything()] }, { llm, pwd: pwd(), catalog: new ToolCatalog() });
    const result = await agent.run('echo something');
    const echo = llm.calls[0]!.tools!.find((t) => t.name === 'everything__echo');
    expect(echo?.parameters).toMatchObject({ type: 'object', properties: { message: { type: 'string' } } });
    expect(result.toolCalls[0]).toMatchObject({ name: 'everything__echo', status: 'ok', output: 'Echo: round trip' });
    expect(agent.systemPrompt).not.toContain('Available MCP Tools');
  });

  it('in a text call format the prompt lists the flat MCP tools, and a written call runs', async () => {
    const llm = new ScriptedLLM([{ text: 'Echoing.\n[/everything__echo]\n@@message=in brackets\n[everything__echo/]' }, { text: 'done' }]);
    agent = await Agent.build({ name: 'c', controller: { tool_format: 'bracket' }, mcp_servers: [everything()] }, { llm, pwd: pwd(), catalog: new ToolCatalog() });
    expect(agent.systemPrompt).toMatch(/## Available MCP Tools[\s\S]*- \*\*everything__echo\*\*: [\s\S]*- `message` \(string, required\)/);
    const result = await agent.run('go');
    expect(result.toolCalls[0]).toMatchObject({ name: 'everything__echo', status: 'ok', output: 'Echo: in brackets' });
  });

  it('server progress becomes tool.progress events of the call', async () => {
    const llm = new ScriptedLLM([{ toolCalls: [{ id: 'p1', name: 'everything__trigger-long-running-operation', args: { duration: 0.2, steps: 2 } }] }, { text: 'done' }]);
    agent = await Agent.build({ name: 'c', mcp_servers: [everything()] }, { llm, pwd: pwd(), catalog: new ToolCatalog() });
    const progress: unknown[] = [];
    agent.on('tool.progress', (e) => progress.push({ callId: e.callId, name: e.name, data: e.data }));
    const result = await agent.run('go');
    expect(result.toolCalls[0]).toMatchObject({ status: 'ok' });
    expect(progress[0]).toEqual({ callId: 'p1', name: 'everything__trigger-long-running-operation', data: { progress: 1, total: 2 } });
  });

  it('a tool the server adds (tools/list_changed) is offered from the next round; stop kills the server', async () => {
    const llm = new ScriptedLLM([
      { toolCalls: [{ id: 'a1', name: 'kt__add_tool' }] },
      { text: 'added' },
      { toolCalls: [{ id: 'x1', name: 'kt__extra', args: { word: 'now' } }] },
      { text: 'done' },
    ]);
    agent = await Agent.build({ name: 'c', mcp_servers: [testServer()] }, { llm, pwd: pwd(), catalog: new ToolCatalog() });
    expect(agent.tools).not.toContain('kt__extra');
    await agent.run('add a tool');
    await until(() => agent!.tools.includes('kt__extra'), 'the new tool to be offered');
    const second = await agent.run('use it');
    expect(llm.calls[2]!.tools!.map((t) => t.name)).toContain('kt__extra');
    expect(second.toolCalls[0]).toMatchObject({ status: 'ok', output: 'extra now' });
    const pid = agent.mcp!.servers()[0]!.pid!;
    await agent.stop();
    await expectKilled(pid);
  });

  it('a server that fails to start is a warning naming it with its stderr; the creature runs on', async () => {
    const llm = new ScriptedLLM([{ text: 'fine' }]);
    agent = await Agent.build({ name: 'c', mcp_servers: [broken(), 'not-in-catalog'] }, { llm, pwd: pwd(), catalog: new ToolCatalog(), env: { ...process.env, KT_CONFIG_DIR: pwd() } });
    const warnings: string[] = [];
    agent.on('warning', (e: AgentEvent & { type: 'warning' }) => warnings.push(e.message));
    await agent.run('hi');
    expect(warnings).toContainEqual(expect.stringMatching(/MCP server 'broken' failed to connect: .*cannot open database: permission denied/s));
    expect(warnings).toContainEqual(expect.stringMatching(/mcp_servers: 'not-in-catalog' is not in the MCP catalog .*kt config mcp add not-in-catalog/));
    expect(agent.mcp!.servers()).toEqual([expect.objectContaining({ name: 'broken', state: 'failed' })]);
  });
});
