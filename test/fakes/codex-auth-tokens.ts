/**
 * JWT-shaped tokens for the fake Codex auth server: a real header and
 * payload, base64url-encoded, with a placeholder signature (clients do not
 * verify it). They carry what kt reads: the account-id claim and `exp`.
 */

const AUTH_CLAIM = 'https://api.openai.com/auth';
let serial = 0;

/** An unsigned JWT with the given claims. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'fake' })}.${part(claims)}.${Buffer.from('fake-signature').toString('base64url')}`;
}

export interface FakeTokenSet {
  access_token: string;
  refresh_token: string;
  id_token: string;
  /** Seconds until the access token's `exp`. */
  expires_in: number;
}

/** A fresh token set for `accountId`, expiring `expiresIn` seconds from `nowMs`. */
export function mintTokenSet(options: { issuer: string; clientId: string; accountId: string; expiresIn: number; nowMs?: number }): FakeTokenSet {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const exp = iat + options.expiresIn;
  const n = ++serial;
  const auth = { chatgpt_account_id: options.accountId, chatgpt_plan_type: 'plus' };
  return {
    access_token: fakeJwt({ iss: options.issuer, aud: ['https://api.openai.com/v1'], sub: 'user-fake', iat, exp, jti: `at-${n}`, [AUTH_CLAIM]: auth }),
    id_token: fakeJwt({ iss: options.issuer, aud: options.clientId, sub: 'user-fake', email: 'fake@example.com', iat, exp, [AUTH_CLAIM]: auth }),
    refresh_token: `rt_fake_${n}_${Math.random().toString(36).slice(2)}`,
    expires_in: options.expiresIn,
  };
}
