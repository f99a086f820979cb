/**
 * The published package, as a user gets it: `npm pack` the repo, install the
 * tarball globally and as a library dependency, and run both. npm resolves
 * every dependency from a fake registry on 127.0.0.1 (metadata from
 * package-lock.json, tarballs from the local npm cache) into a fresh cache,
 * so nothing reaches beyond loopback and everything installed provably came
 * through it. Proxy variables point at a closed loopback port, so a stray
 * request to anywhere else fails instead of leaving the machine.
 *
 * Both installs pass `--ignore-scripts`: npm would otherwise run
 * better-sqlite3's implicit `node-gyp rebuild` (a no-op with its prebuilds,
 * but node-gyp still needs Python and Node's headers, which it downloads from
 * nodejs.org). Nothing of ours needs it; the library check opens a
 * better-sqlite3 database to show the native dependency works without it.
 * The Gemini SDK is bundled, so its protobufjs (an install script npm would
 * warn about in every application) is never installed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNpmRegistry, type FakeNpmRegistry, type LockEntry, type RegistryRequest } from '../fakes/npm-registry.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { runProcess, type ProcessRun } from '../helpers/run-process.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
};

function explain(r: ProcessRun): string {
  return `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

/** The npm running this test (`npm test` / `npx`), else the one on PATH; always under this Node. */
function npmCommand(): [string, string[]] {
  const execpath = process.env.npm_execpath;
  if (execpath && /npm-cli\.[cm]?js$/.test(execpath) && existsSync(execpath)) return [process.execPath, [execpath]];
  return ['npm', []];
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Every `name@version` installed under a node_modules folder, nested ones too. */
function installedPackages(nodeModules: string, out = new Set<string>()): Set<string> {
  if (!existsSync(nodeModules)) return out;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((d) => join(nodeModules, entry, d)) : [join(nodeModules, entry)];
    for (const dir of dirs) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
      out.add(`${name}@${version}`);
      installedPackages(join(dir, 'node_modules'), out);
    }
  }
  return out;
}

const tarballsServed = (requests: RegistryRequest[]) =>
  new Set(requests.filter((r) => r.kind === 'tarball' && r.status === 200).map((r) => `${r.name}@${r.version}`));

let work = '';
let tarball = '';
/** Paths inside the tarball, as `npm pack --json` lists them. */
let packedFiles = new Set<string>();
let registry: FakeNpmRegistry | undefined;
let openai: FakeOpenAIServer | undefined;
/** Shared by both installs: it starts empty, so all it ever holds came from the fake registry. */
let npmCache = '';
let npmEnv: Record<string, string> = {};
/** Names npm may ask for and be told 404: optional peer dependencies that nothing installs. */
let optionalPeers = new Set<string>();
const timings: Record<string, number> = {};
const fileStarted = performance.now();

const nodePath = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`;

function npm(args: string[], cwd: string, timeoutMs: number): Promise<ProcessRun> {
  const [command, prefix] = npmCommand();
  return runProcess(command, [...prefix, ...args], { cwd, env: npmEnv, timeoutMs });
}

/** What the registry saw during `body`: only metadata and tarballs, all found but optional peers. */
async function expectRegistryOnly<T>(body: () => Promise<T>): Promise<{ result: T; requests: RegistryRequest[] }> {
  const from = registry!.requests.length;
  const result = await body();
  const requests = registry!.requests.slice(from);
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((r) => r.kind === 'other')).toEqual([]);
  const failed = requests.filter((r) => r.status !== 200);
  expect(failed.filter((r) => r.kind !== 'packument' || !optionalPeers.has(r.name!))).toEqual([]);
  const count = (kind: string) => requests.filter((r) => r.kind === kind && r.status === 200).length;
  console.log(`fake registry: ${count('packument')} packuments, ${count('tarball')} tarballs, ${failed.length} 404s for optional peers`);
  return { result, requests };
}

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'kt.js'))) throw new Error('dist/kt.js is missing: run `npm run build` first (npm test does it)');
  work = realpathSync(mkdtempSync(join(tmpdir(), 'kt-pack-')));
  npmCache = join(work, 'npm-cache');
  const userrc = join(work, 'npmrc');
  const globalrc = join(work, 'global-npmrc');
  writeFileSync(userrc, '');
  writeFileSync(globalrc, '');
  const dead = `http://127.0.0.1:${await closedPort()}`;

  // Where the real cache is: the registry reads tarballs from it, nothing writes to it.
  const [command, prefix] = npmCommand();
  const cacheQuery = await runProcess(command, [...prefix, 'config', 'get', 'cache'], {
    cwd: repoRoot,
    env: { ...(process.env as Record<string, string>), PATH: nodePath },
    timeoutMs: 30_000,
  });
  expect(cacheQuery.code, explain(cacheQuery)).toBe(0);
  const sourceCache = cacheQuery.stdout.trim();

  const lockfile = join(repoRoot, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, LockEntry> };
  for (const entry of Object.values(lock.packages)) {
    for (const [name, meta] of Object.entries(entry.peerDependenciesMeta ?? {})) if (meta.optional) optionalPeers.add(name);
  }
  registry = await startFakeNpmRegistry({ lockfile, cacheDir: sourceCache });

  // A clean npm: no user or global npmrc, no inherited npm_config_*, the fake registry, a fresh cache.
  npmEnv = {
    PATH: nodePath,
    HOME: mkdtempSync(join(work, 'home-')),
    LANG: 'C.UTF-8',
    npm_config_userconfig: userrc,
    npm_config_globalconfig: globalrc,
    npm_config_cache: npmCache,
    npm_config_registry: registry.url,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_progress: 'false',
    npm_config_loglevel: 'warn',
    HTTP_PROXY: dead,
    HTTPS_PROXY: dead,
    http_proxy: dead,
    https_proxy: dead,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };

  const packed = await runProcess(command, [...prefix, 'pack', '--json', '--pack-destination', work], {
    cwd: repoRoot,
    env: { ...npmEnv, npm_config_cache: join(work, 'pack-cache') },
    timeoutMs: 60_000,
  });
  expect(packed.code, explain(packed)).toBe(0);
  timings.pack = packed.ms;
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info!.filename);
  packedFiles = new Set(info!.files.map((f) => f.path));
  expect(existsSync(tarball)).toBe(true);
}, 90_000);

afterAll(async () => {
  await openai?.close();
  await registry?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  timings.file = Math.round(performance.now() - fileStarted);
  console.log(`pack-install timings (ms): ${JSON.stringify(timings)}`);
});

describe('npm pack', () => {
  it('ships the built CLI, the library entries, their types and the creature pack, and nothing else', () => {
    const files = packedFiles;
    expect(basename(tarball)).toBe(`${pkg.name}-${pkg.version}.tgz`);

    for (const path of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/kt.js',
      'dist/index.js',
      'dist/testing.js',
      'dist/types/source/index.d.ts',
      'dist/types/source/testing/index.d.ts',
      // testing/index.d.ts re-exports the fake OpenAI server's declarations from here.
      'dist/types/test/fakes/openai-server.d.ts',
      'source/builtins/kt-biome/kohaku.yaml',
      'source/builtins/kt-biome/creatures/swe/config.yaml',
      'source/builtins/kt-biome/creatures/general/config.yaml',
    ]) {
      expect(files, `the tarball lacks ${path}`).toContain(path);
    }

    // Every entry point package.json names is in the tarball.
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin)];
    for (const value of Object.values(pkg.exports)) targets.push(...(typeof value === 'string' ? [value] : Object.values(value)));
    for (const target of targets) expect(files, `package.json points at ${target}, which is not packed`).toContain(target.replace(/^\.\//, ''));

    const unwanted = [...files].filter(
      (f) =>
        f.startsWith('test/') ||
        f.startsWith('scripts/') ||
        f.startsWith('bench/') ||
        (f.startsWith('source/') && !f.startsWith('source/builtins/kt-biome/')) ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
        f.endsWith('.tsx') ||
        f.endsWith('.map') ||
        f === 'dist/cli-meta.json' ||
        f.startsWith('node_modules/'),
    );
    expect(unwanted).toEqual([]);
  });
});

describe('the packed tarball, installed from a loopback registry', () => {
  it('installs globally with npm i -g and runs kt with the bundled creatures', async () => {
    const prefix = join(work, 'global');
    const { result: install, requests } = await expectRegistryOnly(() =>
      npm(['install', '--global', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', '--registry', registry!.url, '--cache', npmCache, tarball], work, 240_000),
    );
    timings.globalInstall = install.ms;
    expect(install.code, explain(install)).toBe(0);

    // Every package installed came through the fake registry.
    const installed = installedPackages(join(prefix, 'lib', 'node_modules', pkg.name, 'node_modules'));
    expect(installed.size).toBeGreaterThan(100);
    const served = tarballsServed(requests);
    expect([...installed].filter((p) => !served.has(p))).toEqual([]);

    const kt = join(prefix, 'bin', 'kt');
    expect(existsSync(kt)).toBe(true);
    const home = mkdtempSync(join(work, 'kt-home-'));
    const ktEnv = (extra: Record<string, string> = {}) => ({
      PATH: nodePath,
      HOME: home,
      KT_CONFIG_DIR: join(home, 'kt-config'),
      LANG: 'C.UTF-8',
      CI: 'true',
      ...extra,
    });

    const version = await runProcess(kt, ['--version'], { cwd: work, env: ktEnv(), timeoutMs: 20_000 });
    expect(version.code, explain(version)).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);

    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'notes.txt'), 'packaged hello from the tarball\n');
    openai = await startFakeOpenAI({
      script: [
        { text: 'Reading the notes.', toolCalls: [{ id: 'read1', name: 'read', arguments: { path: 'notes.txt' } }] },
        { text: 'The notes say: packaged hello.' },
      ],
    });
    const answered = await runProcess(kt, ['run', '@kt-biome/creatures/swe', '--llm', 'openai/test-model', '-p', 'What do the notes say?'], {
      cwd: project,
      env: ktEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseURL }),
      timeoutMs: 30_000,
    });
    timings.ktRun = answered.ms;
    expect(answered.code, explain(answered)).toBe(0);
    expect(answered.stdout.trimEnd().endsWith('The notes say: packaged hello.')).toBe(true);

    const completions = openai.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(completions).toHaveLength(2);
    expect(completions[0]!.body!.model).toBe('test-model');
    const toolResults = (completions[1]!.body!.messages as Array<{ role: string; tool_call_id?: string; content?: unknown }>).filter((m) => m.role === 'tool');
    expect(toolResults.map((m) => m.tool_call_id)).toEqual(['read1']);
    expect(JSON.stringify(toolResults[0]!.content)).toContain('packaged hello from the tarball');
    await openai.close();
    openai = undefined;
  }, 300_000);

  it('installs as a library dependency whose exports, testing kit and creature pack resolve', async () => {
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'kt-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
    const { result: install, requests } = await expectRegistryOnly(() =>
      npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--registry', registry!.url, '--cache', npmCache, tarball], app, 240_000),
    );
    timings.libraryInstall = install.ms;
    expect(install.code, explain(install)).toBe(0);
    const dependencies = (JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies;
    expect(Object.keys(dependencies ?? {})).toEqual([pkg.name]);

    // The cache started empty before the global install: whatever this install
    // took from it, the fake registry served (in this test or the one before).
    const installed = installedPackages(join(app, 'node_modules'));
    installed.delete(`${pkg.name}@${pkg.version}`);
    // No dependency with an install script npm would make the application approve.
    expect([...installed].filter((p) => p.startsWith('protobufjs@') || p.startsWith('@google/genai@'))).toEqual([]);
    const served = tarballsServed(registry!.requests);
    expect([...installed].filter((p) => !served.has(p))).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);

    writeFileSync(
      join(app, 'main.mjs'),
      `import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Agent, tool } from 'kohakuterrarium';
import { ScriptedLLM, startFakeOpenAI } from 'kohakuterrarium/testing';

// zod and better-sqlite3 as kohakuterrarium's own dependency tree has them.
const fromKt = createRequire(fileURLToPath(import.meta.resolve('kohakuterrarium')));
const { z } = fromKt('zod');
const Database = fromKt('better-sqlite3');
const db = new Database(':memory:');
const sqlite = db.prepare('select sqlite_version() as v').get().v;
db.close();

const shout = tool({
  name: 'shout',
  description: 'Upper-case a text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text.toUpperCase(),
});
const llm = new ScriptedLLM([
  { toolCalls: [{ id: 's1', name: 'shout', args: { text: 'quiet words' } }] },
  { text: 'hi from scripted' },
]);
const agent = await Agent.build('@kt-biome/creatures/general', { llm, pwd: process.cwd(), tools: [shout] });
const result = await agent.run('Say something.');
await agent.stop();
console.log(JSON.stringify({
  status: result.status,
  text: result.text,
  toolCalls: result.toolCalls.map((c) => ({ name: c.name, output: c.output, isError: c.isError })),
  tools: agent.tools,
  resolved: import.meta.resolve('kohakuterrarium'),
  testing: import.meta.resolve('kohakuterrarium/testing'),
  fakeServer: typeof startFakeOpenAI,
  sqlite,
}));
`,
    );
    const home = mkdtempSync(join(work, 'app-home-'));
    const ran = await runProcess(process.execPath, ['main.mjs'], {
      cwd: app,
      env: { PATH: nodePath, HOME: home, KT_CONFIG_DIR: join(home, 'kt-config'), LANG: 'C.UTF-8' },
      timeoutMs: 30_000,
    });
    timings.libraryRun = ran.ms;
    expect(ran.code, explain(ran)).toBe(0);
    const out = JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as {
      status: string;
      text: string;
      toolCalls: Array<{ name: string; output: string; isError: boolean }>;
      tools: string[];
      resolved: string;
      testing: string;
      fakeServer: string;
      sqlite: string;
    };
    expect(out.status).toBe('completed');
    expect(out.text).toBe('hi from scripted');
    expect(out.toolCalls).toEqual([{ name: 'shout', output: 'QUIET WORDS', isError: false }]);
    expect(out.tools).toEqual(expect.arrayContaining(['read', 'bash', 'shout']));
    const installedRoot = join(app, 'node_modules', pkg.name);
    expect(out.resolved).toBe(pathToFileURL(join(installedRoot, 'dist', 'index.js')).href);
    expect(out.testing).toBe(pathToFileURL(join(installedRoot, 'dist', 'testing.js')).href);
    expect(out.fakeServer).toBe('function');
    expect(out.sqlite).toMatch(/^3\./);
  }, 300_000);
});
