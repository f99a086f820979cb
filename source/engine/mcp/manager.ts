/**
 * The MCP servers of one creature: they connect in parallel, a server that
 * fails is reported (named, with its stderr tail) and tried again later
 * with a growing delay, never fatal. Whoever shows the tools subscribes to
 * `onChange`, which fires when a server's tool set changes: it connected,
 * went away, or said `tools/list_changed`.
 */
import type { Env } from '../home.js';
import { connectMcp, type CallOptions, type McpConnection, type McpTool } from './client.js';
import type { McpServerConfig } from './config.js';
import type { Prompt } from '@modelcontextprotocol/sdk/types.js';

export type McpServerState = 'connecting' | 'connected' | 'failed' | 'disconnected';

export interface McpServerStatus {
  name: string;
  transport: string;
  state: McpServerState;
  tools: number;
  prompts: number;
  lastError?: string;
  pid?: number;
}

export interface McpManagerOptions {
  env?: Env;
  /** What stdio servers' environments start from (the creature's tool environment, without kt's credentials). */
  childEnv?: Env;
  cwd?: string;
  /** A server failed or went away (the message names it and carries its stderr tail). */
  onWarning?(message: string, server: string): void;
  /** Delays before each retry of a failed server; empty: no retries. */
  retryDelaysMs?: readonly number[];
  /** How connections are made (tests put a counter around it). */
  connect?: typeof connectMcp;
}

interface Entry {
  config: McpServerConfig;
  state: McpServerState;
  connection?: McpConnection;
  tools: McpTool[];
  prompts: Prompt[];
  lastError?: string;
  attempts: number;
  retry?: NodeJS.Timeout;
  /** Bumped on every connect/disconnect, so a late answer of an older attempt is dropped. */
  epoch: number;
}

const DEFAULT_RETRY_MS = [2_000, 10_000, 60_000];

export class McpManager {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(server: string) => void>();
  private closed = false;

  constructor(private readonly options: McpManagerOptions = {}) {}

  /** Connect every server at once; resolves when each has connected or failed. */
  async connectAll(servers: readonly McpServerConfig[]): Promise<void> {
    await Promise.all(servers.map((s) => this.connect(s).catch(() => undefined)));
  }

  /** Connect (or reconnect) one server; rejects with the reason it failed, which is also its `lastError`. */
  async connect(config: McpServerConfig): Promise<McpServerStatus> {
    if (this.closed) throw new Error('the MCP servers of this creature are closed');
    const previous = this.entries.get(config.name);
    if (previous) await this.drop(previous);
    const entry: Entry = { config, state: 'connecting', tools: [], prompts: [], attempts: (previous?.attempts ?? 0) + 1, epoch: (previous?.epoch ?? 0) + 1 };
    this.entries.set(config.name, entry);
    const epoch = entry.epoch;
    const current = () => this.entries.get(config.name) === entry && entry.epoch === epoch && !this.closed;
    try {
      const connection = await (this.options.connect ?? connectMcp)(config, {
        ...(this.options.env ? { env: this.options.env } : {}),
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
        ...(this.options.childEnv ? { childEnv: this.options.childEnv } : {}),
        onToolsChanged: (tools) => {
          if (!current()) return;
          entry.tools = tools;
          this.changed(config.name);
        },
        onPromptsChanged: (prompts) => {
          if (!current()) return;
          entry.prompts = prompts;
          this.changed(config.name);
        },
        onLost: () => {
          if (!current()) return;
          entry.connection = undefined;
          this.fail(entry, `exited or closed the connection${tail(connection)}`);
        },
      });
      if (!current()) {
        await connection.close();
        throw new Error(`MCP server '${config.name}' was disconnected while connecting`);
      }
      entry.connection = connection;
      const [tools, prompts] = await Promise.all([connection.listTools(), connection.listPrompts().catch(() => [])]);
      entry.tools = tools;
      entry.prompts = prompts;
      entry.state = 'connected';
      entry.attempts = 0;
      delete entry.lastError;
      this.changed(config.name);
      return this.statusOf(entry);
    } catch (error) {
      if (current()) this.fail(entry, (error as Error).message);
      throw new Error(`MCP server '${config.name}' did not connect: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Close one server and forget its tools; false when it is not known. */
  async disconnect(name: string): Promise<boolean> {
    const entry = this.entries.get(name);
    if (!entry) return false;
    this.entries.delete(name);
    await this.drop(entry);
    this.changed(name);
    return true;
  }

  /** Each server with its state. */
  status(): McpServerStatus[] {
    return [...this.entries.values()].map((e) => this.statusOf(e));
  }

  /** The tools of every connected server, by server. */
  tools(): Map<string, McpTool[]> {
    return new Map([...this.entries].filter(([, e]) => e.state === 'connected').map(([name, e]) => [name, e.tools]));
  }

  prompts(): Map<string, Prompt[]> {
    return new Map([...this.entries].filter(([, e]) => e.state === 'connected').map(([name, e]) => [name, e.prompts]));
  }

  config(name: string): McpServerConfig | undefined {
    return this.entries.get(name)?.config;
  }

  /** The live connection of a server, or an error the model can act on. */
  connection(name: string): McpConnection {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no MCP server '${name}' (known: ${[...this.entries.keys()].join(', ') || 'none'})`);
    if (entry.state !== 'connected' || !entry.connection) throw new Error(`MCP server '${name}' is ${entry.state}${entry.lastError ? `: ${entry.lastError}` : ''}`);
    return entry.connection;
  }

  call(server: string, tool: string, args: Record<string, unknown>, options?: CallOptions) {
    return this.connection(server).callTool(tool, args, options);
  }

  /** Called with the server's name whenever the tool or prompt set may have changed. */
  onChange(listener: (server: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Close every server (kills stdio process trees); no retries after. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((e) => this.drop(e)));
  }

  private statusOf(e: Entry): McpServerStatus {
    const pid = e.connection?.pid;
    return {
      name: e.config.name,
      transport: e.config.transport,
      state: e.state,
      tools: e.state === 'connected' ? e.tools.length : 0,
      prompts: e.state === 'connected' ? e.prompts.length : 0,
      ...(e.lastError ? { lastError: e.lastError } : {}),
      ...(pid ? { pid } : {}),
    };
  }

  private fail(entry: Entry, reason: string): void {
    const wasConnected = entry.state === 'connected';
    entry.state = 'failed';
    entry.lastError = reason;
    entry.tools = [];
    entry.prompts = [];
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_MS;
    const delay = delays[Math.min(entry.attempts, delays.length) - 1];
    const retrying = delay !== undefined && entry.attempts <= delays.length;
    this.options.onWarning?.(`MCP server '${entry.config.name}' ${wasConnected ? 'went away' : 'failed to connect'}: ${reason}${retrying ? ` (retrying in ${Math.round(delay / 1000)} s)` : ''}`, entry.config.name);
    if (wasConnected) this.changed(entry.config.name);
    if (!retrying) return;
    entry.retry = setTimeout(() => {
      if (this.entries.get(entry.config.name) === entry && !this.closed) this.connect(entry.config).catch(() => undefined);
    }, delay);
    entry.retry.unref();
  }

  private async drop(entry: Entry): Promise<void> {
    entry.epoch++;
    clearTimeout(entry.retry);
    const connection = entry.connection;
    entry.connection = undefined;
    entry.state = 'disconnected';
    await connection?.close().catch(() => undefined);
  }

  private changed(server: string): void {
    for (const listener of this.listeners) listener(server);
  }
}

function tail(connection: McpConnection): string {
  const text = connection.stderrTail();
  return text ? `\n${text}` : '';
}
