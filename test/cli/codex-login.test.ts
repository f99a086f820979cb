/**
 * `kt login codex` as a function: captured streams, the fake auth server
 * (via KT_CODEX_ISSUER) and a temp config dir.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { codexLoginCommand, maskAccountId } from '../../source/cli/codex-login.js';
import { DEVICE_TOKEN_PATH } from '../../source/engine/llm/codex/auth-device.js';
import { GATE_TIMEOUT_MS } from '../helpers/until.js';
import { startFakeCodexAuth, type FakeCodexAuthOptions, type FakeCodexAuthServer } from '../fakes/codex-auth-server.js';

let fake: FakeCodexAuthServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function run(fakeOptions: FakeCodexAuthOptions = {}, extraEnv: Record<string, string> = {}, signal?: AbortSignal) {
  fake = await startFakeCodexAuth(fakeOptions);
  const root = mkdtempSync(join(tmpdir(), 'kt-codex-cli-'));
  // CI=1 marks the session headless, so no browser is ever opened.
  const env = { KT_CODEX_ISSUER: fake.issuer, KT_CONFIG_DIR: join(root, 'config'), HOME: join(root, 'home'), CI: '1', PATH: process.env.PATH, ...extraEnv };
  const stdout = capture();
  const stderr = capture();
  const code = await codexLoginCommand({ stdout: stdout.stream, stderr: stderr.stream, env, ...(signal ? { signal } : {}) });
  return { code, stdout: stdout.text(), stderr: stderr.text(), env, server: fake };
}

describe('kt login codex', () => {
  it('prints the device URL and code, signs in, and saves the tokens', async () => {
    const { code, stdout, stderr, env, server } = await run({ pendingPolls: 2, accountId: 'acct-1234567890wxyz' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Open ${server.issuer}/codex/device`);
    expect(stdout).toContain(`Enter the code ${server.userCode}`);
    const file = join(env.KT_CONFIG_DIR, 'codex-auth.json');
    expect(stdout).toContain('Signed in to ChatGPT (account acct…wxyz).');
    expect(stdout).toContain(`Tokens saved to ${file}`);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.account_id).toBe('acct-1234567890wxyz');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    // No secret reaches the terminal.
    expect(stdout).not.toContain(saved.access_token);
    expect(stdout).not.toContain(saved.refresh_token);
    expect(stdout).not.toContain('acct-1234567890wxyz');
  });

  it('a denied sign-in is one `kt:` line and exit 1', async () => {
    const { code, stderr, env } = await run({ deny: true });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual(['kt: ChatGPT sign-in was denied (run `kt login codex` to try again)']);
    expect(existsSync(join(env.KT_CONFIG_DIR, 'codex-auth.json'))).toBe(false);
  });

  it('a malformed KT_CODEX_ISSUER is bad usage: exit 2', async () => {
    const { code, stderr } = await run({}, { KT_CODEX_ISSUER: 'ftp://nope' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^kt: the Codex auth issuer 'ftp:\/\/nope' must be an http\(s\) URL/);
  });

  it('Ctrl+C cancels cleanly with exit 130', async () => {
    const controller = new AbortController();
    const server = (fake = await startFakeCodexAuth({ pendingPolls: Infinity }));
    // Ctrl+C while kt waits for the sign-in: once it has polled for the token.
    void server.waitForRequests(DEVICE_TOKEN_PATH, 1, GATE_TIMEOUT_MS).then(() => controller.abort());
    const root = mkdtempSync(join(tmpdir(), 'kt-codex-cli-'));
    const stdout = capture();
    const stderr = capture();
    const code = await codexLoginCommand({
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: { KT_CODEX_ISSUER: server.issuer, KT_CONFIG_DIR: join(root, 'config'), HOME: root, CI: '1' },
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect(stderr.text()).toBe('kt: ChatGPT sign-in cancelled\n');
    expect(existsSync(join(root, 'config', 'codex-auth.json'))).toBe(false);
  });

  it('masks account ids', () => {
    expect(maskAccountId('acct-1234567890wxyz')).toBe('acct…wxyz');
    expect(maskAccountId('short')).toBe('…rt');
    expect(maskAccountId(undefined)).toBe('unknown');
  });
});
