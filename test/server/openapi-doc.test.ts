/**
 * The OpenAPI document is committed (docs/openapi.json) so clients can be
 * generated without running kt. This test keeps it equal to what the server
 * serves; after changing a route, refresh it with
 * `KT_UPDATE_OPENAPI=1 npx vitest run test/server/openapi-doc.test.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startHarness, type Harness } from './harness.js';

const committed = join(import.meta.dirname, '../../docs/openapi.json');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ script: [] });
});
afterAll(async () => h?.close());

describe('docs/openapi.json', () => {
  it('is the document the server serves', async () => {
    const served = `${JSON.stringify((await api(h, 'GET', '/openapi.json')).json, null, 2)}\n`;
    if (process.env.KT_UPDATE_OPENAPI === '1' || !existsSync(committed)) writeFileSync(committed, served);
    expect(readFileSync(committed, 'utf8')).toBe(served);
  });
});
