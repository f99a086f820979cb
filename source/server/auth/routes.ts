/** Signing in and out, invitations, and (admins only) the user accounts. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { AcceptInvitation, AddUser, Invitation, Invite, Login, Me, Ok, User, UserParam, Users } from '../routes/schemas.js';
import { errors, router, type Caller, type ServerEnv } from '../routes/env.js';
import { HOST, SESSION_COOKIE, type Auth } from './gate.js';
import { NotFoundError } from '../studio/errors.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const ResetPassword = z.object({ password: z.string().min(8).max(1000) }).strict().openapi('ResetPassword');

function clientOf(c: Context<ServerEnv>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

export function authRoutes(auth: Auth) {
  const signIn = (c: Context<ServerEnv>, caller: Caller) => {
    const { id, csrf } = auth.openSession(caller);
    setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return csrf;
  };
  const me = (caller: Caller | undefined) => (caller ? { name: caller.name, role: caller.role, createdAt: 0 } : null);

  return (app: ReturnType<typeof router>) => {
    app.openapi(
      createRoute({ method: 'get', path: '/api/auth/me', tags: ['auth'], responses: { 200: json(Me, 'Who is signed in, and the CSRF token for cookie sessions') } }),
      (c) => {
        const session = auth.session(c);
        return c.json({ auth: auth.mode, user: me(c.get('caller')), ...(session ? { csrfToken: session.csrf } : {}) }, 200);
      },
    );
    app.openapi(
      createRoute({ method: 'post', path: '/api/auth/login', tags: ['auth'], request: body(Login), responses: { 200: json(Me, 'Signed in (cookie set)'), ...errors(400, 401, 429) } }),
      async (c) => {
        const client = clientOf(c);
        const limit = auth.limiter.attempt(client);
        if (!limit.allowed) {
          c.header('retry-after', String(Math.ceil(limit.retryAfterMs / 1000)));
          return c.json({ error: { code: 'RATE_LIMITED', message: 'too many sign-in attempts; wait and try again' } }, 429);
        }
        const { username, password, token } = c.req.valid('json');
        let caller: Caller | undefined;
        if (token && auth.checkToken(token)) caller = HOST;
        else if (password && auth.accounts && auth.mode === 'users' && username) {
          const account = await auth.accounts.verify(username, password);
          if (account) caller = { name: account.name, role: account.role };
        } else if (password && auth.accounts && !username && auth.mode !== 'off') {
          if (await auth.accounts.verifyAdmin(password)) caller = HOST;
        }
        if (!caller) return c.json({ error: { code: 'UNAUTHORIZED', message: 'wrong credentials' } }, 401);
        auth.limiter.reset(client);
        const csrf = signIn(c, caller);
        return c.json({ auth: auth.mode, user: me(caller), csrfToken: csrf }, 200);
      },
    );
    app.openapi(
      createRoute({ method: 'post', path: '/api/auth/logout', tags: ['auth'], responses: { 200: json(Ok, 'Signed out'), ...errors(401, 403) } }),
      (c) => {
        const id = c.req.header('cookie')?.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];
        if (id) auth.closeSession(id);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.json({ ok: true as const }, 200);
      },
    );
    app.openapi(
      createRoute({
        method: 'get',
        path: '/api/auth/once',
        tags: ['auth'],
        request: { query: z.object({ code: z.string().min(1).max(200).openapi({ param: { name: 'code', in: 'query' } }) }) },
        responses: { 302: { description: 'Signed in; on to the dashboard' }, ...errors(400, 401) },
      }),
      (c) => {
        const caller = auth.redeem(c.req.valid('query').code);
        if (!caller) return c.json({ error: { code: 'UNAUTHORIZED', message: 'this sign-in link was used or has expired' } }, 401);
        signIn(c, caller);
        return c.redirect('/', 302);
      },
    );
    app.openapi(
      createRoute({ method: 'post', path: '/api/auth/accept', tags: ['auth'], request: body(AcceptInvitation), responses: { 201: json(User, 'Account created'), ...errors(400, 404, 429) } }),
      async (c) => {
        if (!auth.accounts || auth.mode !== 'users') throw new NotFoundError('invitation');
        const limit = auth.limiter.attempt(clientOf(c));
        if (!limit.allowed) return c.json({ error: { code: 'RATE_LIMITED', message: 'too many attempts; wait and try again' } }, 429);
        const { code, name, password } = c.req.valid('json');
        return c.json(await auth.accounts.accept(code, name, password), 201);
      },
    );

    const accounts = () => {
      if (!auth.accounts) throw new NotFoundError('user accounts (start the server with accounts on)');
      return auth.accounts;
    };
    app.openapi(
      createRoute({ method: 'get', path: '/api/admin/users', tags: ['admin'], responses: { 200: json(Users, 'Accounts'), ...errors(401, 403, 404) } }),
      (c) => c.json({ users: accounts().list() }, 200),
    );
    app.openapi(
      createRoute({ method: 'post', path: '/api/admin/users', tags: ['admin'], request: body(AddUser), responses: { 201: json(User, 'Added'), ...errors(400, 401, 403, 404) } }),
      async (c) => {
        const { name, password, role } = c.req.valid('json');
        return c.json(await accounts().add(name, password, role), 201);
      },
    );
    app.openapi(
      createRoute({ method: 'delete', path: '/api/admin/users/{name}', tags: ['admin'], request: { params: UserParam }, responses: { 200: json(Ok, 'Removed'), ...errors(401, 403, 404) } }),
      (c) => {
        accounts().remove(c.req.valid('param').name);
        return c.json({ ok: true as const }, 200);
      },
    );
    app.openapi(
      createRoute({ method: 'put', path: '/api/admin/users/{name}/password', tags: ['admin'], request: { params: UserParam, ...body(ResetPassword) }, responses: { 200: json(Ok, 'Reset'), ...errors(400, 401, 403, 404) } }),
      async (c) => {
        await accounts().resetPassword(c.req.valid('param').name, c.req.valid('json').password);
        return c.json({ ok: true as const }, 200);
      },
    );
    app.openapi(
      createRoute({ method: 'post', path: '/api/admin/invitations', tags: ['admin'], request: body(Invite), responses: { 201: json(Invitation, 'The code, shown once'), ...errors(400, 401, 403, 404) } }),
      (c) => c.json(accounts().invite(c.req.valid('json').role), 201),
    );
  };
}
