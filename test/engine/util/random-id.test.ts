import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('node:fs');
  vi.resetModules();
});

describe('random ids', () => {
  it('gives the asked number of bytes, in hex and base64url, across pool refills', async () => {
    const { randomBase64url, randomHex, randomIdBytes } = await import('../../../source/engine/util/random-id.js');
    expect(randomHex(4)).toMatch(/^[0-9a-f]{8}$/);
    expect(randomBase64url(12)).toMatch(/^[\w-]{16}$/);
    // Larger than the pool: filled from several reads.
    expect(randomIdBytes(700)).toHaveLength(700);
    const ids = new Set(Array.from({ length: 2000 }, () => randomHex(8)));
    expect(ids.size).toBe(2000);
  });

  it('falls back to node:crypto where /dev/urandom cannot be opened', async () => {
    const opened: string[] = [];
    vi.doMock('node:fs', async (original) => {
      const fs = await original<typeof import('node:fs')>();
      return {
        ...fs,
        openSync: (path: string) => {
          opened.push(path);
          throw Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' });
        },
      };
    });
    const { randomHex } = await import('../../../source/engine/util/random-id.js');
    const ids = new Set(Array.from({ length: 300 }, () => randomHex(8)));
    expect(ids.size).toBe(300);
    // Tried once (on non-Windows), then never again.
    expect(opened.length).toBeLessThanOrEqual(1);
  });
});
