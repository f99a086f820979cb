/** The per-request context every route sees: who is asking (set by auth/), and a typed app. */
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import type { Studio } from '../studio/studio.js';

export interface Caller {
  name: string;
  role: 'admin' | 'user';
}

export interface ServerEnv {
  Variables: {
    requestId: string;
    /** The signed-in user; undefined when auth is off or the caller holds the host token. */
    caller: Caller | undefined;
    /** Whose sessions and keys: the user with accounts on, undefined on a single-user server. */
    owner: string | undefined;
    studio: Studio;
    log: Logger;
  };
}

/** Malformed input → 400 naming the first offending field, straight from the zod issue. */
export const validationHook: Hook<unknown, ServerEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const field = issue ? [result.target, ...issue.path.map(String)].join('.') : result.target;
  return c.json({ error: { code: 'BAD_REQUEST', message: `${field}: ${issue?.message ?? 'invalid'}`, field } }, 400);
};

export function router(): OpenAPIHono<ServerEnv> {
  return new OpenAPIHono<ServerEnv>({ defaultHook: validationHook });
}

/** The error responses every route may give, for the OpenAPI document. */
type ErrorCode = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503;
type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorRef } } };
export function errors<C extends ErrorCode>(...codes: C[]): { [K in C]: ErrorResponse } {
  return Object.fromEntries(codes.map((code) => [code, { description: ERROR_TEXT[code], content: { 'application/json': { schema: ErrorRef } } }])) as { [K in C]: ErrorResponse };
}

import { ErrorBody as ErrorRef } from './schemas.js';
const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed input (the field is named)',
  401: 'Not signed in',
  403: 'Not allowed (role, or CSRF token missing)',
  404: 'No such session, saved session, user or interaction',
  409: 'Conflict (a session another process holds)',
  413: 'Body too large',
  429: 'Too many attempts',
  503: 'Not ready',
};
