/** What can be started, and one creature's resolved config. */
import { createRoute } from '@hono/zod-openapi';
import { Catalog, CreatureConfig, RefQuery } from './schemas.js';
import { errors, router } from './env.js';

export function catalogRoutes() {
  const app = router();
  app.openapi(
    createRoute({ method: 'get', path: '/api/catalog', tags: ['catalog'], responses: { 200: { description: 'Creatures and terrariums of installed and bundled packages', content: { 'application/json': { schema: Catalog } } }, ...errors(401) } }),
    async (c) => c.json(await c.get('studio').catalog(), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/catalog/creature',
      tags: ['catalog'],
      request: { query: RefQuery },
      responses: { 200: { description: 'The creature config, resolved', content: { 'application/json': { schema: CreatureConfig } } }, ...errors(400, 401) },
    }),
    (c) => c.json(c.get('studio').creature(c.req.valid('query').ref), 200),
  );
  return app;
}
