/**
 * PKCE (RFC 7636) and the `state` parameter of the browser flow. The Codex
 * client is public (no secret), so PKCE is what binds the authorization
 * code to this process: only the holder of the verifier can redeem it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Pkce {
  /** Kept secret until the code exchange. */
  verifier: string;
  /** `BASE64URL(SHA256(verifier))`, sent in the authorize URL. */
  challenge: string;
}

/** A fresh verifier (64 random bytes → 86 base64url characters, within RFC 7636's 43–128) and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** An unguessable `state` value tying the callback to this sign-in (CSRF protection). */
export function randomState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison of two secrets. Both sides are hashed first so
 * the comparison runs on equal lengths and leaks neither content nor length.
 */
export function sameSecret(expected: string, actual: string | null | undefined): boolean {
  if (typeof actual !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(actual).digest();
  return timingSafeEqual(a, b);
}
