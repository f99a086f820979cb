/** The server hands out the built dashboard: its files, the page for any view path, and a 404 (not a 500) for a missing asset. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  const web = mkdtempSync(join(tmpdir(), 'kt-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>kt</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  h = await startHarness({ server: { webDir: web } });
});
afterAll(async () => h?.close());

describe('dashboard files', () => {
  it('serves the page, its assets, the page again for any view path, and 404 for a missing file', async () => {
    const get = (path: string) => fetch(`${h.url}${path}`);
    expect(await (await get('/')).text()).toContain('<title>kt</title>');
    expect(await (await get('/assets/app.js')).text()).toBe('console.log(1)');
    expect(await (await get('/sessions/some-view')).text()).toContain('<title>kt</title>');
    expect((await get('/favicon.ico')).status).toBe(404);
    expect((await get('/assets/missing.js')).status).toBe(404);
    // The API is not shadowed by the page.
    expect((await get('/healthz')).headers.get('content-type')).toMatch(/json/);
  });
});
