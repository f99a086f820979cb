/**
 * `/mcp` in the terminal app, and server prompts as `/mcp__<server>__<prompt>`,
 * against a creature with the real server-everything and a failing server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../source/engine/creature/agent.js';
import { ToolCatalog } from '../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../source/testing/scripted-llm.js';
import { parseSlash } from '../../source/ui/commands.js';
import { mcpPromptCommand } from '../../source/ui/commands/mcp.js';
import { broken, everything } from '../engine/mcp/servers.js';

let agent: Agent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

async function build(llm = new ScriptedLLM([{ text: 'ok' }])) {
  agent = await Agent.build({ name: 'c', mcp_servers: [everything(), broken()] }, { llm, pwd: mkdtempSync(join(tmpdir(), 'kt-mcp-slash-')), catalog: new ToolCatalog() });
  return agent;
}

describe('/mcp', () => {
  it('shows each server with its state, tool count and last error', async () => {
    const a = await build();
    const command = parseSlash('/mcp')!.command!;
    const out = await command.run(a, '');
    expect(out.kind).toBe('note');
    const text = (out as { text: string }).text;
    expect(text).toMatch(/^✓ everything\s+stdio\s+\d+ tools, \d+ prompts$/m);
    expect(text).toMatch(/^✗ broken\s+stdio\s+failed\n\s+.*\n?.*cannot open database: permission denied/m);
    const detail = (await command.run(a, 'everything')) as { text: string };
    expect(detail.text).toMatch(/^ {2}echo \(read-only\) — /m);
    expect(detail.text).toMatch(/^ {2}args-prompt <city> \[state\] — A prompt with two arguments/m);
    expect(((await command.run(a, 'nope')) as { text: string }).text).toMatch(/No MCP server 'nope'; servers: everything, broken/);
  });

  it('a server prompt runs as the person\'s message, by /mcp prompt or /mcp__<server>__<prompt>', async () => {
    const llm = new ScriptedLLM([{ text: 'sunny' }, { text: 'rainy' }]);
    const a = await build(llm);
    const viaMcp = await parseSlash('/mcp')!.command!.run(a, 'prompt everything args-prompt Kyoto');
    expect(viaMcp.kind).toBe('turn');
    await (viaMcp as { run: () => Promise<unknown> }).run();
    // Typed as a slash command, the prompt's name resolves through the creature's servers.
    expect(parseSlash('/mcp__everything__args-prompt city=Kyoto', a)?.command?.name).toBe('mcp__everything__args-prompt');
    expect(parseSlash('/mcp__everything__args-prompt city=Kyoto')?.command).toBeUndefined();
    const own = mcpPromptCommand(a, 'mcp__everything__args-prompt')!;
    expect(own.args).toBe('<city> [state]');
    const missing = await own.run(a, '');
    expect(missing).toMatchObject({ kind: 'note', tone: 'error', text: '/mcp__everything__args-prompt needs <city>' });
    await ((await own.run(a, 'city=Portland state=Oregon')) as { run: () => Promise<unknown> }).run();
    const asked = llm.calls.map((c) => JSON.stringify(c.messages.at(-1)));
    expect(asked[0]).toContain("What's weather in Kyoto?");
    expect(asked[1]).toContain("What's weather in Portland, Oregon?");
    expect(mcpPromptCommand(a, 'mcp__everything__no-such')).toBeUndefined();
  });
});
