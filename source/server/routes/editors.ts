/** Validate and save creature configs and recipes, with the CLI's schemas and line-numbered errors. */
import { createRoute, z } from '@hono/zod-openapi';
import { SaveBody, Saved, ValidateBody, Validation } from './schemas.js';
import { errors, router } from './env.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export function editorRoutes() {
  const app = router();
  app.openapi(
    createRoute({ method: 'post', path: '/api/editor/validate', tags: ['editor'], request: { body: { required: true, content: { 'application/json': { schema: ValidateBody } } } }, responses: { 200: json(Validation, 'Problems, with lines'), ...errors(400, 401, 413) } }),
    (c) => {
      const { kind, yaml } = c.req.valid('json');
      return c.json(c.get('studio').validate(kind, yaml), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/editor/file',
      tags: ['editor'],
      request: { body: { required: true, content: { 'application/json': { schema: SaveBody } } } },
      responses: { 200: json(Saved, 'Saved (valid)'), 422: json(Saved, 'Not saved: the config has errors'), ...errors(400, 401, 403, 413) },
    }),
    (c) => {
      const { kind, yaml, path } = c.req.valid('json');
      const result = c.get('studio').save(kind, path, yaml);
      return result.validation.valid ? c.json(result, 200) : c.json(result, 422);
    },
  );
  return app;
}
