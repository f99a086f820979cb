import { describe, expect, it } from 'vitest';
import { chatgptAccountId, decodeJwtClaims, jwtExpiresAt } from '../../../../source/engine/llm/codex/jwt.js';
import { fakeJwt } from '../../../fakes/codex-auth-server.js';

describe('codex jwt claims', () => {
  const auth = { 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1234' } };

  it('decodes the payload without verifying the signature', () => {
    expect(decodeJwtClaims(fakeJwt({ sub: 'u', exp: 10 }))).toEqual({ sub: 'u', exp: 10 });
  });

  it('reads the account id from the first token that has one', () => {
    expect(chatgptAccountId(fakeJwt({ sub: 'no-claim' }), fakeJwt(auth))).toBe('acct-1234');
    expect(chatgptAccountId(undefined, 'not-a-jwt')).toBeUndefined();
  });

  it('turns exp (seconds) into epoch ms', () => {
    expect(jwtExpiresAt(fakeJwt({ exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    expect(jwtExpiresAt(fakeJwt({ exp: 'soon' }))).toBeUndefined();
  });

  it('tolerates garbage', () => {
    expect(decodeJwtClaims('a.b.c')).toBeUndefined();
    expect(decodeJwtClaims(`x.${Buffer.from('[1]').toString('base64url')}.y`)).toBeUndefined();
    expect(decodeJwtClaims('')).toBeUndefined();
  });
});
