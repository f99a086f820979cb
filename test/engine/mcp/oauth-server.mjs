/**
 * An OAuth-protected MCP server on loopback, built from the SDK's own
 * pieces: its auth router (discovery, registration, authorize, token) with
 * the SDK's in-memory demo provider, which "signs the user in" by
 * redirecting straight back with a code, and bearer-token checks on /mcp.
 */
import express from 'express';
import { DemoInMemoryAuthProvider } from '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { z } from 'zod';

/** @returns {Promise<import('./oauth-server.d.mts').OAuthMcpServer>} */
export async function startOAuthMcpServer() {
  const app = express();
  const provider = new DemoInMemoryAuthProvider();
  let listening;
  await new Promise((resolve) => {
    listening = app.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://localhost:${(listening.address()).port}`;
  const mcpUrl = new URL(`${base}/mcp`);
  const state = { url: mcpUrl.href, close: () => new Promise((resolve) => listening.close(() => resolve())) };
  app.use(express.json());
  app.use(mcpAuthRouter({ provider, issuerUrl: new URL(base), resourceServerUrl: mcpUrl, scopesSupported: ['mcp:tools'] }));
  const bearer = requireBearerAuth({ verifier: provider, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl) });
  app.post('/mcp', bearer, async (req, res) => {
    // Stateless: a server and transport per request.
    const server = new McpServer({ name: 'oauth-test', version: '1.0.0' });
    server.registerTool('whoami', { description: 'Who the token belongs to', inputSchema: { note: z.string().optional() } }, async (_args, extra) => ({ content: [{ type: 'text', text: `client ${extra.authInfo?.clientId ?? 'nobody'}` }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  return state;
}
