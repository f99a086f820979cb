/**
 * End to end: `kt terrarium run|info` and `kt run` given a recipe or --add,
 * the built binary against the fake OpenAI server. The team is a root whose
 * answer is wired to a worker: the root's answer must be alone on stdout,
 * the worker's lines on stderr behind `[worker]`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt, repoRoot } from './helpers.js';
import { pairRecipe } from './team-recipe.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const envFor = (s: FakeOpenAIServer) => baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: s.baseURL, CI: 'true' });
const LLM = ['--llm', 'openai/test-model'];

describe('kt terrarium run (plain)', () => {
  it('prints the root answer on stdout and the worker lines on stderr behind [worker]; exit 0', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'ROOT ANSWER' }, { text: 'worker saw it\nsecond worker line' }] });
    const dir = pairRecipe();
    const run = await kt(['terrarium', 'run', 'team', ...LLM, '-p', 'Do the task'], { cwd: dir, env: envFor(server) });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('ROOT ANSWER');
    expect(run.stderr).toContain('[worker] worker saw it\n[worker] second worker line');
    // The worker's turn was started by the root's wire, with the root's answer.
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify(server.requests[1]!.body!.messages)).toContain('ROOT ANSWER');
  });

  it('stream-json tags every line with its creature and carries both creatures events', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'ROOT ANSWER' }, { text: 'worker done' }] });
    const dir = pairRecipe();
    const run = await kt(['terrarium', 'run', 'team', ...LLM, '-p', 'Do the task', '--output-format', 'stream-json'], { cwd: dir, env: envFor(server) });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { creature: string; type: string; text?: string });
    expect(lines.every((l) => l.creature === 'root' || l.creature === 'worker')).toBe(true);
    const textOf = (who: string) => lines.filter((l) => l.creature === who && l.type === 'text.delta').map((l) => l.text).join('');
    expect(textOf('root')).toBe('ROOT ANSWER');
    expect(textOf('worker')).toBe('worker done');
    expect(lines.some((l) => l.creature === 'root' && l.type === 'result')).toBe(true);
  });

  it('kt run <recipe folder> runs the team as kt terrarium run does', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'ROOT ANSWER' }, { text: 'worker line' }] });
    const dir = pairRecipe();
    const run = await kt(['run', 'team', ...LLM, '-p', 'Do the task'], { cwd: dir, env: envFor(server) });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('ROOT ANSWER');
    expect(run.stderr).toContain('[worker] worker line');
  });

  it('a bad recipe is a config error naming file and line, exit 2, and nothing is asked of the model', async () => {
    server = await startFakeOpenAI({ script: [] });
    const dir = pairRecipe();
    writeFileSync(join(dir, 'team', 'terrarium.yaml'), 'name: bad\nroot:\n  base_config: "@kt-biome/creatures/general"\n  output_wiring: [nobody]\n');
    const run = await kt(['terrarium', 'run', 'team', ...LLM, '-p', 'x'], { cwd: dir, env: envFor(server) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/terrarium\.yaml:4.*'nobody'/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('kt run <creature> --add <creature>', () => {
  it('--channel: both hear and may send on the shared channel; the root answers', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'TEAM ROOT' }] });
    const dir = mkdtempSync(join(tmpdir(), 'kt-adhoc-'));
    const run = await kt(['run', '@kt-biome/creatures/general', '--add', '@kt-biome/creatures/swe', '--channel', 'chat', ...LLM, '-p', 'hello team'], { cwd: dir, env: envFor(server) });
    expect(run.stderr).not.toMatch(/kt: (?!warning)/);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('TEAM ROOT');
    // The root's prompt tells it about the team: the other member and the shared channel.
    const system = JSON.stringify((server.requests[0]!.body!.messages as unknown[])[0]);
    expect(system).toContain('`swe`');
    expect(system).toContain('`chat`');
  });

  it('--channel without --add is a usage error', async () => {
    const run = await kt(['run', '@kt-biome/creatures/general', '--channel', 'chat', '-p', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--add');
  });
});

describe('kt terrarium info', () => {
  it('draws members, channels with listeners and senders, and wires without a model', async () => {
    const dir = pairRecipe();
    const run = await kt(['terrarium', 'info', 'team'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Terrarium pair');
    expect(run.stdout).toMatch(/root {2}\[root, privileged\]/);
    expect(run.stdout).toMatch(/^ {2}worker$/m);
    expect(run.stdout).toContain('#review (queue)  code to review');
    expect(run.stdout).toMatch(/#report_to_root \(broadcast\).*\n {4}listen: root {3}send: worker/);
    expect(run.stdout).toMatch(/Wires\n {2}root → worker/);
  });
});

describe('kt run of a single creature', () => {
  it('loads no terrarium code: the run command reaches it only through import()', () => {
    type Meta = { outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown> }> };
    const meta = JSON.parse(readFileSync(join(repoRoot, 'dist', 'cli-meta.json'), 'utf8')) as Meta;
    const runChunk = Object.keys(meta.outputs).find((out) => 'source/cli/commands/run.ts' in meta.outputs[out]!.inputs);
    expect(runChunk).toBeDefined();
    const inputs = new Set<string>();
    const seen = new Set<string>();
    const visit = (output: string) => {
      if (seen.has(output) || !meta.outputs[output]) return;
      seen.add(output);
      for (const input of Object.keys(meta.outputs[output]!.inputs)) inputs.add(input);
      for (const imp of meta.outputs[output]!.imports) if (imp.kind === 'import-statement') visit(imp.path);
    };
    visit(runChunk!);
    // Only the two leaf modules a solo creature needs to offer its team tools: the names, and the lazy proxy (which import()s the rest).
    const light = new Set(['source/engine/terrarium/group-tools.ts', 'source/engine/terrarium/solo.ts']);
    expect([...inputs].filter((i) => !light.has(i) && (i.includes('engine/terrarium/') || i.includes('ui/team/') || i.includes('cli/commands/terrarium')))).toEqual([]);
  });
});
