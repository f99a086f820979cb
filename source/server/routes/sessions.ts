/** Live sessions: start, list, inspect, send input, interrupt, answer interactions, stop, and read recent events. */
import { createRoute } from '@hono/zod-openapi';
import { Answer, Answered, EventPage, InputAccepted, InteractionParam, Interrupted, LiveSession, Plugin, PluginChange, PluginParam, Plugins, SendInput, SessionParam, SinceQuery, StartSession, Stopped, Topology } from './schemas.js';
import { errors, router } from './env.js';
import { z } from '@hono/zod-openapi';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

export function sessionRoutes() {
  const app = router();
  app.openapi(
    createRoute({ method: 'get', path: '/api/sessions', tags: ['sessions'], responses: { 200: json(z.object({ sessions: z.array(LiveSession) }), 'Running sessions'), ...errors(401) } }),
    (c) => c.json({ sessions: c.get('studio').sessions(c.get('owner')).map((s) => s.info()) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/sessions', tags: ['sessions'], request: body(StartSession), responses: { 201: json(LiveSession, 'Started'), ...errors(400, 401, 413) } }),
    async (c) => {
      const session = await c.get('studio').start(c.req.valid('json'), c.get('owner'));
      return c.json(session.info(), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/sessions/{id}', tags: ['sessions'], request: { params: SessionParam }, responses: { 200: json(LiveSession, 'The session'), ...errors(400, 401, 404) } }),
    (c) => c.json(c.get('studio').session(c.req.valid('param').id, c.get('owner')).info(), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/sessions/{id}/events',
      tags: ['sessions'],
      request: { params: SessionParam, query: SinceQuery },
      responses: { 200: json(EventPage, 'Events after `since` still in the replay buffer'), ...errors(400, 401, 404) },
    }),
    (c) => {
      const session = c.get('studio').session(c.req.valid('param').id, c.get('owner'));
      // Events are the engine's union; the schema names only the envelope every one has.
      return c.json(session.log.since(c.req.valid('query').since ?? 0) as unknown as z.infer<typeof EventPage>, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/sessions/{id}/input', tags: ['sessions'], request: { params: SessionParam, ...body(SendInput) }, responses: { 202: json(InputAccepted, 'Queued as a turn'), ...errors(400, 401, 404, 413) } }),
    (c) => {
      const session = c.get('studio').session(c.req.valid('param').id, c.get('owner'));
      return c.json({ accepted: true as const, ...session.send(c.req.valid('json').text) }, 202);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/sessions/{id}/interrupt', tags: ['sessions'], request: { params: SessionParam }, responses: { 200: json(Interrupted, 'Whether a turn was running'), ...errors(400, 401, 404) } }),
    (c) => c.json({ interrupted: c.get('studio').session(c.req.valid('param').id, c.get('owner')).agent.interrupt() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/sessions/{id}/interactions/{iid}',
      tags: ['sessions'],
      request: { params: InteractionParam, ...body(Answer) },
      responses: { 200: json(Answered, 'Answered'), ...errors(400, 401, 404) },
    }),
    (c) => {
      const { id, iid } = c.req.valid('param');
      c.get('studio').answer(id, iid, c.req.valid('json').reply, c.get('owner'));
      return c.json({ answered: true as const }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/sessions/{id}/topology',
      tags: ['sessions'],
      request: { params: SessionParam },
      responses: { 200: json(Topology, "The team's graph (a creature alone: a graph of one)"), ...errors(400, 401, 404) },
    }),
    (c) => c.json(c.get('studio').topology(c.req.valid('param').id, c.get('owner')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/sessions/{id}/plugins', tags: ['sessions'], request: { params: SessionParam }, responses: { 200: json(Plugins, 'Loaded plugins, then catalog ones not loaded'), ...errors(400, 401, 404) } }),
    (c) => c.json({ plugins: c.get('studio').plugins(c.req.valid('param').id, c.get('owner')) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/sessions/{id}/plugins/{name}',
      tags: ['sessions'],
      request: { params: PluginParam, ...body(PluginChange) },
      responses: { 200: json(Plugin, 'The plugin as it is now'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { id, name } = c.req.valid('param');
      return c.json(await c.get('studio').plugin(id, name, c.req.valid('json'), c.get('owner')), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/sessions/{id}', tags: ['sessions'], request: { params: SessionParam }, responses: { 200: json(Stopped, 'Stopped; the saved session stays'), ...errors(400, 401, 404) } }),
    async (c) => {
      await c.get('studio').stop(c.req.valid('param').id, c.get('owner'));
      return c.json({ stopped: true as const }, 200);
    },
  );
  return app;
}
