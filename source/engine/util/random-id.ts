/**
 * Random bytes for ids (session files, creatures, jobs, tool calls, lock
 * tokens): from the kernel's generator, /dev/urandom, read a pool at a time.
 *
 * Why not node:crypto's randomBytes: loading node:crypto compiles ~17 of
 * Node's internal modules, 6–8 ms on the bench machine, and a one-turn
 * `kt run` needed it for nothing but five ids. /dev/urandom is the same
 * source OpenSSL seeds from; where it cannot be read (Windows, a sandbox
 * without /dev), node:crypto is used after all.
 *
 * Secrets (OAuth state, tokens, passwords) keep using node:crypto directly.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

const POOL_SIZE = 256;
const pool = Buffer.alloc(POOL_SIZE);
/** Bytes of the pool already handed out; a full pool starts used up, so the first call fills it. */
let used = POOL_SIZE;
let kernelSource = process.platform !== 'win32';

function refill(): void {
  if (kernelSource) {
    try {
      const fd = openSync('/dev/urandom', 'r');
      try {
        let filled = 0;
        while (filled < POOL_SIZE) filled += readSync(fd, pool, filled, POOL_SIZE - filled, null);
      } finally {
        closeSync(fd);
      }
      used = 0;
      return;
    } catch {
      kernelSource = false;
    }
  }
  cryptoRandomBytes(POOL_SIZE).copy(pool);
  used = 0;
}

/** `size` random bytes (a fresh Buffer). */
export function randomIdBytes(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let written = 0;
  while (written < size) {
    if (used === POOL_SIZE) refill();
    const take = Math.min(size - written, POOL_SIZE - used);
    pool.copy(out, written, used, used + take);
    used += take;
    written += take;
  }
  return out;
}

/** `size` random bytes as lowercase hex (2 × size characters). */
export function randomHex(size: number): string {
  return randomIdBytes(size).toString('hex');
}

/** `size` random bytes as base64url. */
export function randomBase64url(size: number): string {
  return randomIdBytes(size).toString('base64url');
}
