/**
 * `kt replay` as a user runs it: a session recorded by `kt run` through the
 * fake OpenAI server replays with --check and exits 0 without a key and
 * without opening a single connection (the base URL points at a listener
 * that counts them, and again inside a network namespace with no network
 * when `unshare -rn` works here); a changed creature exits 1 with the first divergence;
 * --json gives the report.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { spawnSync } from 'node:child_process';
import { runProcess } from '../helpers/run-process.js';
import { assertBuilt, baseEnv, kt, ktBin, repoRoot } from './helpers.js';

/** Whether this machine lets an unprivileged process run in a network namespace of its own (no interface but a down loopback). */
function closedNetwork(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync('unshare', ['-rn', 'true'], { encoding: 'utf8' });
  if (probe.error) return { ok: false, reason: `unshare is not available (${probe.error.message})` };
  if (probe.status !== 0) return { ok: false, reason: `unshare -rn is refused here: ${probe.stderr.trim() || `exit ${probe.status}`}` };
  return { ok: true };
}

let server: FakeOpenAIServer | undefined;
let listener: Server | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
  await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
  listener = undefined;
});

/** A loopback port that counts every connection made to it. */
async function connectionCounter(): Promise<{ url: string; count: () => number }> {
  let connections = 0;
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener!.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/v1`, count: () => connections };
}

async function recorded() {
  server = await startFakeOpenAI({
    script: [{ toolCalls: [{ id: 'c1', name: 'read', arguments: { path: 'notes.txt' } }] }, { text: 'It says: remember the milk.' }],
  });
  const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, CI: 'true' });
  const project = mkdtempSync(join(tmpdir(), 'kt-replay-project-'));
  writeFileSync(join(project, 'notes.txt'), 'remember the milk\n');
  const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'What is in notes.txt?'], { env, cwd: project });
  expect(run.code).toBe(0);
  const sessions = join(env.KT_CONFIG_DIR!, 'sessions');
  const file = join(sessions, readdirSync(sessions)[0]!);
  await server.close();
  server = undefined;
  const counter = await connectionCounter();
  // No key, and the model's address is a port that would notice a connection.
  const offline = { ...env, OPENAI_BASE_URL: counter.url } as Record<string, string>;
  delete offline.OPENAI_API_KEY;
  return { file, project, env: offline, counter };
}

describe('kt replay', () => {
  it('--check: same behaviour, exit 0, no key needed and no connection opened', async () => {
    const { file, env, counter } = await recorded();
    const check = await kt(['replay', file, '--check'], { env });
    expect(check.stderr).toBe('');
    expect(check).toMatchObject({ code: 0 });
    expect(check.stdout).toMatch(/^replay: same behaviour as recorded \(1 turns, 2 model calls, 1 tool calls\)/);
    const json = await kt(['replay', file, '--tools', 'recorded', '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, mode: 'check', divergences: [], creatures: [{ name: 'general', recorded: { toolCalls: 1 }, replayed: { toolCalls: 1 } }] });
    expect(counter.count()).toBe(0);
  });

  it('--check runs in a network namespace with no network at all', async (ctx) => {
    const closed = closedNetwork();
    if (!closed.ok) {
      console.log(`skipped: ${closed.reason}`);
      ctx.skip();
      return;
    }
    const { file, env } = await recorded();
    // Not even loopback is up in there: any socket the replay opened would fail the run.
    const check = await runProcess('unshare', ['-rn', process.execPath, ktBin, 'replay', file, '--check'], { cwd: repoRoot, env, timeoutMs: 20_000 });
    expect(check.stderr).toBe('');
    expect(check).toMatchObject({ code: 0 });
    expect(check.stdout).toMatch(/^replay: same behaviour as recorded/);
  });

  it('a changed creature exits 1 with the first divergence', async () => {
    const { file, env, project } = await recorded();
    writeFileSync(join(project, 'notes.txt'), 'buy bread\n'); // --tree: the tree the tools run in now
    const changed = join(mkdtempSync(join(tmpdir(), 'kt-replay-creature-')), 'general');
    mkdirSync(changed);
    writeFileSync(join(changed, 'config.yaml'), 'name: general\nbase_config: "@kt-biome/creatures/general"\nsystem_prompt: "You answer in haiku."\n');
    const check = await kt(['replay', file, '--creature', changed], { env });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('replay: the behaviour changed');
    expect(check.stdout).toContain('first divergence: the system prompt differs');
    expect(check.stdout).toContain('+ You answer in haiku.');
    const tree = await kt(['replay', file, '--tree', project], { env });
    expect(tree.code).toBe(1);
    expect(tree.stdout).toContain('first divergence (turn 1, step 1): a tool returned something else');
    expect(tree.stdout).toContain('buy bread');
  });
});
