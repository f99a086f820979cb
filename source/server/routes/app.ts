/**
 * The HTTP app: middleware (request ids, JSON logs, body limit, auth), the
 * route modules, error mapping, and `/openapi.json` generated from the same
 * zod schemas the routes validate with.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { ConfigError, KTError, SessionBusyError, UsageError } from '../../index.js';
import { NotFoundError } from '../studio/errors.js';
import type { Studio } from '../studio/studio.js';
import { catalogRoutes } from './catalog.js';
import { editorRoutes } from './editors.js';
import { router, type ServerEnv } from './env.js';
import { healthRoutes } from './health.js';
import { labRoutes, type LabSource } from './lab.js';
import { mcpRoutes } from './mcp.js';
import { savedRoutes } from './saved.js';
import { sessionRoutes } from './sessions.js';
import { settingsRoutes } from './settings.js';

export interface AppOptions {
  studio: Studio;
  log: Logger;
  /** Largest request body in bytes (default 2 MiB). */
  maxBody?: number;
  /** Sets `caller`/`owner`, or answers 401/403 itself (auth/). Absent: everyone is the host user. */
  auth?: MiddlewareHandler<ServerEnv>;
  /** Routes added by other modules (auth's own, the WebSocket) before the error handler closes the table. */
  extra?: Array<(app: ReturnType<typeof router>) => void>;
  /** The lab this server hosts (`kt serve --mode lab-host`). */
  lab?: LabSource;
}

export function createApp(options: AppOptions) {
  const app = router();
  const maxBody = options.maxBody ?? 2 * 1024 * 1024;

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    c.set('studio', options.studio);
    c.set('owner', undefined);
    c.set('caller', undefined);
    const log = options.log.child({ reqId: id });
    c.set('log', log);
    c.header('x-request-id', id);
    const started = performance.now();
    await next();
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBody,
      onError: (c) => {
        // The unread rest of the body makes the connection unusable for another request.
        c.header('connection', 'close');
        return c.json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `request body is over ${maxBody} bytes` } }, 413);
      },
    }),
  );
  if (options.auth) app.use('*', options.auth);

  for (const routes of [healthRoutes(), catalogRoutes(), sessionRoutes(), savedRoutes(), settingsRoutes(), mcpRoutes(), editorRoutes(), labRoutes(options.lab)]) app.route('/', routes);
  for (const add of options.extra ?? []) add(app);

  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'KohakuTerrarium studio API', version: '1' } });
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json({ error: { code: error.status === 400 ? 'BAD_REQUEST' : 'HTTP_ERROR', message: error.message || 'bad request' } }, error.status);
    }
    if (error instanceof NotFoundError) return c.json({ error: { code: 'NOT_FOUND', message: error.message } }, 404);
    if (error instanceof SessionBusyError) return c.json({ error: { code: error.code, message: error.message } }, 409);
    if (error instanceof ConfigError) return c.json({ error: { code: error.code, message: error.message, ...(error.line ? { line: error.line } : {}), ...(error.keyPath?.length ? { field: error.keyPath.join('.') } : {}) } }, 400);
    if (error instanceof UsageError || (error instanceof KTError && error.code === 'SESSION_EXISTS')) return c.json({ error: { code: error.code, message: error.message } }, 400);
    if (error instanceof KTError && error.code !== 'INTERNAL') {
      c.get('log')?.warn({ err: error }, 'request failed');
      return c.json({ error: { code: error.code, message: error.message } }, 400);
    }
    c.get('log')?.error({ err: error }, 'request failed');
    return c.json({ error: { code: 'INTERNAL', message: 'internal error' } }, 500);
  });
  return app;
}
