/**
 * The token file: format, mode 0600, atomic replacement, and the read-only
 * fallback to the Codex CLI's cache.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../source/engine/errors.js';
import {
  codexAuthPath,
  codexCliAuthPath,
  deleteCodexTokens,
  loadCodexTokens,
  saveCodexTokens,
  type CodexTokens,
} from '../../../../source/engine/llm/codex/auth.js';
import { fakeJwt } from '../../../fakes/codex-auth-server.js';
import { tempEnv } from './helpers.js';

const posix = process.platform !== 'win32';
const claims = (accountId: string, exp: number) => ({ exp, 'https://api.openai.com/auth': { chatgpt_account_id: accountId } });

function sample(overrides: Partial<CodexTokens> = {}): CodexTokens {
  return {
    accessToken: fakeJwt(claims('acct-abcdefgh1234', 2_000_000_000)),
    refreshToken: 'rt_sample',
    idToken: fakeJwt(claims('acct-abcdefgh1234', 2_000_000_000)),
    accountId: 'acct-abcdefgh1234',
    expiresAt: 1_999_999_000_000,
    lastRefresh: Date.parse('2025-01-02T03:04:05.000Z'),
    ...overrides,
  };
}

describe('codex token store', () => {
  it('writes <KT_CONFIG_DIR>/codex-auth.json in snake_case with mode 0600, and reads it back', async () => {
    const env = tempEnv();
    const file = await saveCodexTokens(sample(), env);
    expect(file).toBe(join(env.KT_CONFIG_DIR as string, 'codex-auth.json'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      access_token: sample().accessToken,
      refresh_token: 'rt_sample',
      id_token: sample().idToken,
      account_id: 'acct-abcdefgh1234',
      expires_at: 1_999_999_000_000,
      last_refresh: '2025-01-02T03:04:05.000Z',
    });
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await loadCodexTokens(env)).toEqual({ ...sample(), source: 'kt' });
  });

  it('replaces the file atomically: a new inode with mode 0600, no temp files left', async () => {
    const env = tempEnv();
    const file = codexAuthPath(env);
    mkdirSync(env.KT_CONFIG_DIR as string, { recursive: true });
    writeFileSync(file, '{"stale": true}', { mode: 0o644 });
    const before = statSync(file).ino;
    await saveCodexTokens(sample(), env);
    expect(statSync(file).ino).not.toBe(before); // Renamed over, not rewritten in place.
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(env.KT_CONFIG_DIR as string)).toEqual(['codex-auth.json']);
  });

  it('survives concurrent saves: the file is always one whole token set', async () => {
    const env = tempEnv();
    await Promise.all(Array.from({ length: 8 }, (_, i) => saveCodexTokens(sample({ refreshToken: `rt_${i}` }), env)));
    const loaded = await loadCodexTokens(env);
    expect(loaded?.refreshToken).toMatch(/^rt_\d$/);
    expect(readdirSync(env.KT_CONFIG_DIR as string)).toEqual(['codex-auth.json']);
  });

  it("falls back to the Codex CLI's ~/.codex/auth.json, read-only", async () => {
    const env = tempEnv();
    const access = fakeJwt(claims('acct-from-claim', 1_900_000_000));
    const cliFile = codexCliAuthPath(env);
    expect(cliFile).toBe(join(env.HOME as string, '.codex', 'auth.json'));
    mkdirSync(join(env.HOME as string, '.codex'), { recursive: true });
    const text = JSON.stringify({
      OPENAI_API_KEY: null,
      tokens: { id_token: fakeJwt(claims('acct-from-claim', 1_900_000_000)), access_token: access, refresh_token: 'rt_cli', account_id: 'acct-cli' },
      last_refresh: '2025-06-01T00:00:00Z',
    });
    writeFileSync(cliFile, text);
    expect(await loadCodexTokens(env)).toMatchObject({
      accessToken: access,
      refreshToken: 'rt_cli',
      accountId: 'acct-cli',
      expiresAt: 1_900_000_000_000, // From the access token's exp.
      lastRefresh: Date.parse('2025-06-01T00:00:00Z'),
      source: 'codex-cli',
    });
    // kt's own file wins once it exists.
    await saveCodexTokens(sample(), env);
    expect((await loadCodexTokens(env))?.source).toBe('kt');
    expect(readFileSync(cliFile, 'utf8')).toBe(text);
  });

  it('honours CODEX_HOME and ignores a damaged Codex CLI file', async () => {
    const env = tempEnv();
    env.CODEX_HOME = join(env.HOME as string, 'elsewhere');
    expect(codexCliAuthPath(env)).toBe(join(env.HOME as string, 'elsewhere', 'auth.json'));
    mkdirSync(env.CODEX_HOME, { recursive: true });
    writeFileSync(codexCliAuthPath(env), '{not json');
    expect(await loadCodexTokens(env)).toBeUndefined();
  });

  it('reports a damaged kt token file as a ConfigError naming it', async () => {
    const env = tempEnv();
    mkdirSync(env.KT_CONFIG_DIR as string, { recursive: true });
    writeFileSync(codexAuthPath(env), '{"access_token": 1}');
    const error = await loadCodexTokens(env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CODEX_AUTH_INVALID', file: codexAuthPath(env) });
    expect((error as Error).message).toContain('kt login codex');
  });

  it("deletes kt's file only", async () => {
    const env = tempEnv();
    mkdirSync(join(env.HOME as string, '.codex'), { recursive: true });
    writeFileSync(codexCliAuthPath(env), '{}');
    await saveCodexTokens(sample(), env);
    expect(await deleteCodexTokens(env)).toBe(true);
    expect(await deleteCodexTokens(env)).toBe(false);
    expect(readFileSync(codexCliAuthPath(env), 'utf8')).toBe('{}');
  });
});
