/**
 * One connection to one MCP server through the official SDK, over stdio,
 * streamable HTTP or legacy SSE, with a connect timeout. The SDK is
 * imported on first use. A stdio server's stderr is kept (its tail names
 * what went wrong when it fails) and its process tree is killed on close.
 */
import type { CallToolResult, GetPromptResult, Prompt, ReadResourceResult, Resource, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { ConfigError } from '../errors.js';
import type { Env } from '../home.js';
import { interpolateServer, type McpServerConfig } from './config.js';
import { StoredOAuthProvider } from './oauth.js';
import { descendants, killTree, release, signalPid, track } from './reaper.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';

export type { McpTool };

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?(progress: { progress: number; total?: number; message?: string }): void;
  timeoutMs?: number;
}

export interface McpConnection {
  serverName: string;
  serverVersion?: string;
  /** What the server says about itself for the model (`instructions`). */
  instructions?: string;
  /** The stdio server's pid. */
  readonly pid: number | undefined;
  /** The last lines the server wrote to stderr. */
  stderrTail(): string;
  listTools(): Promise<McpTool[]>;
  callTool(name: string, args: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult>;
  listResources(): Promise<Resource[]>;
  readResource(uri: string): Promise<ReadResourceResult>;
  listPrompts(): Promise<Prompt[]>;
  getPrompt(name: string, args: Record<string, string>): Promise<GetPromptResult>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  timeoutMs?: number;
  /** Where `${VAR}` in the entry is looked up (default: the process env). */
  env?: Env;
  /** What a stdio server's environment starts from, before the entry's `env` (default: `env`). */
  childEnv?: Env;
  /** Working folder of a stdio server without its own `cwd`. */
  cwd?: string;
  /** The server changed its tool list (`notifications/tools/list_changed`). */
  onToolsChanged?(tools: McpTool[]): void;
  onPromptsChanged?(prompts: Prompt[]): void;
  /** The connection ended without `close()` (the server exited or the stream broke). */
  onLost?(): void;
  /** OAuth for a remote server (default: the sign-in `kt mcp login` stored, refused when there is none and one is needed). */
  authProvider?: OAuthClientProvider;
  /** An authorization code from the sign-in redirect, exchanged for tokens before connecting. */
  authorizationCode?: string;
}

const STDERR_KEEP = 4000;
/** How long a server has to exit after its input closed before it is sent SIGTERM. */
const CLOSE_GRACE_MS = 500;
const DEFAULT_CALL_TIMEOUT_MS = 300_000;

export async function connectMcp(configured: McpServerConfig, options: ConnectOptions = {}): Promise<McpConnection> {
  const env = options.env ?? process.env;
  const server = interpolateServer(configured, env);
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const listChanged = {
    ...(options.onToolsChanged ? { tools: { onChanged: (error: Error | null, tools: McpTool[] | null) => !error && tools && options.onToolsChanged?.(tools) } } : {}),
    ...(options.onPromptsChanged ? { prompts: { onChanged: (error: Error | null, prompts: Prompt[] | null) => !error && prompts && options.onPromptsChanged?.(prompts) } } : {}),
  };
  const client = new Client({ name: 'kohakuterrarium', version: '1' }, { listChanged });
  let stderr = '';
  const transport = await transportFor(server, options.childEnv ?? env, options.cwd, options.authProvider ?? defaultAuth(server, env));
  if (options.authorizationCode && 'finishAuth' in transport) await transport.finishAuth(options.authorizationCode);
  if ('stderr' in transport) {
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
  }
  const pidOf = () => ('pid' in transport ? (transport.pid ?? undefined) : undefined);
  let closing = false;
  let tree: number[] = [];
  const shutdown = async () => {
    closing = true;
    const pid = pidOf();
    // Read the tree before the root goes: its orphans are re-parented and could no longer be found.
    if (pid) tree = descendants(pid);
    const closed = client.close().catch(() => undefined);
    // The SDK waits 2 s for a server to exit on end of input, then 2 s after SIGTERM; stopping a creature should not take that long.
    let grace: NodeJS.Timeout | undefined;
    const exited = await Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => (grace = setTimeout(() => resolve(false), CLOSE_GRACE_MS)))]);
    clearTimeout(grace);
    if (!exited && pid) killTree(pid, 'SIGTERM');
    await closed;
    if (pid) {
      killTree(pid, 'SIGKILL');
      release(pid);
    }
    for (const orphan of tree) signalPid(orphan, 'SIGKILL');
  };
  const timeoutMs = options.timeoutMs ?? (server.connect_timeout ? server.connect_timeout * 1000 : 20_000);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(transport).then(() => {
        const pid = pidOf();
        if (pid) track(pid);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    await shutdown();
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${(error as Error).message}${tail ? `\n${tail}` : ''}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  client.onclose = () => {
    const pid = pidOf();
    if (pid) release(pid);
    if (!closing) options.onLost?.();
  };
  const info = client.getServerVersion();
  const capabilities = client.getServerCapabilities() ?? {};
  const callTimeout = server.call_timeout ? server.call_timeout * 1000 : DEFAULT_CALL_TIMEOUT_MS;
  const instructions = client.getInstructions();
  const connection: McpConnection = {
    serverName: info?.name ?? server.name,
    get pid() {
      return pidOf();
    },
    stderrTail: () => stderr.trim().split('\n').slice(-5).join('\n'),
    listTools: async () => (capabilities.tools ? (await client.listTools()).tools : []),
    callTool: async (name, args, call = {}) => {
      const result = await client.callTool({ name, arguments: args }, undefined, {
        ...(call.signal ? { signal: call.signal } : {}),
        timeout: call.timeoutMs ?? callTimeout,
        ...(call.onProgress ? { onprogress: call.onProgress, resetTimeoutOnProgress: true } : {}),
      });
      return result as CallToolResult;
    },
    listResources: async () => (capabilities.resources ? (await client.listResources()).resources : []),
    readResource: (uri) => client.readResource({ uri }),
    listPrompts: async () => (capabilities.prompts ? (await client.listPrompts()).prompts : []),
    getPrompt: (name, args) => client.getPrompt({ name, arguments: args }),
    close: shutdown,
  };
  if (info?.version) connection.serverVersion = info.version;
  if (instructions) connection.instructions = instructions;
  return connection;
}

/** Remote servers get kt's stored sign-in, unless the entry sends its own Authorization header. */
function defaultAuth(server: McpServerConfig, env: Env): OAuthClientProvider | undefined {
  if (server.transport === 'stdio') return undefined;
  if (Object.keys(server.headers ?? {}).some((h) => h.toLowerCase() === 'authorization')) return undefined;
  return new StoredOAuthProvider(server.name, env);
}

async function transportFor(server: McpServerConfig, env: Env, cwd: string | undefined, authProvider: OAuthClientProvider | undefined) {
  if (server.transport === 'stdio') {
    if (!server.command) throw new ConfigError(`MCP server '${server.name}' uses stdio but names no command`);
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const childEnv = Object.fromEntries(Object.entries({ ...env, ...server.env }).filter((e): e is [string, string] => e[1] !== undefined));
    const folder = server.cwd ?? cwd;
    return new StdioClientTransport({ command: server.command, args: server.args ?? [], env: childEnv, stderr: 'pipe', ...(folder ? { cwd: folder } : {}) });
  }
  if (!server.url) throw new ConfigError(`MCP server '${server.name}' uses ${server.transport} but names no url`);
  let url: URL;
  try {
    url = new URL(server.url);
  } catch {
    throw new ConfigError(`MCP server '${server.name}': url '${server.url}' is not a URL`);
  }
  const requestInit = { ...(server.headers ? { requestInit: { headers: server.headers } } : {}), ...(authProvider ? { authProvider } : {}) };
  // `http` and `sse` are the original's names for the legacy SSE transport.
  if (server.transport === 'sse' || server.transport === 'http') {
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    return new SSEClientTransport(url, requestInit);
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  return new StreamableHTTPClientTransport(url, requestInit);
}
