/**
 * OAuth for remote MCP servers: a server that wants a sign-in fails with
 * the command to run; `loginMcp` goes through discovery, registration and
 * the authorization redirect (caught on loopback) and stores the tokens
 * (0600); later connections use them.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMcp } from '../../../source/engine/mcp/client.js';
import { loginMcp } from '../../../source/engine/mcp/login.js';
import { mcpOAuthPath } from '../../../source/engine/mcp/oauth.js';
import { McpManager } from '../../../source/engine/mcp/manager.js';
import { startOAuthMcpServer, type OAuthMcpServer } from './oauth-server.mjs';

let server: OAuthMcpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('MCP OAuth', () => {
  it('without a sign-in the server is a warning saying to run kt mcp login; after loginMcp it connects with the stored tokens', async () => {
    server = await startOAuthMcpServer();
    const env = { KT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kt-mcp-oauth-')) };
    const entry = { name: 'secure', transport: 'streamable_http' as const, url: server.url };

    const warnings: string[] = [];
    const before = new McpManager({ env, onWarning: (m) => warnings.push(m), retryDelaysMs: [] });
    await before.connectAll([entry]);
    expect(warnings).toEqual([expect.stringContaining("MCP server 'secure' needs you to sign in: run kt mcp login secure")]);
    await before.close();

    const opened: string[] = [];
    const result = await loginMcp(entry, {
      env,
      // The "browser": follow the authorization page's redirect to kt's loopback callback.
      open: async (url) => {
        opened.push(url.href);
        const page = await fetch(url, { redirect: 'follow' });
        expect(await page.text()).toMatch(/Signed in/);
      },
    });
    expect(result).toEqual({ tools: 1, signedIn: true });
    expect(opened[0]).toMatch(/\/authorize\?.*code_challenge=.*redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback/);
    expect(statSync(mcpOAuthPath('secure', env)).mode & 0o777).toBe(0o600);

    const connection = await connectMcp(entry, { env });
    try {
      const answer = await connection.callTool('whoami', {});
      expect(answer.content).toEqual([{ type: 'text', text: expect.stringMatching(/^client \S+/) }]);
    } finally {
      await connection.close();
    }
    const again = await loginMcp(entry, { env, open: () => expect.unreachable('no second sign-in') });
    expect(again).toEqual({ tools: 1, signedIn: false });
  });
});
