/** `/healthz`: the process answers. `/readyz`: the session store is writable and the engine takes work. */
import { createRoute } from '@hono/zod-openapi';
import { Health, Ready } from './schemas.js';
import { errors, router } from './env.js';

const started = Date.now();

export function healthRoutes() {
  const app = router();
  app.openapi(
    createRoute({ method: 'get', path: '/healthz', tags: ['health'], responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } } }),
    (c) => c.json({ status: 'ok' as const, pid: process.pid, uptimeMs: Date.now() - started }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['health'],
      responses: { 200: { description: 'Ready', content: { 'application/json': { schema: Ready } } }, 503: { description: 'Not ready', content: { 'application/json': { schema: Ready } } } },
    }),
    (c) => {
      const checks = c.get('studio').ready();
      const ready = checks.store && checks.engine;
      return ready ? c.json({ ready, checks }, 200) : c.json({ ready, checks }, 503);
    },
  );
  void errors;
  return app;
}
