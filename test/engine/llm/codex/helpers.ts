/**
 * Shared set-up for the Codex sign-in tests: a private config dir and HOME,
 * a virtual clock for the device-flow polling, and a stand-in browser.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

/** `KT_CONFIG_DIR` and `HOME` in fresh temp dirs, so nothing touches the real ones. */
export function tempEnv(extra: Record<string, string> = {}): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'kt-codex-'));
  return { KT_CONFIG_DIR: join(root, 'config'), HOME: join(root, 'home'), ...extra };
}

/** A clock whose `sleep` advances time instantly and records every wait. */
export function virtualClock(start = Date.now()) {
  let time = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => time,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      waits.push(ms);
      time += ms;
      await Promise.resolve();
    },
    advance: (ms: number) => {
      time += ms;
    },
  };
}

/**
 * What a browser does with the sign-in link: follow the authorize URL to the
 * issuer (the fake redirects at once), then load the loopback callback.
 */
export async function visitInBrowser(authorizeUrl: string): Promise<Response> {
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = authorize.headers.get('location');
  if (authorize.status !== 302 || !location) throw new Error(`authorize answered ${authorize.status}`);
  return fetch(location.replace('//localhost:', '//127.0.0.1:'));
}

/** A promise and its resolver, for values that arrive through callbacks. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Track the timers created from now on. `pending()` lists those that still
 * hold the event loop open (ref'd, neither fired nor cleared). Call
 * `restore()` when done (vi.restoreAllMocks also works).
 */
export function trackTimers() {
  const live = new Set<NodeJS.Timeout>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const set = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = realSet(() => {
      live.delete(handle);
      fn(...args);
    }, ms);
    live.add(handle);
    return handle;
  }) as unknown as typeof setTimeout);
  const clear = vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
    live.delete(handle as NodeJS.Timeout);
    realClear(handle);
  });
  return {
    pending: () => [...live].filter((t) => t.hasRef()),
    created: () => set.mock.calls.length,
    restore: () => {
      set.mockRestore();
      clear.mockRestore();
    },
  };
}
