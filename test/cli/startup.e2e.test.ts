/**
 * `kt --version` and `kt --help` must stay light: no provider SDK, no Ink,
 * no SQLite in what they load. Checked on the bundle's import graph (from
 * esbuild's metafile), which is what actually ships.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt, repoRoot } from './helpers.js';

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
}

beforeAll(() => assertBuilt());

/** Inputs reachable from `entry` through static imports only. */
function staticClosure(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    const node = meta.outputs[output];
    if (!node) {
      inputs.add(output); // an external package
      return;
    }
    for (const input of Object.keys(node.inputs)) inputs.add(input);
    for (const imp of node.imports) if (imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entry);
  return inputs;
}

const HEAVY = ['node_modules/openai/', 'node_modules/@anthropic-ai/', 'node_modules/@google/genai/', 'node_modules/ink/', 'node_modules/react/', 'node_modules/@modelcontextprotocol/', 'better-sqlite3', 'node_modules/execa/', 'node_modules/zod/', 'node_modules/yaml/', 'node_modules/meow/'];

describe('kt startup', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const run = await kt(['--version'], { env: baseEnv() });
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints help listing the commands', async () => {
    for (const flag of ['--help', '-h']) {
      const run = await kt([flag], { env: baseEnv() });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Usage\n[^]*^ {2}\$ kt <command>/m);
      expect(run.stdout).toMatch(/^\s+run\s+Run a creature/m);
    }
    const sub = await kt(['run', '--help'], { env: baseEnv() });
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/--output-format/);
  });

  // These machines ship Node 20 as /usr/bin/node; elsewhere there may be no old Node to try.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path) && Number(spawnSync(path, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) < 22);
  it.skipIf(!oldNode)('on Node older than 22 it says which Node it needs instead of failing to load', () => {
    const run = spawnSync(oldNode!, [join(repoRoot, 'dist', 'kt.js'), 'run', '-p', 'hi'], { encoding: 'utf8', env: baseEnv() });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/kt needs Node\.js 22 or newer; this is v\d+/);
  });

  it('makes its config home private (0700) on first start', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'kt-home-')), 'config');
    const run = await kt(['--help'], { env: { ...baseEnv(), KT_CONFIG_DIR: home } });
    expect(run.code).toBe(0);
    expect(statSync(home).mode & 0o777).toBe(0o700);
  });

  it('every command listed in kt --help answers its own --help', async () => {
    const top = await kt(['--help'], { env: baseEnv() });
    const commands = [...top.stdout.matchAll(/^ {2}([a-z][a-z-]+) +\S/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['run', 'serve', 'admin', 'service']));
    const runs = await Promise.all(commands.map(async (command) => ({ command, run: await kt([command, '--help'], { env: baseEnv() }) })));
    for (const { command, run } of runs) expect({ command, code: run.code, usage: /Usage/.test(run.stdout) }).toEqual({ command, code: 0, usage: true });
    // --help anywhere among other flags shows the help instead of running the command.
    for (const argv of [['run', '@kt-biome/creatures/swe', '--mode', 'plain', '--help'], ['serve', 'run', '--port', '0', '--help']]) {
      const run = await kt(argv, { env: baseEnv() });
      expect({ argv, code: run.code, usage: /Usage/.test(run.stdout) }).toEqual({ argv, code: 0, usage: true });
    }
  });

  // What the bundle leaves out of a plain one-turn run (scripts/openai-slim.mjs,
  // the zod and node:http stand-ins): each of these costs milliseconds of
  // every start, and a dependency update can bring one back unnoticed. And
  // the run path comes in a few files (scripts/run-path.mjs): new modules on
  // it that scripts/run-path.json does not list yet come one chunk each.
  it('a one-turn kt run loads neither undici, zod, node:crypto nor perf_hooks, and few files of kt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-loaded-'));
    const probe = join(dir, 'probe.mjs');
    const report = join(dir, 'loaded.json');
    writeFileSync(
      probe,
      `import { registerHooks } from 'node:module';\nimport { writeFileSync } from 'node:fs';\nconst urls = [];\nregisterHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });\nprocess.on('exit', () => writeFileSync(${JSON.stringify(report)}, JSON.stringify({ builtins: process.moduleLoadList, urls })));\n`,
    );
    const server = await startFakeOpenAI({ script: [{ text: 'hello there' }] });
    try {
      const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, CI: 'true', NODE_OPTIONS: `--import ${probe}` });
      const run = await kt(['run', '@kt-biome/creatures/swe', '--mode', 'plain', '--llm', 'openai/test-model', '-p', 'hi'], { env, cwd: dir });
      expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('hello there') });
    } finally {
      await server.close();
    }
    const { builtins, urls } = JSON.parse(readFileSync(report, 'utf8')) as { builtins: string[]; urls: string[] };
    expect(builtins.filter((name) => name.includes('undici'))).toEqual([]);
    // Ids come from /dev/urandom (engine/util/random-id.ts) and short texts are not hashed: node:crypto costs 6-8 ms to load.
    if (process.platform !== 'win32') expect(builtins.filter((name) => /^NativeModule (internal\/)?crypto\b/.test(name))).toEqual([]);
    // Durations are read from process.hrtime (engine/util/clock.ts): the global performance loads perf_hooks.
    expect(builtins).not.toContain('NativeModule perf_hooks');
    expect(urls.filter((url) => /vendor\/zod|node_modules\/zod\//.test(url))).toEqual([]);
    expect(urls.length).toBeGreaterThan(10);
    const ktFiles = urls.filter((url) => url.includes('/dist/cli/'));
    // 11 when the list was recorded; beyond 16, run `node scripts/record-run-path.mjs` and commit scripts/run-path.json.
    expect(ktFiles.length, `kt files a one-turn run loads:\n${ktFiles.join('\n')}`).toBeLessThanOrEqual(16);
    expect(ktFiles.some((url) => /\/run-path-[\w-]+\.js$/.test(url))).toBe(true);
  });

  it('the entry that answers --version and --help statically imports nothing heavy', () => {
    const meta = JSON.parse(readFileSync(join(repoRoot, 'dist', 'cli-meta.json'), 'utf8')) as Metafile;
    // --version is answered by kt.js itself; --help by the dynamically imported main module.
    const mainChunk = Object.keys(meta.outputs).find((out) => 'source/cli/main.ts' in meta.outputs[out]!.inputs);
    expect(mainChunk).toBeDefined();
    const closure = [...staticClosure(meta, 'dist/kt.js'), ...staticClosure(meta, mainChunk!)];
    expect(closure.length).toBeGreaterThan(0);
    // A stand-in (scripts/lazy-deps.mjs) loads its package only when first used.
    expect(closure.filter((input) => !input.startsWith('kt-lazy-dependency:') && HEAVY.some((h) => input.includes(h)))).toEqual([]);
  });
});
