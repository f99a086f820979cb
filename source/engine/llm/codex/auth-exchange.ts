/**
 * The two grants of `POST {issuer}/oauth/token`: an authorization code for
 * tokens (end of both sign-in flows) and a refresh token for fresh tokens.
 */
import { ProviderError } from '../../errors.js';
import { httpFailure, postForm, replySummary, type AuthReply } from './auth-http.js';
import type { ResolvedAuthOptions } from './auth-options.js';
import { tokensFromReply, type CodexTokens } from './tokens.js';

export const TOKEN_PATH = '/oauth/token';

export interface AuthorizationCode {
  code: string;
  codeVerifier: string;
  /** Must equal the redirect URI the code was issued for. */
  redirectUri: string;
}

/** Trade an authorization code (plus its PKCE verifier) for tokens. */
export async function exchangeCode(options: ResolvedAuthOptions, grant: AuthorizationCode, signal?: AbortSignal): Promise<CodexTokens> {
  const reply = await postForm(
    options,
    TOKEN_PATH,
    {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
      client_id: options.clientId,
      code_verifier: grant.codeVerifier,
    },
    signal,
  );
  if (reply.status !== 200) throw httpFailure(reply, 'ChatGPT sign-in (code exchange)');
  return tokensOrThrow(reply, options.now(), 'ChatGPT sign-in (code exchange)');
}

/**
 * Trade the refresh token for fresh tokens. A rejected refresh token
 * (4xx) is an `auth` error telling the user to sign in again; 5xx and
 * network failures stay retryable.
 */
export async function refreshCodexTokens(options: ResolvedAuthOptions, tokens: CodexTokens, signal?: AbortSignal): Promise<CodexTokens> {
  const reply = await postForm(
    options,
    TOKEN_PATH,
    {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken,
      client_id: options.clientId,
      scope: 'openid profile email',
    },
    signal,
  );
  if (reply.status !== 200) {
    // 4xx (other than rate limiting) means the refresh token itself was refused: only a new sign-in helps.
    const rejected = reply.status >= 400 && reply.status < 500 && reply.status !== 429;
    if (!rejected) throw httpFailure(reply, 'refreshing the ChatGPT sign-in');
    throw new ProviderError(`the ChatGPT sign-in has expired or was revoked: run \`kt login codex\` (${replySummary(reply)})`, {
      provider: 'codex',
      errorClass: 'auth',
      status: reply.status,
    });
  }
  return tokensOrThrow(reply, options.now(), 'refreshing the ChatGPT sign-in', tokens);
}

function tokensOrThrow(reply: AuthReply, now: number, what: string, previous?: CodexTokens): CodexTokens {
  const tokens = reply.body && tokensFromReply(reply.body, now, previous);
  if (!tokens) {
    throw new ProviderError(`${what} failed: POST ${reply.url} → ${reply.status} without an access and refresh token`, {
      provider: 'codex',
      errorClass: 'protocol',
      status: reply.status,
    });
  }
  return tokens;
}
