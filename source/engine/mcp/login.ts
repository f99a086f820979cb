/**
 * `kt mcp login <server>`: sign in to a remote MCP server with OAuth. The
 * SDK discovers the authorization server, registers kt as a client and
 * builds the authorization URL; kt shows (or opens) it, catches the
 * redirect on a loopback port, and exchanges the code for tokens, which
 * StoredOAuthProvider keeps for later connections.
 */
import { ConfigError } from '../errors.js';
import type { Env } from '../home.js';
import { connectMcp } from './client.js';
import type { McpServerConfig } from './config.js';
import { redirectCatcher, StoredOAuthProvider } from './oauth.js';

export interface LoginOptions {
  env?: Env;
  /** Show or open the authorization page. */
  open(url: URL): void | Promise<void>;
  signal?: AbortSignal;
}

/** Sign in (or confirm a stored sign-in still works); resolves with the server's tool count. */
export async function loginMcp(server: McpServerConfig, options: LoginOptions): Promise<{ tools: number; signedIn: boolean }> {
  if (server.transport === 'stdio') throw new ConfigError(`MCP server '${server.name}' runs locally over stdio; only remote servers sign in`);
  const env = options.env ?? process.env;
  const catcher = await redirectCatcher();
  try {
    const provider = new StoredOAuthProvider(server.name, env, options.open, catcher.url);
    const listTools = async (code?: string) => {
      const connection = await connectMcp(server, { env, authProvider: provider, ...(code ? { authorizationCode: code } : {}) });
      try {
        return (await connection.listTools()).length;
      } finally {
        await connection.close();
      }
    };
    try {
      return { tools: await listTools(), signedIn: false };
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
    }
    const code = await catcher.code(() => provider.pendingState, options.signal);
    return { tools: await listTools(code), signedIn: true };
  } finally {
    catcher.close();
  }
}

function isUnauthorized(error: unknown): boolean {
  for (let e = error as { name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === 'UnauthorizedError' || e.constructor?.name === 'UnauthorizedError') return true;
  }
  return false;
}
