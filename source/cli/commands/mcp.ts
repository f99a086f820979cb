/**
 * `kt config mcp` (alias `kt mcp`): the global MCP server catalog that
 * creatures name in `mcp_servers:`.
 *
 *   kt mcp list | show <name> | delete <name> | test [<name>] | login <name> | logout <name>
 *   kt mcp add <name> [-e KEY=value]... -- <command> [args...]
 *   kt mcp add <name> --transport http|sse <url> [-H 'Header: value']...
 */
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { UsageError } from '../../engine/errors.js';
import { didYouMean } from '../../engine/util/close-match.js';
import { connectMcp } from '../../engine/mcp/client.js';
import { mcpCatalogPath, readMcpCatalog, writeMcpCatalog, type McpServerConfig } from '../../engine/mcp/config.js';
import { parseArgs } from '../args.js';
import { printJson, table } from '../table.js';

const HELP = `
Usage
  $ kt mcp <action> [options]          (the same as kt config mcp)

Actions
  list                     The servers in the catalog
  show <name>              One entry
  add <name> -- <command> [args...]
                           A stdio server (the default transport)
  add <name> --transport http <url>
                           A remote server over streamable HTTP (sse: the legacy SSE transport)
  delete <name>            Remove an entry
  test [<name>]            Start each server (or one), list its tools, report what failed
  login <name>             Sign in to a remote server with OAuth (opens the page; the redirect comes back to kt)
  logout <name>            Forget that sign-in

Options
  --transport, -t <t>      stdio | http (streamable HTTP) | sse
  --env, -e KEY=value      Environment for a stdio server (repeatable; \${VAR} is filled in at start)
  --header, -H 'K: value'  A header for a remote server (repeatable; \${VAR} allowed)
  --connect-timeout <s>    Seconds to wait for the server (default 20)
  --force                  add: replace an entry of the same name
  --json                   list, show, test: machine-readable output

  The catalog is ${'$'}KT_CONFIG_DIR/mcp_servers.yaml; creatures use an entry with mcp_servers: [<name>].

Examples
  $ kt mcp add files -- npx -y @modelcontextprotocol/server-filesystem ~/notes
  $ kt mcp add github -t http https://api.githubcopilot.com/mcp/ -H 'Authorization: Bearer \${GITHUB_TOKEN}'
  $ kt mcp test files
`;

const ACTIONS = ['list', 'show', 'add', 'delete', 'test', 'login', 'logout'] as const;

export async function mcpCommand(argv: string[]): Promise<number> {
  const [action = 'list', ...rest] = argv;
  if (action === '--help' || action === '-h' || action === 'help') {
    process.stdout.write(`${HELP.trim()}\n`);
    return 0;
  }
  // After `--` everything is the server's command line, flags included.
  const dash = rest.indexOf('--');
  const own = dash >= 0 ? rest.slice(0, dash) : rest;
  const commandLine = dash >= 0 ? rest.slice(dash + 1) : [];
  const cli = parseArgs(HELP, own, {
    transport: { type: 'string', shortFlag: 't' },
    env: { type: 'string', shortFlag: 'e', isMultiple: true },
    header: { type: 'string', shortFlag: 'H', isMultiple: true },
    connectTimeout: { type: 'number' },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  }, `kt mcp ${action}`);
  const [name, ...positional] = cli.input;
  const flags = cli.flags;
  const { servers } = readMcpCatalog(process.env);
  switch (action) {
    case 'list':
      if (flags.json) printJson(servers);
      else if (!servers.length) process.stdout.write(`No MCP servers in ${mcpCatalogPath(process.env)}; add one with kt mcp add <name> -- <command>\n`);
      else process.stdout.write(table(servers.map((s) => [s.name, s.transport, target(s)]), ['NAME', 'TRANSPORT', 'COMMAND / URL']));
      return 0;
    case 'show': {
      const server = find(servers, name);
      if (flags.json) printJson(server);
      else process.stdout.write(stringify(server));
      return 0;
    }
    case 'delete': {
      const server = find(servers, name);
      writeMcpCatalog(servers.filter((s) => s !== server), process.env);
      process.stdout.write(`Deleted MCP server ${server.name}\n`);
      return 0;
    }
    case 'add': {
      const entry = entryFrom(required(name), [...positional, ...commandLine], flags);
      const existing = servers.findIndex((s) => s.name === entry.name);
      if (existing >= 0 && !flags.force) throw new UsageError(`an MCP server named '${entry.name}' is already in the catalog; use --force to replace it, or kt mcp delete ${entry.name}`);
      const next = existing >= 0 ? servers.map((s, i) => (i === existing ? entry : s)) : [...servers, entry];
      writeMcpCatalog(next, process.env);
      process.stdout.write(`Added MCP server ${entry.name} (${entry.transport}: ${target(entry)}); check it with kt mcp test ${entry.name}\n`);
      return 0;
    }
    case 'test':
      return test(name === undefined ? servers : [find(servers, name)], flags.json);
    case 'login': {
      const server = find(servers, name);
      const { loginMcp } = await import('../../engine/mcp/login.js');
      const { openInBrowser } = await import('../../engine/llm/codex/auth-open.js');
      const result = await loginMcp(server, {
        open: (url) => {
          const opened = openInBrowser(url.href, process.env);
          process.stderr.write(`${opened ? 'Opened your browser; if it did not appear, open' : 'Open'} this page to sign in to ${server.name}:\n  ${url.href}\n`);
        },
      });
      process.stdout.write(`${result.signedIn ? 'Signed in to' : 'Already signed in to'} MCP server ${server.name} (${result.tools} tools)\n`);
      return 0;
    }
    case 'logout': {
      const server = find(servers, name);
      const { mcpOAuthPath } = await import('../../engine/mcp/oauth.js');
      const { rmSync } = await import('node:fs');
      rmSync(mcpOAuthPath(server.name, process.env), { force: true });
      process.stdout.write(`Forgot the sign-in to MCP server ${server.name}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown action '${action}' for kt mcp${didYouMean(action, [...ACTIONS])}; actions: ${ACTIONS.join(', ')}`);
  }
}

function entryFrom(name: string, words: string[], flags: { transport?: string | undefined; env?: string[] | undefined; header?: string[] | undefined; connectTimeout?: number | undefined }): McpServerConfig {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new UsageError(`MCP server name '${name}': use letters, digits, _ and -`);
  // `http` here is streamable HTTP, as in Claude Code; in YAML the original's `http` means legacy SSE, so the entry says streamable_http.
  const transports: Record<string, McpServerConfig['transport']> = { stdio: 'stdio', http: 'streamable_http', streamable_http: 'streamable_http', 'streamable-http': 'streamable_http', sse: 'sse' };
  const transport = transports[flags.transport ?? 'stdio'];
  if (!transport) throw new UsageError(`--transport must be stdio, http or sse, not '${flags.transport}'`);
  const entry: McpServerConfig = { name, transport };
  if (transport === 'stdio') {
    const [command, ...args] = words;
    if (!command) throw new UsageError(`missing the server's command: kt mcp add ${name} -- <command> [args...]`);
    entry.command = command;
    if (args.length) entry.args = args;
    if (flags.header?.length) throw new UsageError('--header is for remote servers (--transport http or sse)');
  } else {
    const [url, extra] = words;
    if (!url) throw new UsageError(`missing the server's URL: kt mcp add ${name} --transport ${flags.transport} <url>`);
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' after the URL`);
    if (!/^https?:\/\//.test(url) && !url.includes('${')) throw new UsageError(`'${url}' is not an http(s) URL`);
    entry.url = url;
    if (flags.env?.length) throw new UsageError('--env is for stdio servers');
  }
  if (flags.env?.length) entry.env = Object.fromEntries(flags.env.map((pair) => split(pair, '=', '--env', 'KEY=value')));
  if (flags.header?.length) entry.headers = Object.fromEntries(flags.header.map((pair) => split(pair, ':', '--header', "'Name: value'")));
  if (flags.connectTimeout !== undefined) {
    if (!(flags.connectTimeout > 0)) throw new UsageError('--connect-timeout must be a positive number of seconds');
    entry.connect_timeout = flags.connectTimeout;
  }
  return entry;
}

async function test(servers: McpServerConfig[], json: boolean): Promise<number> {
  if (!servers.length) {
    process.stdout.write('No MCP servers to test.\n');
    return 0;
  }
  const results = await Promise.all(
    servers.map(async (server) => {
      const started = performance.now();
      try {
        const connection = await connectMcp(server);
        try {
          const tools = await connection.listTools();
          return { name: server.name, ok: true, tools: tools.map((t) => t.name), ms: Math.round(performance.now() - started) };
        } finally {
          await connection.close();
        }
      } catch (error) {
        return { name: server.name, ok: false, error: (error as Error).message, ms: Math.round(performance.now() - started) };
      }
    }),
  );
  if (json) printJson(results);
  else {
    for (const r of results) {
      if (r.ok) process.stdout.write(`✓ ${r.name}: ${r.tools!.length} tools (${r.ms} ms)${r.tools!.length ? `\n    ${r.tools!.join(', ')}` : ''}\n`);
      else process.stdout.write(`✗ ${r.name}: ${r.error!.replace(/\n/g, '\n    ')}\n`);
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

function find(servers: McpServerConfig[], name: string | undefined): McpServerConfig {
  const wanted = required(name);
  const server = servers.find((s) => s.name === wanted);
  if (!server) throw new UsageError(`no MCP server '${wanted}' in ${mcpCatalogPath(process.env)}${didYouMean(wanted, servers.map((s) => s.name))}`);
  return server;
}

function required(name: string | undefined): string {
  if (!name) throw new UsageError('missing the MCP server name; see kt mcp --help');
  return name;
}

function split(pair: string, sep: string, flag: string, shape: string): [string, string] {
  const at = pair.indexOf(sep);
  const key = at > 0 ? pair.slice(0, at).trim() : '';
  if (!key) throw new UsageError(`${flag} '${pair}' is not ${shape}`);
  return [key, pair.slice(at + 1).trim()];
}

function target(server: McpServerConfig): string {
  return server.transport === 'stdio' ? [server.command ?? '', ...(server.args ?? [])].join(' ') : (server.url ?? '');
}
