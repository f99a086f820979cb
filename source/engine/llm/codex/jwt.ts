/**
 * Reading the claims of the JWTs OpenAI's auth server issues (id token and
 * access token), to learn the ChatGPT account id and when a token expires.
 *
 * The signature is deliberately not verified. The tokens reach us straight
 * from the issuer over TLS (or from our own 0600 token file), we only read
 * them to address and schedule our own requests, and every server that
 * accepts them verifies the signature itself. A forged token would only
 * mislead the client that forged it; verifying would add a JWKS fetch and
 * key rotation handling for no security gain.
 */
import { isRecord } from '../../util/records.js';

/** The claim namespace OpenAI puts its account details under. */
export const OPENAI_AUTH_CLAIM = 'https://api.openai.com/auth';

/** The payload of a JWT as a plain object, or undefined when `token` is not JWT-shaped. */
export function decodeJwtClaims(token: string | undefined): Record<string, unknown> | undefined {
  if (!token) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `chatgpt_account_id` from the OpenAI auth claim of the first token that carries one. */
export function chatgptAccountId(...tokens: Array<string | undefined>): string | undefined {
  for (const token of tokens) {
    const auth = decodeJwtClaims(token)?.[OPENAI_AUTH_CLAIM];
    const id = isRecord(auth) ? auth.chatgpt_account_id : undefined;
    if (typeof id === 'string' && id) return id;
  }
  return undefined;
}

/** The token's `exp` claim as epoch milliseconds, or undefined when absent. */
export function jwtExpiresAt(token: string | undefined): number | undefined {
  const exp = decodeJwtClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}
