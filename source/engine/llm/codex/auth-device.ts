/**
 * The device-code flow: ask for a user code, show it, poll until the user
 * has entered it at `{issuer}/codex/device`, then redeem the authorization
 * code the poll hands back. Works on headless machines and over SSH.
 *
 * Poll interval: the server's `interval` is in seconds and may be a string
 * or a fraction. A missing or unreadable value means 5 s (RFC 8628's
 * default); anything under 50 ms, including the `0` the fake server sends
 * so tests run fast, is raised to 50 ms so a client can never spin.
 * `slow_down` (or 429) adds 5 s, as RFC 8628 requires.
 *
 * Network errors and 5xx replies while polling are retried at the next
 * interval, up to `MAX_POLL_FAILURES` in a row: the wait can last minutes.
 */
import { KTError, ProviderError } from '../../errors.js';
import { exchangeCode } from './auth-exchange.js';
import { httpFailure, oauthErrorCode, postJson, type AuthReply } from './auth-http.js';
import type { ResolvedAuthOptions } from './auth-options.js';
import { seconds, type CodexTokens } from './tokens.js';

export const USERCODE_PATH = '/api/accounts/deviceauth/usercode';
export const DEVICE_TOKEN_PATH = '/api/accounts/deviceauth/token';

export const DEFAULT_POLL_MS = 5000;
export const MIN_POLL_MS = 50;
export const SLOW_DOWN_STEP_MS = 5000;
/** Consecutive network or 5xx failures of the poll tolerated before giving up. */
export const MAX_POLL_FAILURES = 5;
/** Used when the server does not say how long the code lives. */
export const DEFAULT_DEVICE_EXPIRY_MS = 15 * 60_000;

/** A device code waiting to be entered. */
export interface DeviceCode {
  deviceAuthId: string;
  userCode: string;
  /** `{issuer}/codex/device`, where the user enters the code. */
  verificationUrl: string;
  intervalMs: number;
  expiresInMs: number;
}

/** Ask the issuer for a user code. */
export async function requestDeviceCode(options: ResolvedAuthOptions, signal?: AbortSignal): Promise<DeviceCode> {
  const reply = await postJson(options, USERCODE_PATH, { client_id: options.clientId }, signal);
  if (reply.status !== 200) throw httpFailure(reply, 'ChatGPT sign-in (device code request)');
  const body = reply.body ?? {};
  // The field names vary between deployments; accept both spellings.
  const deviceAuthId = str(body.device_auth_id) ?? str(body.device_code);
  const userCode = str(body.user_code) ?? str(body.usercode);
  if (!deviceAuthId || !userCode) {
    throw new ProviderError(`ChatGPT sign-in failed: POST ${reply.url} replied without a device_auth_id and user_code`, {
      provider: 'codex',
      errorClass: 'protocol',
      status: reply.status,
    });
  }
  return {
    deviceAuthId,
    userCode,
    verificationUrl: `${options.issuer}/codex/device`,
    intervalMs: pollIntervalMs(body.interval),
    expiresInMs: expiryMs(body, options.now()),
  };
}

/** The server's `interval` (seconds) as the wait between polls, per the rules in the file comment. */
export function pollIntervalMs(interval: unknown): number {
  const s = seconds(interval);
  return s === undefined ? DEFAULT_POLL_MS : Math.max(MIN_POLL_MS, s * 1000);
}

function expiryMs(body: Record<string, unknown>, now: number): number {
  const s = seconds(body.expires_in);
  if (s !== undefined) return s * 1000;
  const at = typeof body.expires_at === 'string' ? Date.parse(body.expires_at) : NaN;
  return Number.isNaN(at) ? DEFAULT_DEVICE_EXPIRY_MS : Math.max(0, at - now);
}

/**
 * Poll until the user has entered the code, then exchange the code for
 * tokens. Rejects when the code expires (`CODEX_LOGIN_EXPIRED`), the user
 * declines (`CODEX_LOGIN_DENIED`), or `signal` fires (with its reason).
 */
export async function completeDeviceFlow(options: ResolvedAuthOptions, device: DeviceCode, signal?: AbortSignal): Promise<CodexTokens> {
  const deadline = options.now() + device.expiresInMs;
  let interval = device.intervalMs;
  let failures = 0;
  for (;;) {
    const remaining = deadline - options.now();
    if (remaining <= 0) throw expired();
    await options.sleep(Math.min(interval, remaining), signal);
    if (options.now() >= deadline) throw expired();

    let reply: AuthReply;
    try {
      reply = await postJson(options, DEVICE_TOKEN_PATH, { device_auth_id: device.deviceAuthId, user_code: device.userCode }, signal);
    } catch (error) {
      // A network blip during a minutes-long wait should not end the sign-in; a dead server should.
      if (error instanceof ProviderError && error.retryable && ++failures < MAX_POLL_FAILURES) continue;
      throw error;
    }
    if (reply.status >= 500 && ++failures < MAX_POLL_FAILURES) continue;
    failures = 0;
    if (reply.status === 200) {
      const code = str(reply.body?.authorization_code);
      const codeVerifier = str(reply.body?.code_verifier);
      if (!code || !codeVerifier) {
        throw new ProviderError(`ChatGPT sign-in failed: POST ${reply.url} → 200 without an authorization_code and code_verifier`, {
          provider: 'codex',
          errorClass: 'protocol',
          status: 200,
        });
      }
      return exchangeCode(options, { code, codeVerifier, redirectUri: `${options.issuer}/deviceauth/callback` }, signal);
    }

    const error = oauthErrorCode(reply.body);
    if (error === 'slow_down' || reply.status === 429) {
      interval += SLOW_DOWN_STEP_MS;
    } else if (error === 'authorization_pending' || error === 'pending') {
      if (![400, 403, 404, 428].includes(reply.status)) throw httpFailure(reply, 'ChatGPT sign-in (device code poll)');
    } else if (error === undefined && [403, 404, 428].includes(reply.status)) {
      // The Codex endpoint answers "not yet" with a bare 403/404 as well.
    } else if (error === 'expired_token') {
      throw expired();
    } else if (error === 'access_denied') {
      throw new KTError('ChatGPT sign-in was denied', { code: 'CODEX_LOGIN_DENIED', hint: 'run `kt login codex` to try again' });
    } else {
      throw httpFailure(reply, 'ChatGPT sign-in (device code poll)');
    }
  }
}

function expired(): KTError {
  return new KTError('the ChatGPT sign-in code expired before it was used', {
    code: 'CODEX_LOGIN_EXPIRED',
    hint: 'run `kt login codex` to get a new code',
  });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
