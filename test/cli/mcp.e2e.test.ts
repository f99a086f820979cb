/**
 * `kt mcp` / `kt config mcp` and MCP servers in `kt run`, as a user runs
 * them: the built binary, a temporary config folder, the real
 * server-everything, and the fake OpenAI server through the OpenAI SDK.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { expectKilled } from '../helpers/processes.js';
import { until } from '../helpers/until.js';
import { everythingScript } from '../engine/mcp/servers.js';
import { assertBuilt, baseEnv, kt, ktBin } from './helpers.js';

const testServerScript = resolve(import.meta.dirname, '../engine/mcp/mcp-test-server.mjs');

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('kt mcp', () => {
  it('adds, lists, shows, tests and deletes catalog entries; kt config mcp is the same command', async () => {
    const env = baseEnv();
    const add = await kt(['mcp', 'add', 'everything', '-e', 'LEVEL=${LOG_LEVEL:-info}', '--', process.execPath, everythingScript, 'stdio'], { env });
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/^Added MCP server everything \(stdio: .*server-everything.* stdio\); check it with kt mcp test everything$/m);
    const file = join(env.KT_CONFIG_DIR!, 'mcp_servers.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('LEVEL: ${LOG_LEVEL:-info}');

    const remote = await kt(['config', 'mcp', 'add', 'remote', '-t', 'http', 'https://mcp.example.test/mcp', '-H', 'Authorization: Bearer ${TOKEN}'], { env });
    expect(remote.code).toBe(0);
    const list = await kt(['config', 'mcp', 'list'], { env });
    expect(list.stdout).toMatch(/^everything\s+stdio\s+.*server-everything\/dist\/index\.js stdio$/m);
    expect(list.stdout).toMatch(/^remote\s+streamable_http\s+https:\/\/mcp\.example\.test\/mcp$/m);
    const shown = JSON.parse((await kt(['mcp', 'show', 'remote', '--json'], { env })).stdout);
    expect(shown).toEqual({ name: 'remote', transport: 'streamable_http', url: 'https://mcp.example.test/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } });

    const again = await kt(['mcp', 'add', 'everything', '--', 'true'], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already in the catalog; use --force/);

    const tested = await kt(['mcp', 'test', 'everything'], { env });
    expect(tested.stdout).toMatch(/^✓ everything: \d+ tools \(\d+ ms\)\n {4}echo, /m);
    expect(tested.code).toBe(0);

    expect((await kt(['mcp', 'delete', 'remote'], { env })).stdout).toBe('Deleted MCP server remote\n');
    const missing = await kt(['mcp', 'show', 'remote'], { env });
    expect(missing.stderr).toMatch(/no MCP server 'remote' in .*mcp_servers\.yaml/);
    expect((await kt(['config', 'path', 'mcp_servers'], { env })).stdout.trim()).toBe(file);
  });

  it('test reports a server that does not start with its stderr, and exits 1', async () => {
    const env = baseEnv();
    await kt(['mcp', 'add', 'broken', '--', process.execPath, '-e', 'console.error("no config at /etc/x.toml"); process.exit(2)'], { env });
    const run = await kt(['mcp', 'test'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ broken: .*\n {4}no config at \/etc\/x\.toml/m);
  });
});

describe('kt mcp login', () => {
  it('prints the sign-in page, catches the redirect, stores the tokens; kt mcp test then connects; logout forgets them', async () => {
    const { startOAuthMcpServer } = await import('../engine/mcp/oauth-server.mjs');
    const secure = await startOAuthMcpServer();
    try {
      const env = baseEnv({ CI: 'true' });
      await kt(['mcp', 'add', 'secure', '-t', 'http', secure.url], { env });
      const before = await kt(['mcp', 'test', 'secure'], { env });
      expect(before.stdout).toMatch(/✗ secure: .*run kt mcp login secure/);

      const child = spawn(process.execPath, [ktBin, 'mcp', 'login', 'secure'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      const page = await until(() => /Open this page to sign in to secure:\n {2}(\S+)/.exec(stderr)?.[1], 'the sign-in page');
      // The person's browser: the demo authorization server signs in at once and redirects to kt.
      expect(await (await fetch(page, { redirect: 'follow' })).text()).toMatch(/Signed in/);
      expect(await exited).toBe(0);
      expect(stdout).toBe('Signed in to MCP server secure (1 tools)\n');
      expect(statSync(join(env.KT_CONFIG_DIR!, 'mcp_oauth', 'secure.json')).mode & 0o777).toBe(0o600);

      expect((await kt(['mcp', 'test', 'secure'], { env })).stdout).toMatch(/^✓ secure: 1 tools/m);
      expect((await kt(['mcp', 'logout', 'secure'], { env })).stdout).toBe('Forgot the sign-in to MCP server secure\n');
      expect((await kt(['mcp', 'test', 'secure'], { env })).code).toBe(1);
    } finally {
      await secure.close();
    }
  });
});

describe('kt run with mcp_servers', () => {
  function creature(mcp: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'kt-mcp-run-'));
    writeFileSync(join(dir, 'config.yaml'), `name: mcp-user\nsystem_prompt: You use MCP tools.\ntools: []\nmcp_servers: ${mcp}\n`);
    return dir;
  }

  it('a creature names a catalog server; the model calls <server>__echo and gets its answer', async () => {
    server = await startFakeOpenAI({ script: [{ toolCalls: [{ id: 'm1', name: 'everything__echo', arguments: { message: 'over stdio' } }] }, { text: 'It echoed.' }] });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, CI: 'true' });
    await kt(['mcp', 'add', 'everything', '--', process.execPath, everythingScript, 'stdio'], { env });
    const dir = creature('[everything]');
    const run = await kt(['run', dir, '--llm', 'openai/m', '--approval-mode', 'yolo', '-p', 'echo please'], { env, cwd: dir });
    expect(run.stdout).toContain('It echoed.');
    expect(run.code).toBe(0);
    const first = server.requests[0]!.body!;
    expect(first.tools?.map((t) => t.function.name)).toContain('everything__echo');
    const second = server.requests[1]!.body!;
    expect(JSON.stringify(second.messages)).toContain('Echo: over stdio');
  });

  it('Ctrl+C while the model thinks: kt exits and the server and what it started are gone', async () => {
    server = await startFakeOpenAI({ script: [{ hang: true }] });
    const dir = creature(`[{name: kt, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(testServerScript)}]}]`);
    const pidFile = join(dir, 'pids');
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, CI: 'true', KT_MCP_PID_FILE: pidFile });
    const child = spawn(process.execPath, [ktBin, 'run', dir, '--llm', 'openai/m', '-p', 'think'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    const exited = new Promise((done) => child.on('exit', done));
    await until(() => server!.requests.length > 0, 'the model to be asked');
    const [serverPid, grandchild] = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    child.kill('SIGINT');
    await exited;
    await expectKilled(serverPid!);
    await expectKilled(grandchild!);
  });
});
