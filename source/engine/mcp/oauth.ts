/**
 * OAuth for remote MCP servers, through the SDK's client flow (discovery,
 * dynamic client registration, PKCE, refresh). kt keeps what the flow
 * produces per server in `<config home>/mcp_oauth/<server>.json` (0600).
 * Signing in is explicit (`kt mcp login <server>`): it opens the
 * authorization page and waits on a loopback port for the redirect. A
 * creature never opens a browser: a server that wants a sign-in fails with
 * a message saying to run that command.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
// node:http reaches the bundles through a stand-in loaded on first use (scripts/lazy-deps.mjs): its ESM wrapper would load undici.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { configHome, ensurePrivateDir, writePrivateFile, type Env } from '../home.js';

interface Stored {
  redirectUrl?: string;
  client?: OAuthClientInformationMixed;
  tokens?: OAuthTokens;
  verifier?: string;
}

export function mcpOAuthPath(server: string, env: Env): string {
  return join(configHome(env), 'mcp_oauth', `${server}.json`);
}

/** Whether kt holds a sign-in for this server. */
export function hasMcpSignIn(server: string, env: Env): boolean {
  return existsSync(mcpOAuthPath(server, env));
}

export class StoredOAuthProvider implements OAuthClientProvider {
  private data: Stored;
  private readonly file: string;
  private expectedState: string | undefined;

  constructor(
    private readonly server: string,
    private readonly env: Env,
    /** Called with the authorization page; absent: signing in is refused with the command to run. */
    private readonly authorize?: (url: URL) => void | Promise<void>,
    redirectUrl?: string,
  ) {
    this.file = mcpOAuthPath(server, env);
    this.data = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Stored) : {};
    if (redirectUrl && redirectUrl !== this.data.redirectUrl) {
      // The loopback port changes with every sign-in; a client registered for the old one would be refused.
      delete this.data.client;
      this.data.redirectUrl = redirectUrl;
    }
  }

  /** Without a sign-in under way the SDK still needs one to choose the browser flow, which then stops at redirectToAuthorization. */
  get redirectUrl(): string {
    return this.data.redirectUrl ?? 'http://127.0.0.1/callback';
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'kt (KohakuTerrarium)',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('hex');
    return this.expectedState;
  }

  /** The state the last authorization URL carried, to check the redirect against. */
  get pendingState(): string | undefined {
    return this.expectedState;
  }

  clientInformation() {
    return this.data.client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.data.client = info;
    this.save();
  }

  tokens() {
    return this.data.tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.data.tokens = tokens;
    this.save();
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    if (!this.authorize) throw new Error(`MCP server '${this.server}' needs you to sign in: run kt mcp login ${this.server}`);
    await this.authorize(url);
  }

  saveCodeVerifier(verifier: string): void {
    this.data.verifier = verifier;
    this.save();
  }

  codeVerifier(): string {
    if (!this.data.verifier) throw new Error(`no sign-in to MCP server '${this.server}' is under way`);
    return this.data.verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') delete this.data.client;
    if (scope === 'all' || scope === 'tokens') delete this.data.tokens;
    if (scope === 'all' || scope === 'verifier') delete this.data.verifier;
    this.save();
  }

  private save(): void {
    // Only a sign-in (or a token refresh after one) writes: a creature that merely found out it needs one leaves no file.
    if (!this.authorize && !this.data.tokens) return;
    ensurePrivateDir(join(configHome(this.env), 'mcp_oauth'));
    const temp = `${this.file}.${process.pid}.tmp`;
    writePrivateFile(temp, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temp, this.file);
  }
}

/** A loopback page that receives the authorization redirect once (a redirect that comes early is kept). */
export async function redirectCatcher(): Promise<{ url: string; code(expectedState: () => string | undefined, signal?: AbortSignal): Promise<string>; close(): void }> {
  let received: { code?: string; state?: string | null; error?: string } | undefined;
  let wake: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback' || received) {
      res.writeHead(404).end();
      return;
    }
    const code = url.searchParams.get('code');
    received = { state: url.searchParams.get('state'), ...(code ? { code } : {}), ...(url.searchParams.get('error') ? { error: url.searchParams.get('error') as string } : {}) };
    res.writeHead(code ? 200 : 400, { 'content-type': 'text/plain' }).end(code ? 'Signed in to the MCP server; you can close this page and go back to kt.' : 'Sign-in failed; see kt for why.');
    wake?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    code: async (expectedState, signal) => {
      if (!received) {
        await new Promise<void>((resolve, reject) => {
          wake = resolve;
          signal?.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('sign-in cancelled')), { once: true });
        });
      }
      const got = received as NonNullable<typeof received>;
      if (got.error) throw new Error(`the server refused the sign-in: ${got.error}`);
      if (!got.code) throw new Error('the redirect carried no code');
      const expected = expectedState();
      if (expected !== undefined && got.state !== expected) throw new Error('the redirect carried the wrong state');
      return got.code;
    },
    close: () => server.close(),
  };
}
