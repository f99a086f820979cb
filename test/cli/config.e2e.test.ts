/**
 * kt login / config / model / doctor, run as a user would: the built binary,
 * a temporary config folder, fake servers on loopback.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt } from './helpers.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('kt login and kt config key', () => {
  it('stores a key from stdin with mode 0600, masks it, and prefers it over the environment', async () => {
    const env = baseEnv({ OPENAI_API_KEY: 'sk-from-env-0000' });
    const login = await kt(['login', 'openai', '--key', '-'], { env, input: 'sk-stored-abcdefgh1234\n' });
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/^Saved the key for openai \(sk-s…1234\) in .*api_keys\.json$/m);
    expect(login.stdout + login.stderr).not.toContain('sk-stored-abcdefgh1234');
    const file = join(env.KT_CONFIG_DIR!, 'api_keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ openai: 'sk-stored-abcdefgh1234' });

    const list = await kt(['config', 'key', 'list', '--json'], { env });
    const rows = JSON.parse(list.stdout) as Array<{ provider: string; source: string; masked?: string; envVar: string }>;
    expect(rows.find((r) => r.provider === 'openai')).toEqual({ provider: 'openai', envVar: 'OPENAI_API_KEY', source: 'stored', masked: 'sk-s…1234' });
    expect(rows.find((r) => r.provider === 'anthropic')).toMatchObject({ source: 'missing' });
    expect(list.stdout).not.toContain('abcdefgh');

    const text = await kt(['config', 'key', 'list'], { env });
    expect(text.stdout).toMatch(/^openai\s+OPENAI_API_KEY\s+stored\s+sk-s…1234$/m);

    const del = await kt(['config', 'key', 'delete', 'openai', '--yes'], { env });
    expect(del.stdout).toBe('Deleted the stored key for openai\n');
    const after = JSON.parse((await kt(['config', 'key', 'list', '--json'], { env })).stdout) as typeof rows;
    expect(after.find((r) => r.provider === 'openai')).toMatchObject({ source: 'env', masked: 'sk-f…0000' });
  });

  it('refuses unknown providers, keyless providers, empty keys and a missing terminal', async () => {
    const env = baseEnv();
    const unknown = await kt(['login', 'antropic', '--key', 'x'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown provider 'antropic' \(did you mean: anthropic\?\)/);
    expect((await kt(['login', 'ollama', '--key', 'x'], { env })).stderr).toMatch(/ollama needs no API key/);
    expect((await kt(['login', 'openai', '--key', '-'], { env, input: '  \n' })).stderr).toMatch(/the key is empty/);
    expect((await kt(['login', 'openai'], { env })).stderr).toMatch(/no terminal to ask for the key/);
    expect((await kt(['config', 'key', 'delete', 'openai'], { env })).stdout).toMatch(/No stored key for openai/);
  });
});

describe('kt model and kt config llm / provider', () => {
  it('lists models with availability, sets and shows the default', async () => {
    const env = baseEnv({ ANTHROPIC_API_KEY: 'sk-ant-x' });
    const list = await kt(['model', 'list', '--all', '--json'], { env });
    const rows = JSON.parse(list.stdout) as Array<{ id: string; available: boolean; isDefault: boolean }>;
    expect(rows.find((r) => r.id === 'anthropic/claude-sonnet-5')).toMatchObject({ available: true, isDefault: true });
    expect(rows.find((r) => r.id === 'openai/gpt-5.5')).toMatchObject({ available: false, isDefault: false });

    expect((await kt(['model', 'default'], { env })).stdout).toBe('anthropic/claude-sonnet-5 (picked from the credentials present)\n');
    const set = await kt(['model', 'default', 'haiku'], { env });
    expect(set).toMatchObject({ code: 0, stdout: 'Default model: anthropic/claude-haiku-4.5\n' });
    expect(readFileSync(join(env.KT_CONFIG_DIR!, 'llm_profiles.yaml'), 'utf8')).toMatch(/default_model: haiku/);
    expect((await kt(['model', 'default'], { env })).stdout).toBe('anthropic/claude-haiku-4.5 (set with kt model default)\n');

    const bad = await kt(['model', 'default', 'claude-sonet-5'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown model 'claude-sonet-5' \(did you mean: claude-sonnet-5/);

    const show = JSON.parse((await kt(['model', 'show', 'sonnet', '--json'], { env })).stdout);
    expect(show).toMatchObject({ id: 'anthropic/claude-sonnet-5', model: 'claude-sonnet-5', variations: { reasoning: ['none', 'low', 'medium', 'high', 'xhigh'] } });
  });

  it('adds a provider and a preset, uses them, and deletes them', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'from the lab' }] });
    const env = baseEnv({ LAB_KEY: 'sk-lab', CI: 'true' });
    const base = server.baseURL;
    expect((await kt(['config', 'provider', 'add', 'lab', '--type', 'openai', '--base-url', base, '--api-key-env', 'LAB_KEY'], { env })).code).toBe(0);
    const add = await kt(['config', 'llm', 'add', 'lab-big', '--provider', 'lab', '--model', 'big-model', '--max-context', '32000', '--alias', 'lb', '--default'], { env });
    expect(add.stdout).toBe('Added lab/lab-big\nDefault model: lab/lab-big\n');

    const providers = JSON.parse((await kt(['config', 'provider', 'list', '--json'], { env })).stdout) as Array<{ name: string; builtin: boolean; available: boolean }>;
    expect(providers.find((p) => p.name === 'lab')).toMatchObject({ builtin: false, available: true });
    const mine = JSON.parse((await kt(['config', 'llm', 'list', '--json'], { env })).stdout) as Array<{ id: string }>;
    expect(mine.map((m) => m.id)).toEqual(['lab/lab-big']);

    const run = await kt(['run', '@kt-biome/creatures/general', '-p', 'hi'], { env, cwd: resolve(env.KT_CONFIG_DIR!) });
    expect(run.stdout.trim()).toBe('from the lab');
    expect(server.requests[0]!.body!.model).toBe('big-model');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-lab');

    const busy = await kt(['config', 'provider', 'delete', 'lab'], { env });
    expect(busy.stderr).toMatch(/presets still use lab: lab\/lab-big/);
    expect((await kt(['config', 'llm', 'delete', 'lb'], { env })).stdout).toBe('Deleted lab/lab-big\n');
    expect((await kt(['config', 'provider', 'delete', 'lab'], { env })).stdout).toBe('Deleted provider lab\n');
    expect((await kt(['config', 'provider', 'delete', 'openai'], { env })).stderr).toMatch(/openai is built in and cannot be deleted/);
    expect((await kt(['config', 'llm', 'delete', 'claude-sonnet-5'], { env })).stderr).toMatch(/built in and cannot be deleted/);
  });

  it('a malformed llm_profiles.yaml is reported with file, line and key', async () => {
    const env = baseEnv();
    writeFileSync(join(env.KT_CONFIG_DIR!, 'llm_profiles.yaml'), 'backends:\n  lab:\n    backend_type: telepathy\n');
    const run = await kt(['model', 'list'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/llm_profiles\.yaml:3 key 'backends\.lab\.backend_type': must be one of "openai", "anthropic"/);
  });

  it('every command answers --help', async () => {
    for (const args of [['login', '--help'], ['model', '--help'], ['config', '--help'], ['doctor', '--help']]) {
      const run = await kt(args, { env: baseEnv() });
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/Usage/);
    }
  });
});

describe('kt doctor', () => {
  it('passes when the model, key, provider, SQLite and MCP servers are fine', async () => {
    server = await startFakeOpenAI();
    const env = baseEnv({ OPENAI_API_KEY: 'sk-doctor-12345678', OPENAI_BASE_URL: server.baseURL });
    const everything = resolve(import.meta.dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    writeFileSync(join(env.KT_CONFIG_DIR!, 'mcp_servers.yaml'), `- name: everything\n  transport: stdio\n  command: ${process.execPath}\n  args: [${everything}, stdio]\n`);
    const run = await kt(['doctor', '--llm', 'gpt-5.4-mini'], { env });
    expect(run.stdout).toMatch(/^✓ Node\.js \d+/m);
    expect(run.stdout).toMatch(/^✓ config folder .* is writable$/m);
    expect(run.stdout).toMatch(/^✓ model openai\/gpt-5\.4-mini \(from --llm\)$/m);
    expect(run.stdout).toMatch(/^✓ key for openai: from OPENAI_API_KEY \(sk-d…5678\)$/m);
    expect(run.stdout).toMatch(/^✓ openai answers \(http:\/\/127\.0\.0\.1:\d+\/v1, \d+ ms\)$/m);
    expect(run.stdout).toMatch(/^✓ SQLite [\d.]+ with sqlite-vec v[\d.]+$/m);
    expect(run.stdout).toMatch(/^✓ MCP server everything starts \(\d+ tools, \d+ ms\)$/m);
    expect(run.stdout).toMatch(/Everything looks fine\./);
    expect(run.code).toBe(0);
    expect(server.requests.some((r) => r.method === 'GET' && r.path === '/v1/models')).toBe(true);
  });

  it('fails with the fix when credentials are missing, the provider is down, or an MCP server cannot start', async () => {
    const env = baseEnv({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    mkdirSync(env.KT_CONFIG_DIR!, { recursive: true });
    writeFileSync(join(env.KT_CONFIG_DIR!, 'mcp_servers.yaml'), 'broken:\n  command: /definitely/not/a/program\n');
    const run = await kt(['doctor', '--json', '--llm', 'openai/gpt-5.4'], { env });
    expect(run.code).toBe(1);
    const checks = JSON.parse(run.stdout) as Array<{ name: string; ok: boolean; detail: string; fix?: string }>;
    expect(checks.find((c) => c.name === 'provider')).toMatchObject({ ok: false, detail: expect.stringMatching(/cannot reach 127\.0\.0\.1:9/) });
    expect(checks.find((c) => c.name === 'mcp:broken')).toMatchObject({ ok: false, fix: expect.stringMatching(/check that '\/definitely\/not\/a\/program' runs/) });

    const none = await kt(['doctor'], { env: baseEnv() });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^✗ no model selected and no credentials found\n {4}fix: run kt login <provider>/m);
  });
});
