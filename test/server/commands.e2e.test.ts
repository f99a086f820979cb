/**
 * The server commands through the built kt: accounts and token (kt admin),
 * the background server's lifecycle (kt serve start/status/logs/stop), and
 * the refusal to listen beyond loopback with auth off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv, kt } from '../cli/helpers.js';

const env = baseEnv();
afterAll(async () => {
  await kt(['serve', 'stop'], { env }); // never leave a daemon behind
});

describe('kt admin', () => {
  it('adds, lists, resets and removes users; passwords stored as argon2id', async () => {
    expect(await kt(['admin', 'user', 'add', 'alice', '--role', 'admin', '--password-stdin'], { env, input: 'alice-password\n' })).toMatchObject({ code: 0, stdout: 'Added admin alice\n' });
    expect((await kt(['admin', 'user', 'add', 'bob', '--password-stdin'], { env, input: 'short\n' })).stderr).toMatch(/at least 8/);
    const list = await kt(['admin', 'user', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout).map((u: { name: string; role: string }) => `${u.name}:${u.role}`)).toEqual(['alice:admin']);
    expect(await kt(['admin', 'user', 'reset-password', 'alice', '--password-stdin'], { env, input: 'another-password\n' })).toMatchObject({ code: 0 });
    const file = readFileSync(join(env.KT_CONFIG_DIR as string, 'server', 'auth.json'), 'utf8');
    expect(file).toContain('$argon2id$');
    expect(file).not.toContain('password');
    expect((await kt(['admin', 'user', 'remove', 'nobody'], { env })).code).not.toBe(0);
    expect(await kt(['admin', 'user', 'remove', 'alice'], { env })).toMatchObject({ code: 0 });
  });

  it('rotates the host token', async () => {
    const first = await kt(['admin', 'token', 'rotate'], { env });
    const second = await kt(['admin', 'token', 'rotate'], { env });
    expect(first.stdout.trim()).toMatch(/^[\w-]{40,}$/);
    expect(second.stdout.trim()).not.toBe(first.stdout.trim());
    expect(readFileSync(join(env.KT_CONFIG_DIR as string, 'server', 'host-token'), 'utf8').trim()).toBe(second.stdout.trim());
  });
});

describe('kt serve', () => {
  it('starts in the background with a token, reports status and logs, and stops', async () => {
    const token = (await kt(['admin', 'token', 'rotate'], { env })).stdout.trim();
    const started = await kt(['serve', 'start', '--port', '0', '--token'], { env, timeoutMs: 60_000 });
    expect(started.stderr).toBe('');
    const url = started.stdout.match(/on (http:\/\/\S+)/)?.[1] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await kt(['serve', 'start', '--port', '0'], { env })).stderr).toMatch(/already running/);
    expect(await kt(['serve', 'status'], { env })).toMatchObject({ code: 0, stdout: expect.stringContaining(`running`) });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/api/sessions`)).status).toBe(401);
    expect((await fetch(`${url}/api/sessions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const logs = await kt(['serve', 'logs', '-n', '200'], { env });
    const lines = logs.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === 'listening' && l.url === url)).toBe(true);
    expect(lines.some((l) => l.msg === 'request' && l.reqId && l.path === '/api/sessions' && l.status === 401)).toBe(true);
    expect(logs.stdout).not.toContain(token);
    expect(await kt(['serve', 'stop'], { env })).toMatchObject({ code: 0, stdout: expect.stringContaining('stopped') });
    expect(await kt(['serve', 'status'], { env })).toMatchObject({ code: 3, stdout: 'kt serve: not running\n' });
  });

  it('refuses a non-loopback address with auth off unless --insecure', async () => {
    const run = await kt(['serve', 'run', '--host', '0.0.0.0', '--port', '0'], { env });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--insecure/);
  });

  it('lists the server commands in kt --help', async () => {
    const help = await kt(['--help'], { env });
    for (const name of ['web', 'app', 'serve', 'admin']) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect((await kt(['web', '--help'], { env })).stdout).toContain('--no-open');
  });
});
