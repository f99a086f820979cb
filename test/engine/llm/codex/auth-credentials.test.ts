/**
 * codexCredentials: what the Codex provider calls before each request.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ProviderError } from '../../../../source/engine/errors.js';
import { codexCliAuthPath, codexCredentials, loadCodexTokens, saveCodexTokens, type CodexTokens } from '../../../../source/engine/llm/codex/auth.js';
import { startFakeCodexAuth, type FakeCodexAuthOptions, type FakeCodexAuthServer, type FakeTokenSet } from '../../../fakes/codex-auth-server.js';
import { tempEnv } from './helpers.js';

let fake: FakeCodexAuthServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeCodexAuthOptions = {}) {
  fake = await startFakeCodexAuth(options);
  return fake;
}

function fromSet(set: FakeTokenSet, accountId: string, expiresAt: number): CodexTokens {
  return { accessToken: set.access_token, refreshToken: set.refresh_token, idToken: set.id_token, accountId, expiresAt, lastRefresh: Date.now() - 3600_000 };
}

const refreshes = (server: FakeCodexAuthServer) => server.requests.filter((r) => r.body?.grant_type === 'refresh_token');

describe('codexCredentials', () => {
  it('says to run `kt login codex` when there are no tokens', async () => {
    const error = await codexCredentials({ env: tempEnv() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CODEX_NOT_LOGGED_IN' });
    expect((error as Error).message).toContain('kt login codex');
  });

  it('returns valid tokens as they are, without a request', async () => {
    const server = await start();
    const env = tempEnv();
    const set = server.mintTokens();
    await saveCodexTokens(fromSet(set, server.accountId, Date.now() + 3600_000), env);
    expect(await codexCredentials({ issuer: server.issuer, env })).toEqual({ accessToken: set.access_token, accountId: server.accountId });
    expect(server.requests).toHaveLength(0);
  });

  it('refreshes tokens inside the 60 s margin, saves them, and keeps the refresh token when none comes back', async () => {
    const server = await start({ keepRefreshToken: true });
    const env = tempEnv();
    const set = server.mintTokens();
    await saveCodexTokens(fromSet(set, server.accountId, Date.now() + 30_000), env);

    const credentials = await codexCredentials({ issuer: server.issuer, env });
    expect(credentials.accessToken).not.toBe(set.access_token);
    expect(credentials.accountId).toBe(server.accountId);
    expect(refreshes(server)[0]?.body).toEqual({
      grant_type: 'refresh_token',
      refresh_token: set.refresh_token,
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      scope: 'openid profile email',
    });
    const saved = await loadCodexTokens(env);
    expect(saved).toMatchObject({ accessToken: credentials.accessToken, refreshToken: set.refresh_token, idToken: expect.any(String) });
    expect(saved?.expiresAt).toBeGreaterThan(Date.now() + 3000_000);
  });

  it('saves a rotated refresh token', async () => {
    const server = await start();
    const env = tempEnv();
    const set = server.mintTokens();
    await saveCodexTokens(fromSet(set, server.accountId, Date.now() - 1000), env);
    await codexCredentials({ issuer: server.issuer, env });
    expect((await loadCodexTokens(env))?.refreshToken).not.toBe(set.refresh_token);
  });

  it('shares one refresh between concurrent callers (refresh tokens rotate)', async () => {
    const server = await start();
    const env = tempEnv();
    await saveCodexTokens(fromSet(server.mintTokens(), server.accountId, Date.now() - 1000), env);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => codexCredentials({ issuer: server.issuer, env })));
    expect(refreshes(server)).toHaveLength(1);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('a refused refresh is an auth error naming `kt login codex`, never the token', async () => {
    const server = await start({ failRefresh: true });
    const env = tempEnv();
    const set = server.mintTokens();
    await saveCodexTokens(fromSet(set, server.accountId, Date.now() - 1000), env);
    const error = await codexCredentials({ issuer: server.issuer, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ errorClass: 'auth', status: 401, retryable: false, provider: 'codex' });
    const message = (error as Error).message;
    expect(message).toContain(`POST ${server.issuer}/oauth/token → 401 refresh_token_expired`);
    expect(message).toContain('kt login codex');
    expect(message).not.toContain(set.refresh_token);
    expect(JSON.stringify(error)).not.toContain(set.refresh_token);
    expect((await loadCodexTokens(env))?.refreshToken).toBe(set.refresh_token); // Untouched.
  });

  it('a server error while refreshing stays retryable', async () => {
    const env = tempEnv();
    await saveCodexTokens({ accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() - 1000, lastRefresh: 0 }, env);
    const fetchStub: typeof fetch = async () => new Response('{"error":"server_error"}', { status: 503 });
    const error = await codexCredentials({ issuer: 'https://auth.example', env, fetch: fetchStub }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorClass: 'server', retryable: true, status: 503 });
  });

  it("refreshes the Codex CLI's tokens into kt's own file, leaving theirs alone", async () => {
    const server = await start();
    const env = tempEnv();
    const set = server.mintTokens({ expiresIn: -60 }); // Already expired per the JWT exp.
    mkdirSync(join(env.HOME as string, '.codex'), { recursive: true });
    const cli = JSON.stringify({ tokens: { access_token: set.access_token, refresh_token: set.refresh_token, id_token: set.id_token }, last_refresh: '2025-01-01T00:00:00Z' });
    writeFileSync(codexCliAuthPath(env), cli);

    const credentials = await codexCredentials({ issuer: server.issuer, env });
    expect(credentials.accountId).toBe(server.accountId); // From the id token's claim.
    expect(refreshes(server)).toHaveLength(1);
    expect(readFileSync(codexCliAuthPath(env), 'utf8')).toBe(cli);
    expect(await loadCodexTokens(env)).toMatchObject({ source: 'kt', accessToken: credentials.accessToken });
  });
});
