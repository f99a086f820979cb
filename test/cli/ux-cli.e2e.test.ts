/**
 * The built `kt` as daily users meet it: flags and help that say what is
 * wrong, `kt` alone starting the default creature, JSON output a script can
 * resume from, SDK warnings shown once, error class names kept by the bundler.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropicServer } from '../fakes/anthropic-server.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt, repoRoot } from './helpers.js';

let server: FakeOpenAIServer | FakeAnthropicServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const project = () => mkdtempSync(join(tmpdir(), 'kt-ux-'));
const openaiEnv = (s: FakeOpenAIServer, extra: Record<string, string> = {}) => baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: s.baseURL, CI: 'true', ...extra });

describe('help and errors', () => {
  it('an unknown flag is named with the nearest known one (exit 2)', async () => {
    const run = await kt(['run', '@kt-biome/creatures/swe', '--bogus-flag'], { env: baseEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('kt: unknown flag --bogus-flag (see kt run --help)\n');
    const typo = await kt(['run', '@kt-biome/creatures/swe', '--verbos'], { env: baseEnv() });
    expect(typo.stderr).toBe('kt: unknown flag --verbos; did you mean --verbose? (see kt run --help)\n');
    expect((await kt(['sessions', '--jsno'], { env: baseEnv() })).stderr).toMatch(/unknown flag --jsno; did you mean --json\?/);
  });

  it('kt run --help says the app opens at a terminal; -h works too', async () => {
    for (const flag of ['--help', '-h']) {
      const run = await kt(['run', flag], { env: baseEnv() });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/at a terminal the\s+app opens/);
      expect(run.stdout).not.toMatch(/one prompt per line/);
    }
  });

  it('kt config --help has the sections every other help has', async () => {
    const run = await kt(['config', '--help'], { env: baseEnv() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage\n {2}\$ kt config <section>/m);
    expect(run.stdout).toMatch(/^Sections\n {2}key list\|set\|delete/m);
    expect(run.stdout).toMatch(/^Options\n {2}--json/m);
    expect(run.stdout).toMatch(/^Examples\n {2}\$ kt config/m);
  });

  it('kt model list: every column has a header', async () => {
    const run = await kt(['model', 'list'], { env: baseEnv({ OPENAI_API_KEY: 'sk-test' }) });
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'MODEL', 'CONTEXT', 'ALIASES', 'SOURCE', 'STATUS']);
    expect(rows.find((r) => r.startsWith('openai/gpt-5.4 '))).toMatch(/ 400k +\S+ +built-in +ready/);
    expect(rows.find((r) => r.startsWith('anthropic/'))).toMatch(/no key$/);
  });

  it('error classes keep their names in the bundles (ConfigError, not _ConfigError)', async () => {
    const library = (await import(pathToFileURL(join(repoRoot, 'dist', 'index.js')).href)) as Record<string, new (message: string) => Error>;
    for (const name of ['KTError', 'ConfigError', 'UsageError', 'SessionError', 'ToolError']) {
      expect(new library[name]!('x').name).toBe(name);
    }
    // The CLI bundle: a failed turn's error in the JSON result.
    server = await startFakeOpenAI({ script: [{ error: { status: 400, message: 'bad request' } }] });
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'hi', '--output-format', 'json', '--no-session'], { cwd: project(), env: openaiEnv(server) });
    expect(JSON.parse(run.stdout).error.name).toBe('ProviderError');
  });
});

describe('kt alone', () => {
  it('runs the default creature, and the default_creature setting changes it', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'from the default creature' }, { text: 'from general' }] });
    const env = openaiEnv(server);
    const dir = project();
    const run = await kt(['--llm', 'openai/m'], { cwd: dir, env, input: 'hello\n' });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('from the default creature');
    const firstSystem = (server.requests[0]!.body!.messages as Array<{ role: string; content: string }>)[0]!;

    expect((await kt(['config', 'set', 'default_creature', '@kt-biome/creatures/general'], { env })).code).toBe(0);
    expect((await kt(['config', 'get', 'default_creature'], { env })).stdout).toBe('@kt-biome/creatures/general\n');
    const second = await kt(['--llm', 'openai/m', '--output-format', 'json'], { cwd: dir, env, input: 'hello\n' });
    expect(JSON.parse(second.stdout).sessionName).toMatch(/^general_/);
    const secondSystem = (server.requests[1]!.body!.messages as Array<{ role: string; content: string }>)[0]!;
    expect(secondSystem.content).not.toBe(firstSystem.content);

    const bad = await kt(['config', 'set', 'default_creatur', 'x'], { env });
    expect(bad).toMatchObject({ code: 2, stderr: "kt: unknown setting 'default_creatur'; known: default_creature\n" });
    expect((await kt(['--help'], { env })).stdout).toMatch(/^ {2}\$ kt {2,}Start the default creature/m);
  });
});

describe('scripted output', () => {
  it('stream-json ends with the result line; results name the session so kt resume can be scripted', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'one' }, { text: 'two' }] });
    const env = openaiEnv(server);
    const dir = project();
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--output-format', 'stream-json', '-p', 'hi'], { cwd: dir, env });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.type === 'creature.stop')).toBe(true);
    const last = lines.at(-1)!;
    expect(last).toMatchObject({ type: 'result', text: 'one' });
    expect(last.sessionPath).toMatch(new RegExp(`${String(last.sessionName)}\\.kohakutr$`));

    const resumed = await kt(['resume', String(last.sessionName), '-p', 'again', '--output-format', 'json'], { cwd: dir, env });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ text: 'two', sessionName: last.sessionName, sessionPath: last.sessionPath });
  });
});

describe('SDK warnings', () => {
  it("the Anthropic SDK's deprecation warning shows once, as a kt warning, over two turns", async () => {
    server = await startFakeAnthropic({ script: [{ text: 'first' }, { text: 'second' }, { text: 'third' }] });
    const env = baseEnv({ ANTHROPIC_API_KEY: 'sk-ant-test', CI: 'true' });
    const profiles = `backends:\n  fakeant:\n    backend_type: anthropic\n    base_url: ${server.baseURL}\n    api_key_env: ANTHROPIC_API_KEY\n`;
    writeFileSync(join(env.KT_CONFIG_DIR!, 'llm_profiles.yaml'), profiles);
    const input = ['one', 'two'].map((text) => JSON.stringify({ content: text })).join('\n');
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'fakeant/claude-sonnet-4-5', '--input-format', 'stream-json', '--output-format', 'stream-json', '--no-session'], {
      cwd: project(),
      env,
      input,
    });
    expect(run.code).toBe(0);
    const warnings = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; code?: string; message?: string })
      .filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'SDK_WARNING', message: expect.stringMatching(/The model 'claude-sonnet-4-5' is deprecated/) });
    // Nothing raw on stderr; in text mode the warning is one `kt: warning:` line.
    expect(run.stderr).not.toMatch(/deprecated/);
    const text = await kt(['run', '@kt-biome/creatures/general', '--llm', 'fakeant/claude-sonnet-4-5', '--no-session', '-p', 'three'], { cwd: project(), env });
    expect(text.stdout.trim()).toBe('third');
    expect(text.stderr.match(/deprecated/g)).toHaveLength(1);
    expect(text.stderr).toMatch(/^kt: warning: The model 'claude-sonnet-4-5' is deprecated/m);
  });
});
