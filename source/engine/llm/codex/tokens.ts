/**
 * The ChatGPT (Codex) OAuth tokens as kt holds them in memory, and how a
 * token-endpoint reply becomes one.
 */
import { chatgptAccountId, jwtExpiresAt } from './jwt.js';

/** Signed-in ChatGPT credentials. Secrets: never log or print them. */
export interface CodexTokens {
  accessToken: string;
  refreshToken: string;
  idToken?: string;
  /** The ChatGPT account id (`chatgpt-account-id` header of Codex requests). */
  accountId?: string;
  /** When the access token expires, epoch ms; undefined when unknown. */
  expiresAt?: number;
  /** When these tokens were obtained or last refreshed, epoch ms. */
  lastRefresh: number;
  /** Where they were loaded from: kt's own file or the Codex CLI's read-only cache. */
  source?: 'kt' | 'codex-cli';
}

/** Refresh this long before the access token expires, so a request never races the expiry. */
export const REFRESH_MARGIN_MS = 60_000;

/** True when the access token is expired or about to be (unknown expiry counts as valid). */
export function needsRefresh(tokens: CodexTokens, now: number): boolean {
  return tokens.expiresAt !== undefined && tokens.expiresAt - REFRESH_MARGIN_MS <= now;
}

/**
 * Build tokens from an `/oauth/token` reply. `previous` supplies what a
 * refresh reply may leave out: OpenAI does not always rotate the refresh
 * token or resend the id token.
 */
export function tokensFromReply(reply: Record<string, unknown>, now: number, previous?: CodexTokens): CodexTokens | undefined {
  const accessToken = text(reply.access_token);
  const refreshToken = text(reply.refresh_token) ?? previous?.refreshToken;
  if (!accessToken || !refreshToken) return undefined;
  const idToken = text(reply.id_token) ?? previous?.idToken;
  const expiresIn = seconds(reply.expires_in);
  const tokens: CodexTokens = { accessToken, refreshToken, lastRefresh: now };
  if (idToken) tokens.idToken = idToken;
  const accountId = chatgptAccountId(idToken, accessToken) ?? previous?.accountId;
  if (accountId) tokens.accountId = accountId;
  const expiresAt = expiresIn !== undefined ? now + expiresIn * 1000 : jwtExpiresAt(accessToken);
  if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
  return tokens;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** A non-negative number of seconds, given as a number or a numeric string. */
export function seconds(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}
