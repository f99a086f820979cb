/**
 * What the images run, run here without Docker: the built kt with each
 * target's ENTRYPOINT + CMD and ENV (the address moved to loopback, a free
 * port, temp folders for /data), and the HEALTHCHECK script against it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';
import { until } from '../helpers/until.js';
import { assertBuilt, baseEnv, kt, ktBin, repoRoot } from '../cli/helpers.js';
import { envOf, execForm, last, readStages } from './dockerfile.js';

const stages = readStages();
const HEALTHCHECK = join(repoRoot, 'deploy', 'docker', 'healthcheck.mjs');

/** The target's command with the container's paths and address swapped for this machine's. */
function localCommand(target: string, data: string): string[] {
  const cmd = execForm(last(stages, target, 'CMD')!);
  return cmd.map((arg, i) => (cmd[i - 1] === '--host' ? '127.0.0.1' : cmd[i - 1] === '--port' ? '0' : arg.replace(/^\/data/, data)));
}

function imageEnv(target: string, data: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...baseEnv(), ...envOf(stages, target), ...extra };
  for (const [key, value] of Object.entries(env)) env[key] = value.replace(/^\/data/, data);
  return env;
}

function healthcheck(args: string[], env: Record<string, string> = {}) {
  return runProcess(process.execPath, [HEALTHCHECK, ...args], { env: { PATH: process.env.PATH, ...env }, timeoutMs: 20_000 });
}

async function serveAsImage(target: string) {
  assertBuilt();
  const data = mkdtempSync(join(tmpdir(), 'kt-image-data-'));
  const env = imageEnv(target, data, { KT_HOST_TOKEN: 'image-token-0123456789abcdef' });
  const child = spawn(process.execPath, [ktBin, ...localCommand(target, data)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await until(() => /kt studio on (\S+)/.exec(out)?.[1] ?? (child.exitCode !== null ? `exit:${child.exitCode}` : undefined), 'the server to listen');
  if (url.startsWith('exit:')) throw new Error(`kt ${localCommand(target, data).join(' ')} exited: ${err}`);
  return { url, port: new URL(url).port, child, exited, env };
}

describe('the images\' commands, run directly', () => {
  it('aio: serve run answers /healthz with auth on, passes its HEALTHCHECK, and stops cleanly on SIGTERM', async () => {
    const server = await serveAsImage('aio');
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${server.url}/api/sessions`)).status).toBe(401);
    expect(await healthcheck(['http'], { KT_PORT: server.port })).toMatchObject({ code: 0 });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect((await healthcheck(['http'], { KT_PORT: server.port })).code).toBe(1);
  });

  it('host: serve run --mode lab-host, once kt has it', async (ctx) => {
    const help = await kt(['serve', '--help']);
    if (!help.stdout.includes('lab-host')) ctx.skip('kt serve has no --mode lab-host yet (the Laboratory lands separately)');
    // With no NATS to reach the host may refuse to start; that it parses its command is what is checked here.
    const data = mkdtempSync(join(tmpdir(), 'kt-image-data-'));
    const run = await runProcess(process.execPath, [ktBin, ...localCommand('host', data), '--help'], { env: imageEnv('host', data), timeoutMs: 20_000 });
    expect(run.code).toBe(0);
  });

  it('worker: the process check passes while a lab-client runs and fails once it is gone', async () => {
    expect(execForm(last(stages, 'worker', 'HEALTHCHECK')!).slice(2)).toEqual(['process', 'lab-client']);
    // A word of its own: another test on this machine may run a real lab-client meanwhile.
    const word = `lab-client-${process.pid}`;
    const check = ['process', word];
    const stand = spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); setInterval(() => {}, 1000)', word], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => stand.stdout.once('data', resolve));
    expect((await healthcheck(check)).code).toBe(0);
    const gone = new Promise((resolve) => stand.once('exit', resolve));
    stand.kill('SIGKILL');
    await gone;
    expect((await healthcheck(check)).code).toBe(1);
  });
});
