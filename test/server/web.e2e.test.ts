/**
 * `kt web` and `kt app` through the built kt: the printed one-time link signs
 * a browser in once; `kt app` asks a Chromium-family browser for an --app
 * window (a stand-in `chromium` on PATH records how it was called); Ctrl-C
 * stops the server cleanly.
 */
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitForFile } from '../helpers/processes.js';
import { tempTree } from '../helpers/temp-tree.js';
import { until } from '../helpers/until.js';
import { assertBuilt, baseEnv, ktBin } from '../cli/helpers.js';

function startKt(args: string[], env: Record<string, string>) {
  assertBuilt();
  const child = spawn(process.execPath, [ktBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('kt web', () => {
  it('prints a one-time sign-in link with auth on, and stops on SIGINT', async () => {
    const env = { ...baseEnv(), KT_HOST_TOKEN: 'web-token-0123456789abcdef' };
    const run = startKt(['web', '--port', '0', '--no-open'], env);
    const link = await until(() => /Sign in once with: (\S+)/.exec(run.out())?.[1], `the sign-in link (stderr: ${run.err()})`);
    const url = /kt studio on (\S+)/.exec(run.out())![1]!;
    expect((await fetch(`${url}/api/sessions`)).status).toBe(401);
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await fetch(`${url}/api/sessions`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });
});

describe('kt app', () => {
  it('opens the dashboard in an app-style window when a Chromium-family browser is installed', async () => {
    const bin = tempTree();
    const record = join(bin, 'called-with');
    writeFileSync(join(bin, 'chromium'), `#!/bin/sh\necho "$@" > '${record}'\n`);
    chmodSync(join(bin, 'chromium'), 0o755);
    const env = baseEnv();
    env.PATH = `${bin}:${env.PATH}`;
    const run = startKt(['app', '--port', '0'], env);
    const args = await waitForFile(record);
    const url = /kt studio on (\S+)/.exec(run.out())![1]!;
    expect(args).toBe(`--app=${url}`);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
