/**
 * Meta exposure: the creature gets mcp_list, mcp_call, mcp_connect,
 * mcp_disconnect (and mcp_read_resource) by itself, and an "Available MCP
 * Tools" prompt section; the model reaches server tools through them.
 * Against the real server-everything and the scripted model.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// The public entry registers the built-in plugins (permgate) as well.
import '../../../source/index.js';
import { registerBuiltinTools } from '../../../source/builtins/tools/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { Executor } from '../../../source/engine/creature/executor.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { everything, testServer } from '../../engine/mcp/servers.js';

let agent: Agent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

function catalog(): ToolCatalog {
  const c = new ToolCatalog();
  registerBuiltinTools(c);
  return c;
}

const pwd = () => mkdtempSync(join(tmpdir(), 'kt-mcp-meta-'));

describe('MCP meta-tools', () => {
  it('are bound by themselves with mcp_exposure: meta, with the prompt section; mcp_call reaches the server', async () => {
    const llm = new ScriptedLLM([
      { toolCalls: [{ id: 'l1', name: 'mcp_list', args: { server: 'everything' } }] },
      { toolCalls: [{ id: 'c1', name: 'mcp_call', args: { server: 'everything', tool: 'echo', args: { message: 'via meta' } } }] },
      { toolCalls: [{ id: 'c2', name: 'mcp_call', args: { server: 'everything', tool: 'get-tiny-image' } }] },
      { toolCalls: [{ id: 'r1', name: 'mcp_read_resource', args: { server: 'everything' } }] },
      { text: 'done' },
    ]);
    agent = await Agent.build({ name: 'c', mcp_servers: [everything()], mcp_exposure: 'meta' }, { llm, pwd: pwd(), catalog: catalog() });
    expect(agent.tools).toEqual(expect.arrayContaining(['mcp_list', 'mcp_call', 'mcp_connect', 'mcp_disconnect', 'mcp_read_resource']));
    expect(agent.tools.some((t) => t.startsWith('everything__'))).toBe(false);
    expect(agent.systemPrompt).toContain('## Available MCP Tools');
    expect(agent.systemPrompt).toMatch(/### everything\n- \*\*echo\*\*: .*\n {2}- `message` \(string, required\)/);
    const result = await agent.run('go');
    const [list, echo, image, resources] = result.toolCalls;
    expect(list).toMatchObject({ status: 'ok', output: expect.stringMatching(/^## everything \(connected, \d+ tools\)\n- echo: /) });
    expect(echo).toMatchObject({ status: 'ok', output: 'Echo: via meta' });
    expect(image!.output).toContain('[image image/png]');
    // The model gets the image itself as a content part of the tool result.
    const toModel = llm.calls[3]!.messages.find((m) => m.role === 'tool' && m.toolCallId === 'c2');
    expect(toModel?.content).toContainEqual(expect.objectContaining({ type: 'image', mediaType: 'image/png', url: expect.stringMatching(/^data:image\/png;base64,/) }));
    expect(resources).toMatchObject({ status: 'ok', output: expect.stringMatching(/^everything {2}demo:\/\//m) });
  });

  it('mcp_connect adds a server at run time and mcp_disconnect removes it; errors name the server', async () => {
    const server = testServer('late');
    const llm = new ScriptedLLM([
      { toolCalls: [{ id: 'c0', name: 'mcp_call', args: { server: 'late', tool: 'cancelled_count' } }] },
      { toolCalls: [{ id: 'k1', name: 'mcp_connect', args: { name: 'late', command: server.command, args: server.args } }] },
      { toolCalls: [{ id: 'c1', name: 'mcp_call', args: { server: 'late', tool: 'cancelled_count' } }] },
      { toolCalls: [{ id: 'd1', name: 'mcp_disconnect', args: { server: 'late' } }] },
      { toolCalls: [{ id: 'c2', name: 'mcp_call', args: { server: 'late', tool: 'cancelled_count' } }] },
      { text: 'done' },
    ]);
    agent = await Agent.build({ name: 'c', mcp_servers: [everything()], mcp_exposure: 'meta' }, { llm, pwd: pwd(), catalog: catalog() });
    const calls = (await agent.run('go')).toolCalls;
    expect(calls[0]).toMatchObject({ status: 'error', output: expect.stringMatching(/no MCP server 'late' \(known: everything\)/) });
    expect(calls[1]).toMatchObject({ status: 'ok', output: expect.stringMatching(/^Connected MCP server 'late' \(\d+ tools\)/) });
    expect(calls[2]).toMatchObject({ status: 'ok', output: '0' });
    expect(calls[3]).toMatchObject({ status: 'ok', output: "Disconnected MCP server 'late'." });
    expect(calls[4]).toMatchObject({ status: 'error' });
    expect(agent.systemPrompt).not.toContain('### late');
  });

  it('the default (auto) is flat for a few tools; mcp_call asks for approval like a command', async () => {
    const llm = new ScriptedLLM([{ text: 'ok' }]);
    agent = await Agent.build({ name: 'c', mcp_servers: [everything()] }, { llm, pwd: pwd(), catalog: catalog() });
    expect(agent.tools).toContain('everything__echo');
    expect(agent.tools).toContain('mcp_read_resource');
    expect(agent.tools).not.toContain('mcp_call');
    expect(catalog().create('mcp_call').effect).toBe('execute');
    expect(catalog().create('mcp_list').effect).toBeUndefined();
  });
});

describe('auto exposure', () => {
  it('is meta when the servers offer more than 40 tools in all', async () => {
    const llm = new ScriptedLLM([{ text: 'ok' }]);
    const servers = [everything('a'), everything('b'), everything('c'), everything('d')];
    agent = await Agent.build({ name: 'c', mcp_servers: servers }, { llm, pwd: pwd(), catalog: catalog() });
    expect(agent.mcp!.tools().length).toBeGreaterThan(40);
    expect(agent.tools).toContain('mcp_call');
    expect(agent.tools.some((t) => t.startsWith('a__'))).toBe(false);
    expect(agent.systemPrompt).toContain('### d');
  });
});

describe('MCP tools and approvals', () => {
  it('a flat MCP tool asks for approval like a command unless the server marks it read-only; denied, it does not run', async () => {
    const llm = new ScriptedLLM([{ toolCalls: [{ id: 'r1', name: 'kt__cancelled_count' }, { id: 'w1', name: 'kt__add_tool' }] }, { text: 'done' }]);
    agent = await Agent.build({ name: 'c', mcp_servers: [testServer()] }, { llm, pwd: pwd(), catalog: catalog() });
    const asked: string[] = [];
    await agent.setApprover(async (request) => {
      asked.push(request.tool);
      return 'deny';
    });
    const calls = (await agent.run('go')).toolCalls;
    expect(asked).toEqual(['kt__add_tool']);
    expect(calls.find((c) => c.name === 'kt__cancelled_count')).toMatchObject({ status: 'ok', output: '0' });
    expect(calls.find((c) => c.name === 'kt__add_tool')!.status).not.toBe('ok');
    expect(agent.tools).not.toContain('kt__extra');
  });
});

describe('Executor.replaceSource', () => {
  it('swaps exactly the tools one source put in, never a name another tool has, and refreshes the specs', () => {
    const c = catalog();
    const executor = new Executor([{ tool: c.create('read') }], { cwd: '/', creature: 'c', session: { id: 's', state: new Map() }, env: {} });
    expect(executor.specs().map((s) => s.name)).toEqual(['read']);
    expect(executor.replaceSource('mcp', [{ tool: c.create('mcp_list') }, { tool: c.create('read') }])).toEqual(['mcp_list']);
    expect(executor.specs().map((s) => s.name)).toEqual(['read', 'mcp_list']);
    executor.replaceSource('mcp', [{ tool: c.create('mcp_call') }]);
    expect(executor.toolNames).toEqual(['read', 'mcp_call']);
    executor.replaceSource('mcp', []);
    expect(executor.toolNames).toEqual(['read']);
  });
});
