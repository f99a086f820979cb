/**
 * `kt run` of a creature driven by its config's input module: `stdin_lines`
 * answers each piped line and exits when stdin closes; `webhook` serves
 * until Ctrl+C, which ends the run with exit 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt, ktBin } from './helpers.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function creature(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-io-e2e-'));
  writeFileSync(join(dir, 'config.yaml'), config);
  return dir;
}

/** A port that was free a moment ago (the OS picks it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe('kt run with an input module', () => {
  it('input: stdin_lines answers three piped lines, then exits 0 when stdin closes', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'answer one' }, { text: 'answer two' }, { text: 'answer three' }] });
    const dir = creature('name: liner\ninput: stdin_lines\n');
    const run = await kt(['run', dir, '--llm', 'openai/m', '--no-session'], {
      cwd: dir,
      input: 'first\nsecond\n\nthird\n',
      env: baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL }),
    });
    expect(run.stderr).not.toMatch(/error|warning/i);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['answer one', 'answer two', 'answer three']);
    expect(server.requests.map((r) => r.body?.messages?.at(-1)?.content)).toEqual(['first', 'second', 'third']);
  });

  it('with -p kt is the input: the config\'s webhook never listens, its outputs still run', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'one shot' }] });
    const port = await freePort();
    const dir = creature(`name: bot\ninput:\n  type: webhook\n  port: ${port}\noutput:\n  type: file\n  path: answers.md\n`);
    const run = await kt(['run', dir, '--llm', 'openai/m', '--no-session', '-p', 'hi'], { cwd: dir, env: baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL }) });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('one shot');
    expect(run.stderr).not.toContain('takes input');
    expect(readFileSync(join(dir, 'answers.md'), 'utf8')).toContain('one shot');
  });

  it('input: webhook answers a POST with the turn result and stops on Ctrl+C with exit 0', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'pong from the bot' }] });
    const port = await freePort();
    const dir = creature(`name: bot\ninput:\n  type: webhook\n  port: ${port}\n  path: /ask\n`);
    const child = spawn(process.execPath, [ktBin, 'run', dir, '--llm', 'openai/m', '--no-session'], {
      cwd: dir,
      env: baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // kt says where it listens once the server is up.
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stderr.includes(`bot takes input from POST http://127.0.0.1:${port}/ask`)) resolve();
        };
        child.stderr.on('data', check);
        child.on('exit', (code) => reject(new Error(`kt exited early (${code}): ${stderr}`)));
        check();
      });
      const reply = await fetch(`http://127.0.0.1:${port}/ask`, { method: 'POST', body: JSON.stringify({ input: 'ping' }) });
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({ status: 'completed', text: 'pong from the bot' });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('pong from the bot');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('input: none says so on stderr and runs until Ctrl+C, exit 0', async () => {
    server = await startFakeOpenAI({ script: [] });
    const dir = creature('name: waiter\ninput: none\n');
    const child = spawn(process.execPath, [ktBin, 'run', dir, '--llm', 'openai/m', '--no-session'], {
      cwd: dir,
      env: baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          if (stderr.includes('kt: waiter takes no input; its triggers drive it (Ctrl+C to stop)')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`kt exited early (${code}): ${stderr}`)));
      });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(server.requests).toHaveLength(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
