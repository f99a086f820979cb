/**
 * The browser (PKCE) flow, driven the way a browser would: follow the
 * authorize URL to the fake issuer, which redirects to the loopback callback.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loginWithCodex } from '../../../../source/engine/llm/codex/auth.js';
import type { CodexAuthOptions, CodexPrompt } from '../../../../source/engine/llm/codex/auth-options.js';
import { pkceChallenge, sameSecret } from '../../../../source/engine/llm/codex/auth-pkce.js';
import { startFakeCodexAuth, type FakeCodexAuthOptions, type FakeCodexAuthServer } from '../../../fakes/codex-auth-server.js';
import { deferred, tempEnv, virtualClock, visitInBrowser } from './helpers.js';

let fake: FakeCodexAuthServer | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

/** Start a sign-in whose device flow stays pending (5 s polls), and hand back its prompt. */
async function startLogin(fakeOptions: FakeCodexAuthOptions = {}, options: CodexAuthOptions = {}) {
  fake = await startFakeCodexAuth({ pendingPolls: Infinity, interval: 5, ...fakeOptions });
  const prompted = deferred<CodexPrompt>();
  const env = tempEnv();
  const login = loginWithCodex({ issuer: fake.issuer, env, browserPort: 0, onPrompt: prompted.resolve, ...options });
  login.catch(() => {}); // Asserted by each test; keeps an early rejection from being reported as unhandled.
  return { server: fake, login, env, prompt: await prompted.promise };
}

const codeGrants = (server: FakeCodexAuthServer) => server.requests.filter((r) => r.path === '/oauth/token' && r.body?.grant_type === 'authorization_code');

describe('loginWithCodex: browser flow', () => {
  it('builds the authorize URL the Codex client sends', async () => {
    const { server, prompt, login } = await startLogin();
    const url = new URL(prompt.authorizeUrl ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${server.issuer}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      redirect_uri: expect.stringMatching(/^http:\/\/localhost:\d+\/auth\/callback$/),
      scope: 'openid profile email offline_access',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
      id_token_add_organizations: 'true',
      codex_cli_simplified_flow: 'true',
      state: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(prompt.authorizeUrl).toContain('scope=openid%20profile%20email%20offline_access');
    await visitInBrowser(prompt.authorizeUrl ?? '');
    await login;
  });

  it('signs in through the callback, cancelling the pending device flow', async () => {
    const { server, prompt, login } = await startLogin();
    const page = await visitInBrowser(prompt.authorizeUrl ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in to ChatGPT');

    const tokens = await login;
    expect(tokens.accountId).toBe(server.accountId);
    const [grant] = codeGrants(server);
    const redirect = new URL(prompt.authorizeUrl ?? '').searchParams.get('redirect_uri');
    expect(grant?.body).toMatchObject({ redirect_uri: redirect, client_id: 'app_EMoamEEZ73f0CkXaXp7hrann' });
    expect(pkceChallenge(String(grant?.body?.code_verifier))).toBe(new URL(prompt.authorizeUrl ?? '').searchParams.get('code_challenge'));
    // The device flow never got to poll: its 5 s wait was cancelled.
    expect(server.requests.filter((r) => r.path === '/api/accounts/deviceauth/token')).toHaveLength(0);
    // One-shot: the callback server is closed.
    await expect(fetch(String(redirect).replace('localhost', '127.0.0.1'))).rejects.toThrow();
  });

  it('rejects a callback with the wrong state and keeps waiting for the real one', async () => {
    const { server, prompt, login } = await startLogin();
    const redirect = String(new URL(prompt.authorizeUrl ?? '').searchParams.get('redirect_uri')).replace('localhost', '127.0.0.1');
    const forged = await fetch(`${redirect}?code=stolen&state=guess`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('State mismatch');
    const missing = await fetch(`${redirect}?code=stolen`);
    expect(missing.status).toBe(400);
    expect(codeGrants(server)).toHaveLength(0); // Nothing was exchanged for the forgery.

    expect((await visitInBrowser(prompt.authorizeUrl ?? '')).status).toBe(200);
    await expect(login).resolves.toMatchObject({ accountId: server.accountId });
    expect(codeGrants(server)).toHaveLength(1);
  });

  it('fails with CODEX_LOGIN_DENIED when the user declines in the browser', async () => {
    const { prompt, login } = await startLogin({ deny: true });
    expect((await visitInBrowser(prompt.authorizeUrl ?? '')).status).toBe(400);
    await expect(login).rejects.toMatchObject({ code: 'CODEX_LOGIN_DENIED', message: expect.stringContaining('access_denied') });
  });

  it('falls back to the device flow alone when the port is busy', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker?.listen(0, '127.0.0.1', () => resolve((blocker?.address() as { port: number }).port)));
    const server = (fake = await startFakeCodexAuth());
    const clock = virtualClock();
    const prompts: CodexPrompt[] = [];
    const tokens = await loginWithCodex({ issuer: server.issuer, env: tempEnv(), browserPort: port, now: clock.now, sleep: clock.sleep, onPrompt: (p) => prompts.push(p) });
    expect(tokens.accountId).toBe(server.accountId);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]?.authorizeUrl).toBeUndefined();
  });
});

describe('state comparison', () => {
  it('matches only the exact secret', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('abc', null)).toBe(false);
  });
});
