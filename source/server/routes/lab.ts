/**
 * The Laboratory seen from the studio (`kt serve --mode lab-host`): the
 * lab's workers and the creatures placed on them, each with its worker and
 * state, so the dashboard shows remote creatures. A server that hosts no lab
 * answers with `lab: null` and empty lists.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { errors, router } from './env.js';

export const LabWorker = z
  .object({
    node: z.string(),
    capacity: z.number().int(),
    labels: z.record(z.string(), z.string()),
    load: z.number().int(),
    creatures: z.array(z.string()),
    status: z.enum(['alive', 'failed', 'left']),
    lastSeen: z.number(),
  })
  .openapi('LabWorker');

export const LabCreature = z
  .object({
    name: z.string(),
    graph: z.string().openapi({ description: 'The graph (its session file in <sessions>/lab/) it belongs to' }),
    node: z.string().openapi({ description: 'The worker running it' }),
    status: z.enum(['running', 'failed', 'restarting']),
    epoch: z.number().int(),
  })
  .openapi('LabCreature');

export const LabView = z.object({ lab: z.string().nullable(), workers: z.array(LabWorker), creatures: z.array(LabCreature) }).openapi('LabView');

/** What the route needs of a lab host (the server does not load the lab's NATS code itself). */
export interface LabSource {
  status(): z.infer<typeof LabView>;
}

export function labRoutes(lab: LabSource | undefined) {
  const app = router();
  app.openapi(
    createRoute({ method: 'get', path: '/api/lab', tags: ['lab'], responses: { 200: { description: "The lab's workers and the creatures placed on them", content: { 'application/json': { schema: LabView } } }, ...errors(401) } }),
    (c) => c.json(lab ? lab.status() : { lab: null, workers: [], creatures: [] }, 200),
  );
  return app;
}
