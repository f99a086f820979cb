/** Saved sessions: list, open read-only, search, fork, resume as a live session. */
import { createRoute, z } from '@hono/zod-openapi';
import { EventPage, ForkBody, Forked, LiveSession, NameParam, ResumeBody, SavedDetail, SavedEventsQuery, SavedList, SearchQuery, SearchResult } from './schemas.js';
import { errors, router } from './env.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

export function savedRoutes() {
  const app = router();
  app.openapi(
    createRoute({ method: 'get', path: '/api/saved', tags: ['saved'], responses: { 200: json(SavedList, 'Saved sessions, most recent first'), ...errors(401) } }),
    (c) => c.json(c.get('studio').saved(c.get('owner')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/saved/search', tags: ['saved'], request: { query: SearchQuery }, responses: { 200: json(SearchResult, 'Full-text hits'), ...errors(400, 401) } }),
    async (c) => {
      const { q, k } = c.req.valid('query');
      return c.json(await c.get('studio').search(q, k, c.get('owner')), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/saved/{name}', tags: ['saved'], request: { params: NameParam }, responses: { 200: json(SavedDetail, 'The session, read-only'), ...errors(400, 401, 404) } }),
    (c) => c.json(c.get('studio').savedSession(c.req.valid('param').name, c.get('owner')), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/saved/{name}/events',
      tags: ['saved'],
      request: { params: NameParam, query: SavedEventsQuery },
      responses: { 200: json(EventPage, 'Events in log order after `since` (an event id), at most `limit`'), ...errors(400, 401, 404) },
    }),
    (c) => {
      const { since, limit } = c.req.valid('query');
      // Events are the engine's union; the schema names only the envelope every one has.
      return c.json(c.get('studio').savedEvents(c.req.valid('param').name, since ?? 0, limit ?? 5000, c.get('owner')) as unknown as z.infer<typeof EventPage>, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/saved/{name}/fork', tags: ['saved'], request: { params: NameParam, ...body(ForkBody) }, responses: { 201: json(Forked, 'The copy'), ...errors(400, 401, 404) } }),
    (c) => c.json(c.get('studio').fork(c.req.valid('param').name, c.req.valid('json').upTo, c.get('owner')), 201),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/saved/{name}/resume', tags: ['saved'], request: { params: NameParam, ...body(ResumeBody) }, responses: { 201: json(LiveSession, 'Running again'), ...errors(400, 401, 404, 409) } }),
    async (c) => {
      const session = await c.get('studio').resume(c.req.valid('param').name, c.req.valid('json'), c.get('owner'));
      return c.json(session.info(), 201);
    },
  );
  return app;
}
