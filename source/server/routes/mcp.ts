/** The global MCP server catalog (`kt config mcp`): list (secrets masked), add or replace, delete, test. Admins only with accounts on (auth/gate.ts). */
import { createRoute, z } from '@hono/zod-openapi';
import { McpNameParam, McpPut, McpServer, McpServers, McpTest, Ok } from './schemas.js';
import { errors, router } from './env.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export function mcpRoutes() {
  const app = router();
  app.openapi(
    createRoute({ method: 'get', path: '/api/settings/mcp', tags: ['settings'], responses: { 200: json(McpServers, 'The catalog; env and header values masked'), ...errors(401, 403) } }),
    (c) => c.json(c.get('studio').mcpServers(), 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/settings/mcp',
      tags: ['settings'],
      request: { body: { required: true, content: { 'application/json': { schema: McpServer } } } },
      responses: { 200: json(McpPut, 'Added, or replaced the entry of that name; a masked value keeps the stored one'), ...errors(400, 401, 403, 413) },
    }),
    (c) => c.json(c.get('studio').putMcpServer(c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/settings/mcp/{name}', tags: ['settings'], request: { params: McpNameParam }, responses: { 200: json(Ok, 'Removed'), ...errors(400, 401, 403, 404) } }),
    (c) => {
      c.get('studio').deleteMcpServer(c.req.valid('param').name);
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/settings/mcp/{name}/test',
      tags: ['settings'],
      request: { params: McpNameParam },
      responses: { 200: json(McpTest, 'Connected and listed its tools, or why not'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(await c.get('studio').testMcpServer(c.req.valid('param').name), 200),
  );
  return app;
}
