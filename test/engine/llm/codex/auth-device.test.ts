/**
 * The device-code flow against the fake auth server: polling rules, denial,
 * the deadline, and cancellation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortReason, KTError } from '../../../../source/engine/errors.js';
import { loginWithCodex } from '../../../../source/engine/llm/codex/auth.js';
import type { CodexPrompt } from '../../../../source/engine/llm/codex/auth-options.js';
import { DEVICE_TOKEN_PATH, MIN_POLL_MS, pollIntervalMs, requestDeviceCode } from '../../../../source/engine/llm/codex/auth-device.js';
import { resolveAuthOptions } from '../../../../source/engine/llm/codex/auth-options.js';
import { startFakeCodexAuth, type FakeCodexAuthOptions, type FakeCodexAuthServer } from '../../../fakes/codex-auth-server.js';
import { deferred, tempEnv, trackTimers, virtualClock } from './helpers.js';

let fake: FakeCodexAuthServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeCodexAuthOptions = {}) {
  fake = await startFakeCodexAuth(options);
  return fake;
}

const polls = (server: FakeCodexAuthServer) => server.requests.filter((r) => r.path === DEVICE_TOKEN_PATH);

describe('loginWithCodex: device flow', () => {
  it('waits through pending polls and slow_down, then saves the tokens', async () => {
    const server = await start({ pendingPolls: 2, slowDown: true });
    const clock = virtualClock();
    const env = tempEnv();
    const prompts: CodexPrompt[] = [];
    const tokens = await loginWithCodex({ issuer: server.issuer, env, browserPort: false, now: clock.now, sleep: clock.sleep, onPrompt: (p) => prompts.push(p) });

    expect(prompts).toEqual([{ verificationUrl: `${server.issuer}/codex/device`, userCode: server.userCode, expiresInMs: 900_000 }]);
    // interval 0 → the 50 ms floor; slow_down adds 5 s for every later poll.
    expect(clock.waits).toEqual([MIN_POLL_MS, MIN_POLL_MS + 5000, MIN_POLL_MS + 5000, MIN_POLL_MS + 5000]);
    expect(polls(server)).toHaveLength(4);
    expect(polls(server)[0]?.body).toEqual({ device_auth_id: expect.stringMatching(/^deviceauth_/), user_code: server.userCode });

    const exchange = server.requests.find((r) => r.path === '/oauth/token');
    expect(exchange?.body).toMatchObject({
      grant_type: 'authorization_code',
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      redirect_uri: `${server.issuer}/deviceauth/callback`,
    });
    expect(tokens.accountId).toBe(server.accountId);
    expect(tokens.expiresAt).toBe(clock.now() + 3600_000);
    const saved = JSON.parse(readFileSync(join(env.KT_CONFIG_DIR as string, 'codex-auth.json'), 'utf8'));
    expect(saved).toMatchObject({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken, account_id: server.accountId });
  });

  it('takes the expiry from the access token JWT when expires_in is missing', async () => {
    const server = await start({ omitExpiresIn: true, expiresIn: 600 });
    const clock = virtualClock();
    // The JWT exp has second resolution and uses the real clock: it falls between the login's start and end.
    const before = Math.floor(Date.now() / 1000) * 1000;
    const tokens = await loginWithCodex({ issuer: server.issuer, env: tempEnv(), browserPort: false, now: clock.now, sleep: clock.sleep });
    const after = Date.now();
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 600_000);
    expect(tokens.expiresAt).toBeLessThanOrEqual(after + 600_000);
  });

  it('fails with CODEX_LOGIN_DENIED when the user declines, saving nothing', async () => {
    const server = await start({ deny: true });
    const env = tempEnv();
    const clock = virtualClock();
    const error = await loginWithCodex({ issuer: server.issuer, env, browserPort: false, now: clock.now, sleep: clock.sleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KTError);
    expect(error).toMatchObject({ code: 'CODEX_LOGIN_DENIED', message: 'ChatGPT sign-in was denied' });
    expect(existsSync(join(env.KT_CONFIG_DIR as string, 'codex-auth.json'))).toBe(false);
  });

  it("gives up when the code's lifetime runs out (the overall deadline)", async () => {
    const server = await start({ pendingPolls: Infinity, interval: 1, deviceExpiresIn: 3 });
    const clock = virtualClock();
    const error = await loginWithCodex({ issuer: server.issuer, env: tempEnv(), browserPort: false, now: clock.now, sleep: clock.sleep }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CODEX_LOGIN_EXPIRED', hint: expect.stringContaining('kt login codex') });
    expect(clock.waits).toEqual([1000, 1000, 1000]);
    expect(polls(server)).toHaveLength(2); // The third wait reaches the deadline: no poll after it.
  });

  it('stops a wait on abort with the signal reason, leaving no timer or server behind', async () => {
    const server = await start({ pendingPolls: Infinity, interval: 5 });
    const timers = trackTimers();
    const controller = new AbortController();
    const prompted = deferred<CodexPrompt>();
    const login = loginWithCodex({ issuer: server.issuer, env: tempEnv(), browserPort: 0, signal: controller.signal, onPrompt: prompted.resolve });
    const prompt = await prompted.promise;
    await new Promise((r) => setImmediate(r)); // Now in the first 5 s wait.
    expect(timers.pending()).toHaveLength(1);

    const reason = new AbortReason('interrupted');
    controller.abort(reason);
    await expect(login).rejects.toBe(reason);
    expect(timers.pending()).toEqual([]);
    timers.restore();
    const callback = new URL(new URL(prompt.authorizeUrl ?? '').searchParams.get('redirect_uri') ?? '');
    await expect(fetch(`http://127.0.0.1:${callback.port}/auth/callback`)).rejects.toThrow(); // The callback server is gone.
    expect(polls(server)).toHaveLength(0);
  });

  it('stops polling on abort mid-request', async () => {
    const server = await start({ pendingPolls: Infinity });
    const timers = trackTimers();
    const controller = new AbortController();
    const login = loginWithCodex({ issuer: server.issuer, env: tempEnv(), browserPort: false, signal: controller.signal });
    await server.waitForRequests(DEVICE_TOKEN_PATH, 3);
    const reason = new AbortReason('interrupted');
    controller.abort(reason);
    await expect(login).rejects.toBe(reason);
    // No poll can follow: nothing is left scheduled to wake the loop (checked now, not after a pause).
    expect(timers.pending()).toEqual([]);
    timers.restore();
  });

  it('rejects at once when the signal has already fired', async () => {
    const server = await start();
    const reason = new AbortReason('cancelled');
    await expect(loginWithCodex({ issuer: server.issuer, env: tempEnv(), browserPort: false, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('rides out a few network or 5xx failures while polling, but not endless ones', async () => {
    const server = await start({ pendingPolls: 0 });
    let failing = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).endsWith(DEVICE_TOKEN_PATH) && failing > 0) {
        failing--;
        if (failing % 2) throw new TypeError('fetch failed', { cause: new Error('connect ECONNRESET') });
        return new Response('{"error":"server_error"}', { status: 502 });
      }
      return fetch(input, init);
    };
    const run = () => {
      const clock = virtualClock();
      return loginWithCodex({ issuer: server.issuer, env: tempEnv(), browserPort: false, fetch: flaky, now: clock.now, sleep: clock.sleep });
    };
    failing = 4;
    await expect(run()).resolves.toMatchObject({ accountId: server.accountId });
    failing = 5;
    await expect(run()).rejects.toMatchObject({ errorClass: 'server', status: 502 });
  });

  it('names the endpoint and status when the issuer refuses the client', async () => {
    const server = await start();
    const error = await loginWithCodex({ issuer: server.issuer, clientId: 'app_wrong', env: tempEnv(), browserPort: false }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toBe(
      `ChatGPT sign-in (device code request) failed: POST ${server.issuer}/api/accounts/deviceauth/usercode → 400 invalid_client: unknown client_id`,
    );
  });
});

describe('device code parsing', () => {
  it('accepts `usercode`, string and fractional intervals', async () => {
    const fetchStub: typeof fetch = async () =>
      new Response(JSON.stringify({ device_auth_id: 'd1', usercode: 'AB-CD', interval: '2.5', expires_in: '60' }), { status: 200 });
    const device = await requestDeviceCode(resolveAuthOptions({ issuer: 'https://auth.example', fetch: fetchStub }));
    expect(device).toEqual({ deviceAuthId: 'd1', userCode: 'AB-CD', verificationUrl: 'https://auth.example/codex/device', intervalMs: 2500, expiresInMs: 60_000 });
  });

  it('turns the interval into a safe wait', () => {
    expect(pollIntervalMs(undefined)).toBe(5000);
    expect(pollIntervalMs('nonsense')).toBe(5000);
    expect(pollIntervalMs(0)).toBe(MIN_POLL_MS);
    expect(pollIntervalMs(0.001)).toBe(MIN_POLL_MS);
    expect(pollIntervalMs(3)).toBe(3000);
  });
});
