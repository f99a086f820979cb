/**
 * The ChatGPT-subscription path end to end with the built binary: `kt login
 * codex` against a fake OpenAI auth server (device code), then a run on a
 * codex model against a fake Codex Responses backend using those tokens.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCodexAuth } from '../fakes/codex-auth-server.js';
import { startFakeResponses } from '../fakes/responses-server.js';
import { assertBuilt, baseEnv, kt } from './helpers.js';

const closers: Array<() => Promise<void>> = [];
beforeAll(() => assertBuilt());
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('kt login codex, then a codex model', () => {
  it('signs in with the device code and runs on the subscription backend', async () => {
    const auth = await startFakeCodexAuth({ pendingPolls: 1, accountId: 'acct-1234567890' });
    closers.push(() => auth.close());
    const backend = await startFakeResponses({ script: [{ text: 'hello from codex' }] });
    closers.push(() => backend.close());
    const env = baseEnv({ KT_CODEX_ISSUER: auth.issuer, KT_CODEX_BASE_URL: backend.codexBaseURL, CI: '1' });

    const login = await kt(['login', 'codex'], { env, timeoutMs: 30_000 });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(auth.userCode);
    expect(login.stdout).toMatch(/Signed in to ChatGPT/);
    const tokens = join(env.KT_CONFIG_DIR!, 'codex-auth.json');
    expect(existsSync(tokens)).toBe(true);
    expect(statSync(tokens).mode & 0o777).toBe(0o600);

    const models = JSON.parse((await kt(['model', 'list', '--all', '--json'], { env })).stdout) as Array<{ id: string; available: boolean; isDefault: boolean }>;
    expect(models.find((m) => m.id === 'codex/gpt-5.5')).toMatchObject({ available: true, isDefault: true });

    const run = await kt(['run', '@kt-biome/creatures/general', '-p', 'hi'], { env, cwd: env.KT_CONFIG_DIR! });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('hello from codex');
    const request = backend.requests.at(-1)!;
    expect(request.path).toBe('/backend-api/codex/responses');
    expect(request.headers['chatgpt-account-id']).toBe('acct-1234567890');
    expect(String(request.headers.authorization)).toMatch(/^Bearer \S+/);
    expect(request.headers.originator).toBe('kohakuterrarium');
    expect(request.body).toMatchObject({ model: 'gpt-5.5', store: false, stream: true });

    const doctor = await kt(['doctor'], { env });
    expect(doctor.stdout).toMatch(/^✓ model codex\/gpt-5\.5 \(picked from your credentials\)$/m);
    expect(doctor.stdout).toMatch(/^✓ ChatGPT sign-in is valid \(account acct…7890\)$/m);
  });
});
