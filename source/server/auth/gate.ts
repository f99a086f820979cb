/**
 * Who is asking. Each layer is opt-in (all off by default, for loopback):
 * - a host token, sent as `Authorization: Bearer <token>` (or exchanged for a cookie at login);
 * - an admin password (one person, the host user);
 * - user accounts with roles, each user's sessions and keys kept apart (`owner`).
 * Browser sign-ins get an HttpOnly SameSite=Strict cookie; a request with that
 * cookie that changes anything must also carry `x-csrf-token`. WebSocket
 * upgrades with a cookie must come from the server's own origin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Caller, ServerEnv } from '../routes/env.js';
import { Accounts } from './accounts.js';
import { LoginLimiter } from './rate-limit.js';

export interface AuthOptions {
  /** The host token; any request bearing it acts as the host (admin). */
  token?: string | undefined;
  /** Sign in with the admin password kept in the accounts file. */
  password?: boolean;
  /** Multi-user accounts from the accounts file. */
  users?: boolean;
  /** The accounts file (auth/accounts.ts); needed for `password` and `users`. */
  accountsFile?: string;
  /** Cookie sessions last this long (default 12 h). */
  sessionTtlMs?: number;
  /** Login attempts per client address per window (default 10 per 5 minutes). */
  loginLimit?: { max: number; windowMs: number };
}

export type AuthMode = 'off' | 'token' | 'password' | 'users';

/** Routes anyone may call: liveness, readiness, and signing in. */
export const PUBLIC_ROUTES = new Set(['GET /healthz', 'GET /readyz', 'POST /api/auth/login', 'GET /api/auth/me', 'GET /api/auth/once', 'POST /api/auth/accept']);

export const SESSION_COOKIE = 'kt_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface CookieSession {
  caller: Caller;
  csrf: string;
  expiresAt: number;
}

export interface Auth {
  enabled: boolean;
  mode: AuthMode;
  accounts: Accounts | undefined;
  limiter: LoginLimiter;
  middleware: MiddlewareHandler<ServerEnv>;
  /** A signed-in browser session; returns the cookie value and its CSRF token. */
  openSession(caller: Caller): { id: string; csrf: string };
  closeSession(id: string): void;
  session(c: Context<ServerEnv>): CookieSession | undefined;
  checkToken(token: string): boolean;
  /** A link that signs a browser in once (kt web prints it). */
  oneTimeCode(caller?: Caller): string;
  redeem(code: string): Caller | undefined;
  ownerOf(caller: Caller | undefined): string | undefined;
}

export const HOST: Caller = { name: 'host', role: 'admin' };
const hashOf = (text: string) => createHash('sha256').update(text).digest();

export function createAuth(options: AuthOptions): Auth {
  const mode: AuthMode = options.users ? 'users' : options.password ? 'password' : options.token ? 'token' : 'off';
  const enabled = mode !== 'off';
  if ((options.users || options.password) && !options.accountsFile) throw new Error('auth: accountsFile is required for password or user accounts');
  const accounts = options.accountsFile ? new Accounts(options.accountsFile) : undefined;
  const ttl = options.sessionTtlMs ?? 12 * 3600_000;
  const sessions = new Map<string, CookieSession>();
  const codes = new Map<string, { caller: Caller; expiresAt: number }>();
  const tokenHash = options.token ? hashOf(options.token) : undefined;

  const auth: Auth = {
    enabled,
    mode,
    accounts,
    limiter: new LoginLimiter(options.loginLimit?.max ?? 10, options.loginLimit?.windowMs ?? 5 * 60_000),
    checkToken: (token) => Boolean(tokenHash && timingSafeEqual(hashOf(token), tokenHash)),
    openSession(caller) {
      const id = randomBytes(24).toString('base64url');
      const csrf = randomBytes(24).toString('base64url');
      sessions.set(id, { caller, csrf, expiresAt: Date.now() + ttl });
      return { id, csrf };
    },
    closeSession: (id) => void sessions.delete(id),
    session(c) {
      const id = getCookie(c, SESSION_COOKIE);
      const found = id ? sessions.get(id) : undefined;
      if (found && found.expiresAt < Date.now()) {
        sessions.delete(id as string);
        return undefined;
      }
      return found;
    },
    oneTimeCode(caller = HOST) {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, { caller, expiresAt: Date.now() + 10 * 60_000 });
      return code;
    },
    redeem(code) {
      const found = codes.get(code);
      codes.delete(code);
      return found && found.expiresAt > Date.now() ? found.caller : undefined;
    },
    // Only with accounts do sessions and keys belong to someone; the host (token or admin password) is the single user.
    ownerOf: (caller) => (mode === 'users' && caller && caller !== HOST && caller.name !== HOST.name ? caller.name : undefined),
    middleware: async (c, next) => {
      if (!enabled) return next();
      const bearer = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
      let caller: Caller | undefined;
      if (bearer && auth.checkToken(bearer)) caller = HOST;
      else {
        const session = auth.session(c);
        if (session) {
          caller = session.caller;
          if (UNSAFE.has(c.req.method) && c.req.header('x-csrf-token') !== session.csrf) {
            return c.json({ error: { code: 'CSRF', message: 'missing or wrong x-csrf-token header (GET /api/auth/me gives it)' } }, 403);
          }
          if (c.req.header('upgrade')?.toLowerCase() === 'websocket' && !sameOrigin(c)) {
            return c.json({ error: { code: 'CSRF', message: 'WebSocket from another origin' } }, 403);
          }
        }
      }
      c.set('caller', caller);
      c.set('owner', auth.ownerOf(caller));
      if (!caller && isProtected(c.req.method, c.req.path)) {
        return c.json({ error: { code: 'UNAUTHORIZED', message: 'sign in first (a bearer token or POST /api/auth/login)' } }, 401);
      }
      // The MCP catalog is the host's (commands it runs, tokens it holds): admins only.
      if ((c.req.path.startsWith('/api/admin/') || c.req.path.startsWith('/api/settings/mcp')) && caller?.role !== 'admin') {
        return c.json({ error: { code: 'FORBIDDEN', message: 'admins only' } }, 403);
      }
      return next();
    },
  };
  return auth;
}

/** The API and its document need a caller; liveness, sign-in and the dashboard's static files do not. */
export function isProtected(method: string, path: string): boolean {
  if (PUBLIC_ROUTES.has(`${method} ${path}`)) return false;
  return path.startsWith('/api/') || path === '/api' || path === '/openapi.json';
}

function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  if (!origin) return true; // not a browser
  try {
    return new URL(origin).host === c.req.header('host');
  } catch {
    return false;
  }
}
