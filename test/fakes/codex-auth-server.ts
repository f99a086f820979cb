/**
 * A fake of OpenAI's auth server (`https://auth.openai.com`) for the Codex
 * sign-in: the device-code endpoints, the browser authorize redirect and
 * `/oauth/token` with both grants, on a real loopback socket. It validates
 * what the real one does (client id, code, PKCE verifier, redirect URI,
 * refresh token) and answers mistakes with OAuth error bodies, so a client
 * that passes here speaks the protocol.
 *
 * ```ts
 * const auth = await startFakeCodexAuth({ pendingPolls: 2 });
 * await loginWithCodex({ issuer: auth.issuer, browserPort: false, env });
 * await auth.close();
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { mintTokenSet, type FakeTokenSet } from './codex-auth-tokens.js';
import { closeLoopback, listenOnLoopback } from './loopback-server.js';

export { fakeJwt, type FakeTokenSet } from './codex-auth-tokens.js';

export const FAKE_CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
export const FAKE_ACCOUNT_ID = 'acct-0123456789abcdef';

export interface FakeCodexAuthOptions {
  /** Polls answered `authorization_pending` before the code is handed out. Default 1. */
  pendingPolls?: number;
  /** Answer the first poll with `slow_down`. */
  slowDown?: boolean;
  /** The user declines: polls answer `access_denied`, the authorize page redirects with `error=access_denied`. */
  deny?: boolean;
  /** The `chatgpt_account_id` claim of issued tokens. Default `FAKE_ACCOUNT_ID`. */
  accountId?: string;
  /** Access token lifetime in seconds (`expires_in` and the JWT `exp`). Default 3600. */
  expiresIn?: number;
  /** Leave `expires_in` out of token replies (clients must read the JWT `exp`). */
  omitExpiresIn?: boolean;
  /** The refresh grant fails with 401 `refresh_token_expired`, as OpenAI answers a dead refresh token. */
  failRefresh?: boolean;
  /** Refresh replies carry no new refresh token (the old one stays valid). */
  keepRefreshToken?: boolean;
  /** The poll `interval` sent with the user code, in seconds (sent as a string, like OpenAI). Default 0. */
  interval?: number;
  /** Lifetime of the user code in seconds. Default 900. */
  deviceExpiresIn?: number;
}

/** One request the server received. */
export interface RecordedAuthRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The JSON or form body as an object; undefined when empty or unreadable. */
  body: Record<string, unknown> | undefined;
  receivedAt: number;
}

export interface FakeCodexAuthServer {
  /** `http://127.0.0.1:<port>`, for `issuer` / `KT_CODEX_ISSUER`. */
  readonly issuer: string;
  readonly port: number;
  readonly requests: RecordedAuthRequest[];
  /** The user code every device-code request gets. */
  readonly userCode: string;
  readonly accountId: string;
  /** Issue a token set the server will accept for refresh (to seed token files). */
  mintTokens(options?: { expiresIn?: number; nowMs?: number }): FakeTokenSet;
  /** Resolve once `count` requests to `path` have arrived. */
  waitForRequests(path: string, count?: number, timeoutMs?: number): Promise<void>;
  /** Stop listening and destroy open connections. */
  close(): Promise<void>;
}

export async function startFakeCodexAuth(options: FakeCodexAuthOptions = {}): Promise<FakeCodexAuthServer> {
  const fake = new FakeCodexAuth(options);
  await fake.listen();
  return fake;
}

interface Device {
  polls: number;
  slowed: boolean;
}

interface IssuedCode {
  redirectUri: string;
  /** Device flow: the server made the PKCE pair and hands out the verifier. */
  verifier?: string;
  /** Browser flow: the client's S256 challenge. */
  challenge?: string;
}

class FakeCodexAuth implements FakeCodexAuthServer {
  readonly requests: RecordedAuthRequest[] = [];
  readonly userCode = 'FAKE-7Q2X';
  readonly accountId: string;
  port = 0;
  private readonly http = createServer((req, res) => this.accept(req, res));
  private readonly devices = new Map<string, Device>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Set<string>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: FakeCodexAuthOptions) {
    this.accountId = options.accountId ?? FAKE_ACCOUNT_ID;
  }

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    this.port = await listenOnLoopback(this.http);
  }

  mintTokens(options: { expiresIn?: number; nowMs?: number } = {}): FakeTokenSet {
    const set = mintTokenSet({
      issuer: this.issuer,
      clientId: FAKE_CODEX_CLIENT_ID,
      accountId: this.accountId,
      expiresIn: options.expiresIn ?? this.options.expiresIn ?? 3600,
      ...(options.nowMs !== undefined ? { nowMs: options.nowMs } : {}),
    });
    this.refreshTokens.add(set.refresh_token);
    return set;
  }

  waitForRequests(path: string, count = 1, timeoutMs = 5000): Promise<void> {
    const ready = () => this.requests.filter((r) => r.path === path).length >= count;
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!ready()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake codex auth: timed out waiting for ${count} requests to ${path}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  close(): Promise<void> {
    return closeLoopback(this.http);
  }

  private accept(req: IncomingMessage, res: ServerResponse): void {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.issuer);
      const record: RecordedAuthRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: parseBody(Buffer.concat(parts).toString('utf8'), req.headers['content-type']),
        receivedAt: Date.now(),
      };
      this.requests.push(record);
      for (const waiter of [...this.waiters]) waiter();
      this.route(record, res);
    });
  }

  private route(request: RecordedAuthRequest, res: ServerResponse): void {
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /api/accounts/deviceauth/usercode') return this.userCodeRequest(request, res);
    if (route === 'POST /api/accounts/deviceauth/token') return this.poll(request, res);
    if (route === 'GET /oauth/authorize') return this.authorize(request, res);
    if (route === 'POST /oauth/token') return this.token(request, res);
    send(res, 404, { error: 'not_found', error_description: `no route for ${route}` });
  }

  private userCodeRequest(request: RecordedAuthRequest, res: ServerResponse): void {
    if (!isJson(request) || request.body?.client_id !== FAKE_CODEX_CLIENT_ID) {
      return send(res, 400, { error: 'invalid_client', error_description: 'unknown client_id' });
    }
    const id = `deviceauth_${randomBytes(8).toString('hex')}`;
    this.devices.set(id, { polls: 0, slowed: false });
    send(res, 200, {
      device_auth_id: id,
      user_code: this.userCode,
      interval: String(this.options.interval ?? 0),
      expires_in: this.options.deviceExpiresIn ?? 900,
    });
  }

  private poll(request: RecordedAuthRequest, res: ServerResponse): void {
    const id = request.body?.device_auth_id;
    const device = typeof id === 'string' ? this.devices.get(id) : undefined;
    if (!isJson(request) || !device || request.body?.user_code !== this.userCode) {
      return send(res, 400, { error: 'invalid_request', error_description: 'unknown device_auth_id or user_code' });
    }
    if (this.options.deny) return send(res, 403, { error: 'access_denied', error_description: 'the user declined' });
    if (this.options.slowDown && !device.slowed) {
      device.slowed = true;
      return send(res, 400, { error: 'slow_down' });
    }
    if (device.polls < (this.options.pendingPolls ?? 1)) {
      device.polls++;
      return send(res, 403, { error: 'authorization_pending' });
    }
    this.devices.delete(id as string);
    const verifier = randomBytes(32).toString('base64url');
    const code = `ac_${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { redirectUri: `${this.issuer}/deviceauth/callback`, verifier });
    send(res, 200, { authorization_code: code, code_verifier: verifier, code_challenge: s256(verifier) });
  }

  /** Stands in for the user signing in: redirects straight back with a code (or the denial). */
  private authorize(request: RecordedAuthRequest, res: ServerResponse): void {
    const q = request.query;
    const redirect = q.redirect_uri;
    const valid =
      q.client_id === FAKE_CODEX_CLIENT_ID &&
      q.response_type === 'code' &&
      q.code_challenge_method === 'S256' &&
      !!q.code_challenge &&
      !!q.state &&
      !!redirect &&
      /^http:\/\/localhost:\d+\/auth\/callback$/.test(redirect);
    if (!valid || !redirect) return send(res, 400, { error: 'invalid_request', error_description: 'bad authorize parameters' });
    const target = new URL(redirect);
    target.searchParams.set('state', q.state as string);
    if (this.options.deny) {
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = `ac_${randomBytes(12).toString('hex')}`;
      this.codes.set(code, { redirectUri: redirect, challenge: q.code_challenge as string });
      target.searchParams.set('code', code);
    }
    res.writeHead(302, { location: target.href });
    res.end();
  }

  private token(request: RecordedAuthRequest, res: ServerResponse): void {
    const form = request.body;
    if (!form || !String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return send(res, 400, { error: 'invalid_request', error_description: 'expected a form-encoded body' });
    }
    if (form.client_id !== FAKE_CODEX_CLIENT_ID) return send(res, 401, { error: 'invalid_client', error_description: 'unknown client_id' });
    if (form.grant_type === 'authorization_code') return this.codeGrant(form, res);
    if (form.grant_type === 'refresh_token') return this.refreshGrant(form, res);
    send(res, 400, { error: 'unsupported_grant_type' });
  }

  private codeGrant(form: Record<string, unknown>, res: ServerResponse): void {
    const code = typeof form.code === 'string' ? form.code : '';
    const issued = this.codes.get(code);
    if (!issued) return send(res, 400, { error: 'invalid_grant', error_description: 'unknown or used authorization code' });
    this.codes.delete(code); // Codes are single-use.
    if (form.redirect_uri !== issued.redirectUri) return send(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
    const verifier = typeof form.code_verifier === 'string' ? form.code_verifier : '';
    const ok = issued.verifier !== undefined ? verifier === issued.verifier : s256(verifier) === issued.challenge;
    if (!verifier || !ok) return send(res, 400, { error: 'invalid_grant', error_description: 'code_verifier mismatch' });
    send(res, 200, this.tokenReply(this.mintTokens()));
  }

  private refreshGrant(form: Record<string, unknown>, res: ServerResponse): void {
    const token = typeof form.refresh_token === 'string' ? form.refresh_token : '';
    if (this.options.failRefresh) {
      return send(res, 401, { error: { message: 'Your refresh token has expired. Please log in again.', type: 'invalid_request_error', code: 'refresh_token_expired' } });
    }
    if (!this.refreshTokens.has(token)) return send(res, 400, { error: 'invalid_grant', error_description: 'unknown or rotated refresh token' });
    const set = this.mintTokens();
    const reply = this.tokenReply(set);
    if (this.options.keepRefreshToken) {
      this.refreshTokens.delete(set.refresh_token);
      delete reply.refresh_token;
    } else {
      this.refreshTokens.delete(token); // Rotation: the old refresh token is now spent.
    }
    send(res, 200, reply);
  }

  private tokenReply(set: FakeTokenSet): Record<string, unknown> {
    const reply: Record<string, unknown> = { ...set, token_type: 'Bearer', scope: 'openid profile email offline_access' };
    if (this.options.omitExpiresIn) delete reply.expires_in;
    return reply;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function isJson(request: RecordedAuthRequest): boolean {
  return String(request.headers['content-type']).startsWith('application/json');
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
