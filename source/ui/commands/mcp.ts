/**
 * `/mcp`: the creature's MCP servers — state, tool and prompt counts, the
 * last error. `/mcp <server>` lists that server's tools and prompts;
 * `/mcp prompt <server> <prompt> [args]` runs a server prompt as your
 * message. `mcpPromptCommand` makes the same prompt a command of its own
 * (`/mcp__<server>__<prompt>`) for the command lookup to offer.
 */
import type { Agent } from '../../index.js';
import type { CommandOutcome, SlashCommand } from '../commands.js';

type McpView = NonNullable<Agent['mcp']>;

const note = (text: string, tone: 'info' | 'warning' | 'error' = 'info'): CommandOutcome => ({ kind: 'note', text, tone });

export const mcpCommand: SlashCommand = {
  name: 'mcp',
  args: '[server | prompt <server> <prompt> [args]]',
  summary: 'MCP servers: state, tools, last error; run a server prompt',
  run(agent, args) {
    const mcp = agent.mcp;
    if (!mcp) return note('This creature has no MCP servers (add mcp_servers: to its config; kt mcp add manages the catalog).');
    const words = args.trim().split(/\s+/).filter(Boolean);
    if (words[0] === 'prompt') {
      const [, server, prompt, ...rest] = words;
      if (!server || !prompt) return note('Usage: /mcp prompt <server> <prompt> [value... | name=value...]', 'error');
      return runPrompt(agent, mcp, server, prompt, rest);
    }
    if (words[0]) return serverDetail(mcp, words[0]);
    return note(overview(mcp));
  },
  complete(agent, args) {
    const names = agent.mcp?.servers().map((s) => s.name) ?? [];
    return [...names, 'prompt'].filter((n) => n.startsWith(args.trim()));
  },
};

function overview(mcp: McpView): string {
  const servers = mcp.servers();
  if (!servers.length) return 'No MCP servers.';
  const width = Math.max(6, ...servers.map((s) => s.name.length));
  const mark = { connected: '✓', connecting: '…', failed: '✗', disconnected: '·' } as const;
  const rows = servers.map((s) => {
    const counts = s.state === 'connected' ? `${s.tools} tools${s.prompts ? `, ${s.prompts} prompts` : ''}` : s.state;
    const error = s.lastError ? `\n${' '.repeat(width + 4)}${s.lastError.split('\n').join(`\n${' '.repeat(width + 4)}`)}` : '';
    return `${mark[s.state]} ${s.name.padEnd(width)}  ${s.transport.padEnd(15)} ${counts}${error}`;
  });
  return [...rows, '', '/mcp <server> lists its tools and prompts.'].join('\n');
}

function serverDetail(mcp: McpView, name: string): CommandOutcome {
  const server = mcp.servers().find((s) => s.name === name);
  if (!server) return note(`No MCP server '${name}'; servers: ${mcp.servers().map((s) => s.name).join(', ') || 'none'}`, 'error');
  const lines = [`${server.name} (${server.transport}): ${server.state}${server.pid ? `, pid ${server.pid}` : ''}`];
  if (server.lastError) lines.push(`last error: ${server.lastError}`);
  if (server.state === 'connected') {
    const tools = mcp.tools(name);
    lines.push('', `tools (${tools.length}):`, ...tools.map((t) => `  ${t.name}${t.readOnly ? ' (read-only)' : ''}${t.description ? ` — ${t.description.split('\n')[0]}` : ''}`));
    const prompts = mcp.prompts().filter((p) => p.server === name);
    if (prompts.length) lines.push('', `prompts (/mcp__${name}__<prompt>):`, ...prompts.map((p) => `  ${p.name}${p.arguments.length ? ` ${p.arguments.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ')}` : ''}${p.description ? ` — ${p.description.split('\n')[0]}` : ''}`));
  }
  return note(lines.join('\n'), server.state === 'failed' ? 'warning' : 'info');
}

/** Arguments as `name=value` pairs, or values in the order the prompt declares its arguments. */
async function runPrompt(agent: Agent, mcp: McpView, server: string, name: string, words: string[]): Promise<CommandOutcome> {
  const prompt = mcp.prompts().find((p) => p.server === server && p.name === name);
  if (!prompt) return note(`MCP server '${server}' offers no prompt '${name}' (see /mcp ${server})`, 'error');
  const args: Record<string, string> = {};
  const positional: string[] = [];
  for (const word of words) {
    const at = word.indexOf('=');
    if (at > 0 && prompt.arguments.some((a) => a.name === word.slice(0, at))) args[word.slice(0, at)] = word.slice(at + 1);
    else positional.push(word);
  }
  for (const declared of prompt.arguments) {
    if (args[declared.name] === undefined && positional.length) args[declared.name] = positional.shift()!;
  }
  // Words left over belong to the last argument (free text).
  const last = prompt.arguments.at(-1);
  if (positional.length && last) args[last.name] = [args[last.name], ...positional].filter(Boolean).join(' ');
  const missing = prompt.arguments.filter((a) => a.required && !args[a.name]).map((a) => a.name);
  if (missing.length) return note(`/mcp__${server}__${name} needs ${missing.map((m) => `<${m}>`).join(' ')}`, 'error');
  try {
    const text = await mcp.getPrompt(server, name, args);
    return { kind: 'turn', run: () => agent.run(text) };
  } catch (error) {
    return note(`MCP prompt ${server}/${name}: ${(error as Error).message}`, 'error');
  }
}

/** The command `/mcp__<server>__<prompt>` names, when the creature's servers offer that prompt. */
export function mcpPromptCommand(agent: Agent, name: string): SlashCommand | undefined {
  const match = /^mcp__([A-Za-z0-9_-]+?)__(.+)$/.exec(name);
  const mcp = agent.mcp;
  if (!match || !mcp) return undefined;
  const [, server, prompt] = match as unknown as [string, string, string];
  const found = mcp.prompts().find((p) => p.server === server && p.name === prompt);
  if (!found) return undefined;
  return {
    name,
    args: found.arguments.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' '),
    summary: found.description?.split('\n')[0] ?? `MCP prompt ${prompt} of ${server}`,
    run: (a, args) => runPrompt(a, mcp, server, prompt, args.trim().split(/\s+/).filter(Boolean)),
  };
}
