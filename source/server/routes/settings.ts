/** Models, providers, and write-only API keys. */
import { createRoute, z } from '@hono/zod-openapi';
import { KeyState, Models, ProviderParam, Providers, SetKey } from './schemas.js';
import { errors, router } from './env.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export function settingsRoutes() {
  const app = router();
  app.openapi(
    createRoute({ method: 'get', path: '/api/settings/models', tags: ['settings'], responses: { 200: json(Models, 'Model presets'), ...errors(401) } }),
    (c) => c.json({ models: c.get('studio').models() }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/settings/providers', tags: ['settings'], responses: { 200: json(Providers, 'Providers and whether a key is set (never the key)'), ...errors(401) } }),
    (c) => c.json({ providers: c.get('studio').providers(c.get('owner')) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/settings/keys/{provider}',
      tags: ['settings'],
      request: { params: ProviderParam, body: { required: true, content: { 'application/json': { schema: SetKey } } } },
      responses: { 200: json(KeyState, 'Stored; the key is never returned'), ...errors(400, 401) },
    }),
    async (c) => {
      const { provider } = c.req.valid('param');
      await c.get('studio').vault(c.get('owner')).set(provider, c.req.valid('json').key);
      return c.json({ provider, hasKey: true }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/settings/keys/{provider}', tags: ['settings'], request: { params: ProviderParam }, responses: { 200: json(KeyState, 'Removed'), ...errors(401, 404) } }),
    async (c) => {
      const { provider } = c.req.valid('param');
      await c.get('studio').vault(c.get('owner')).delete(provider);
      return c.json({ provider, hasKey: false }, 200);
    },
  );
  return app;
}
