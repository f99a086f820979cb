/**
 * Auth: every route of the route table refuses without credentials when auth
 * is on (enumerated from the app, not listed by hand); users never see each
 * other's sessions or keys; cookie sessions need the CSRF token; logins are
 * rate-limited; passwords are stored as argon2id hashes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES } from '../../source/server/auth/gate.js';
import { startServer } from '../../source/server/server.js';
import { tempTree } from '../helpers/temp-tree.js';
import { api, CREATURE, startHarness, type Harness } from './harness.js';

const TOKEN = 'host-token-for-tests-0123456789';

/** Every method + path the app answers, from Hono's own route table. */
function routeTable(h: Harness): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  return h.server.app.routes
    .filter((r) => r.method !== 'ALL')
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((r) => ({ method: r.method, path: r.path }));
}

const concrete = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => `some-${name}`);
const bearer = { authorization: `Bearer ${TOKEN}` };

/** Sign in; returns the cookie header and the CSRF token. */
async function login(h: Harness, body: Record<string, string>) {
  const res = await api(h, 'POST', '/api/auth/login', body);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.json)}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return { cookie, csrf: res.json.csrfToken as string, headers: { cookie, 'x-csrf-token': res.json.csrfToken as string } };
}

let h: Harness;
let accountsFile: string;
beforeAll(async () => {
  accountsFile = join(tempTree(), 'auth.json');
  h = await startHarness({ server: { auth: { token: TOKEN, users: true, accountsFile, loginLimit: { max: 5, windowMs: 60_000 } } } });
  await api(h, 'POST', '/api/admin/users', { name: 'alice', password: 'alice-password', role: 'user' }, bearer);
  await api(h, 'POST', '/api/admin/users', { name: 'bob', password: 'bob-password', role: 'user' }, bearer);
});
afterAll(async () => h?.close());

describe('auth on', () => {
  it('every route in the route table refuses without credentials', async () => {
    const routes = routeTable(h).filter((r) => !PUBLIC_ROUTES.has(`${r.method} ${r.path}`));
    expect(routes.length).toBeGreaterThan(25);
    for (const { method, path } of routes) {
      const res = await api(h, method, concrete(path), ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined);
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 401`);
    }
    // A wrong token is no token.
    expect((await api(h, 'GET', '/api/sessions', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    // The public ones are only liveness, readiness and signing in.
    expect((await api(h, 'GET', '/healthz')).status).toBe(200);
  });

  it('the host token works as a bearer, or exchanged for a cookie session', async () => {
    expect((await api(h, 'GET', '/api/sessions', undefined, bearer)).status).toBe(200);
    const host = await login(h, { token: TOKEN });
    expect((await api(h, 'GET', '/api/auth/me', undefined, host.headers)).json.user).toMatchObject({ name: 'host', role: 'admin' });
    expect((await api(h, 'POST', '/api/auth/login', { token: 'wrong' })).status).toBe(401);
  });

  it("a user never reads another user's sessions, saved sessions or keys", async () => {
    const alice = await login(h, { username: 'alice', password: 'alice-password' });
    const bob = await login(h, { username: 'bob', password: 'bob-password' });
    const started = await api(h, 'POST', '/api/sessions', { creature: CREATURE }, alice.headers);
    expect(started.status).toBe(201);
    const { id, name } = started.json;
    expect((await api(h, 'GET', `/api/sessions/${id}`, undefined, alice.headers)).status).toBe(200);
    expect((await api(h, 'GET', `/api/sessions/${id}`, undefined, bob.headers)).status).toBe(404);
    expect((await api(h, 'POST', `/api/sessions/${id}/input`, { text: 'hi' }, bob.headers)).status).toBe(404);
    expect((await api(h, 'DELETE', `/api/sessions/${id}`, undefined, bob.headers)).status).toBe(404);
    expect((await api(h, 'GET', `/api/sessions/${id}/topology`, undefined, bob.headers)).status).toBe(404);
    expect((await api(h, 'GET', `/api/sessions/${id}/plugins`, undefined, bob.headers)).status).toBe(404);
    expect((await api(h, 'POST', `/api/sessions/${id}/plugins/budget`, { enabled: true }, bob.headers)).status).toBe(404);
    expect((await api(h, 'GET', `/api/sessions/${id}/topology`, undefined, alice.headers)).status).toBe(200);
    expect((await api(h, 'GET', '/api/sessions', undefined, bob.headers)).json.sessions).toEqual([]);
    expect((await api(h, 'GET', `/api/saved/${name}`, undefined, bob.headers)).status).toBe(404);
    expect((await api(h, 'GET', '/api/saved', undefined, bob.headers)).json.sessions).toEqual([]);
    const socket = await fetch(`${h.url}/api/sessions/${id}/socket`, { headers: { ...bob.headers, upgrade: 'websocket', connection: 'upgrade' } }).catch(() => undefined);
    expect(socket?.status ?? 404).toBe(404);

    expect((await api(h, 'PUT', '/api/settings/keys/openai', { key: 'sk-alice-only' }, alice.headers)).status).toBe(200);
    const bobs = await api(h, 'GET', '/api/settings/providers', undefined, bob.headers);
    expect(bobs.json.providers.find((p: { name: string }) => p.name === 'openai').hasKey).toBe(false);
    const alices = await api(h, 'GET', '/api/settings/providers', undefined, alice.headers);
    expect(alices.json.providers.find((p: { name: string }) => p.name === 'openai').hasKey).toBe(true);
    expect(JSON.stringify(alices.json)).not.toContain('sk-alice-only');
    await api(h, 'DELETE', `/api/sessions/${id}`, undefined, alice.headers);
  });

  it('cookie sessions need the CSRF token for changes; users are not admins', async () => {
    const alice = await login(h, { username: 'alice', password: 'alice-password' });
    expect((await api(h, 'GET', '/api/sessions', undefined, { cookie: alice.cookie })).status).toBe(200);
    const noCsrf = await api(h, 'POST', '/api/sessions', { creature: CREATURE }, { cookie: alice.cookie });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json.error.code).toBe('CSRF');
    expect((await api(h, 'GET', '/api/admin/users', undefined, alice.headers)).status).toBe(403);
    // The MCP catalog is the host's (commands it runs, tokens it holds): admins only.
    expect((await api(h, 'GET', '/api/settings/mcp', undefined, alice.headers)).status).toBe(403);
    expect((await api(h, 'POST', '/api/settings/mcp', { name: 'x', command: 'x' }, alice.headers)).status).toBe(403);
    expect((await api(h, 'POST', '/api/settings/mcp/x/test', undefined, alice.headers)).status).toBe(403);
    expect((await api(h, 'GET', '/api/settings/mcp', undefined, bearer)).status).toBe(200);
    expect((await api(h, 'PUT', '/api/editor/file', { kind: 'creature', path: 'creatures/x/config.yaml', yaml: 'name: x\n' }, alice.headers)).status).toBe(403);
    expect((await api(h, 'GET', '/api/auth/me', undefined, alice.headers)).json).toMatchObject({ auth: 'users', user: { name: 'alice', role: 'user' }, csrfToken: alice.csrf });
  });

  it('stores argon2id hashes, never the password; invitations work once', async () => {
    const file = readFileSync(accountsFile, 'utf8');
    expect(file).toContain('$argon2id$');
    expect(file).not.toContain('alice-password');
    const invite = await api(h, 'POST', '/api/admin/invitations', { role: 'user' }, bearer);
    expect(invite.status).toBe(201);
    expect((await api(h, 'POST', '/api/auth/accept', { code: invite.json.code, name: 'carol', password: 'carol-password' })).status).toBe(201);
    expect((await api(h, 'POST', '/api/auth/accept', { code: invite.json.code, name: 'dave', password: 'dave-password' })).status).toBe(404);
    await login(h, { username: 'carol', password: 'carol-password' });
    expect((await api(h, 'GET', '/api/admin/users', undefined, bearer)).json.users.map((u: { name: string }) => u.name)).toEqual(['alice', 'bob', 'carol']);
  });

  it('a one-time sign-in link works once', async () => {
    const code = h.server.auth.oneTimeCode();
    const first = await api(h, 'GET', `/api/auth/once?code=${code}`);
    expect(first.status).toBe(302);
    expect(first.headers.get('set-cookie')).toContain('kt_session=');
    expect((await api(h, 'GET', `/api/auth/once?code=${code}`)).status).toBe(401);
  });

  it('rate-limits sign-in attempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api(h, 'POST', '/api/auth/login', { username: 'bob', password: `wrong-${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe('admin password', () => {
  it('signs the host in with the admin password; no accounts needed', async () => {
    const file = join(tempTree(), 'auth.json');
    const { Accounts } = await import('../../source/server/auth/accounts.js');
    await new Accounts(file).setAdminPassword('the-admin-password');
    const p = await startHarness({ server: { auth: { password: true, accountsFile: file } } });
    try {
      expect((await api(p, 'GET', '/api/sessions')).status).toBe(401);
      expect((await api(p, 'POST', '/api/auth/login', { password: 'wrong-password' })).status).toBe(401);
      const admin = await login(p, { password: 'the-admin-password' });
      expect((await api(p, 'GET', '/api/sessions', undefined, admin.headers)).status).toBe(200);
    } finally {
      await p.close();
    }
  });
});

describe('binding', () => {
  it('refuses a non-loopback address with auth off unless insecure', async () => {
    await expect(startServer({ host: '0.0.0.0', port: 0 })).rejects.toThrow(/--insecure/);
  });
});
