/**
 * The browser flow: authorization code + PKCE with a one-shot loopback
 * callback server. The user opens the authorize URL, signs in, and the
 * issuer redirects the browser to `http://localhost:<port>/auth/callback`
 * with the code, which we redeem with the PKCE verifier.
 *
 * A callback whose `state` does not match is answered 400 and otherwise
 * ignored (it may be a forged request, so it must not end the sign-in); the
 * server keeps waiting for the real one.
 */
// node:http reaches the bundles through a stand-in loaded on first use (scripts/lazy-deps.mjs): its ESM wrapper would load undici.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KTError } from '../../errors.js';
import { exchangeCode } from './auth-exchange.js';
import type { ResolvedAuthOptions } from './auth-options.js';
import { createPkce, randomState, sameSecret } from './auth-pkce.js';
import type { CodexTokens } from './tokens.js';

export const CALLBACK_PATH = '/auth/callback';
const SCOPE = 'openid profile email offline_access';

/** A browser sign-in waiting for its callback. */
export interface BrowserFlow {
  authorizeUrl: string;
  redirectUri: string;
  /**
   * Settles once: tokens after a valid callback, a rejection when the issuer
   * reports an error, the exchange fails or `signal` fires. Never settles
   * when the flow is closed first.
   */
  tokens: Promise<CodexTokens>;
  /** Stop listening and drop open connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Start the callback server on 127.0.0.1:`port` (0: any free port).
 * Resolves undefined when the port cannot be bound (busy or not allowed):
 * the device flow alone then carries the sign-in.
 */
export async function startBrowserFlow(options: ResolvedAuthOptions, port: number, signal?: AbortSignal): Promise<BrowserFlow | undefined> {
  const pkce = createPkce();
  const state = randomState();
  let settle: { resolve: (t: CodexTokens) => void; reject: (e: unknown) => void } | undefined;
  const tokens = new Promise<CodexTokens>((resolve, reject) => (settle = { resolve, reject }));
  let accepted = false;
  let redirectUri = '';

  const finish = (outcome: { tokens: CodexTokens } | { error: unknown }) => {
    const current = settle;
    settle = undefined;
    signal?.removeEventListener('abort', onAbort);
    if ('tokens' in outcome) current?.resolve(outcome.tokens);
    else current?.reject(outcome.error);
  };
  const onAbort = () => finish({ error: signal?.reason });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found.');
    if (!sameSecret(state, url.searchParams.get('state'))) return page(res, 400, 'State mismatch: this link does not belong to the running sign-in.');
    if (accepted || !settle) return page(res, 409, 'This sign-in has already been handled. You can close this tab.');
    const error = url.searchParams.get('error');
    if (error) {
      accepted = true;
      page(res, 400, 'Sign-in failed. Return to your terminal for details.');
      return finish({ error: browserError(error, url.searchParams.get('error_description')) });
    }
    const code = url.searchParams.get('code');
    if (!code) return page(res, 400, 'The callback carries no authorization code.');
    accepted = true;
    exchangeCode(options, { code, codeVerifier: pkce.verifier, redirectUri }, signal).then(
      // Settle only once the page is sent, so closing the server cannot cut it off.
      (result) => page(res, 200, 'Signed in to ChatGPT. You can close this tab and return to kt.', () => finish({ tokens: result })),
      (failure: unknown) => page(res, 500, 'Sign-in failed. Return to your terminal for details.', () => finish({ error: failure })),
    );
  };

  const server = createServer(handle);
  if (!(await listen(server, port))) return undefined;
  server.on('error', () => {}); // After a successful bind nothing here is fatal; the device flow still runs.
  redirectUri = `http://localhost:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  let closed: Promise<void> | undefined;
  return {
    authorizeUrl: authorizeUrl(options, redirectUri, pkce.challenge, state),
    redirectUri,
    tokens,
    close() {
      signal?.removeEventListener('abort', onAbort);
      settle = undefined;
      closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** `{issuer}/oauth/authorize?...` with the parameters the Codex client sends (spaces as %20, not +). */
export function authorizeUrl(options: ResolvedAuthOptions, redirectUri: string, challenge: string, state: string): string {
  const params: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', options.clientId],
    ['redirect_uri', redirectUri],
    ['scope', SCOPE],
    ['code_challenge', challenge],
    ['code_challenge_method', 'S256'],
    ['id_token_add_organizations', 'true'],
    ['codex_cli_simplified_flow', 'true'],
    ['state', state],
  ];
  return `${options.issuer}/oauth/authorize?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

/** Bind to 127.0.0.1 only (never other interfaces). False when the port is unavailable. */
function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') resolve(false);
      else reject(error);
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve(true);
    });
  });
}

function page(res: ServerResponse, status: number, message: string, done?: () => void): void {
  // The message is always one of ours: nothing from the request is reflected into the page.
  const html = `<!doctype html><meta charset="utf-8"><title>kt sign-in</title><p>${message}</p>\n`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end(html, done);
}

function browserError(error: string, description: string | null): KTError {
  const safe = (s: string) => s.replace(/[^\w .,:;'()/-]/g, '').slice(0, 200);
  const detail = description ? `${safe(error)}: ${safe(description)}` : safe(error);
  const denied = error === 'access_denied';
  return new KTError(`ChatGPT sign-in ${denied ? 'was denied' : 'failed'} in the browser (${detail})`, {
    code: denied ? 'CODEX_LOGIN_DENIED' : 'CODEX_LOGIN_FAILED',
    hint: 'run `kt login codex` to try again',
  });
}
