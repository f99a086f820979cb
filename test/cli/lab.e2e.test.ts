/**
 * The Laboratory as processes: a real nats-server, `kt lab host` and two
 * `kt lab-client` workers, each its own `node dist/kt.js`. A recipe is spread
 * over both; one worker is killed (SIGKILL) in the middle of a turn; its
 * creature continues on the other worker with its conversation, and
 * `kt lab status` says so. Every wait is on a line a process printed or a
 * request the fake model server received.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { startNats, type NatsServer } from '../engine/lab/nats-server.js';
import { assertBuilt, baseEnv, kt, ktBin, repoRoot } from './helpers.js';

let nats: NatsServer;
let openai: FakeOpenAIServer;
const children: ChildProcess[] = [];
let release!: () => void;
const held = new Promise<void>((r) => (release = r));
let heldArrived!: () => void;
const holding = new Promise<void>((r) => (heldArrived = r));

type Wire = { role: string; content?: unknown };

beforeAll(async () => {
  assertBuilt();
  nats = await startNats();
  openai = await startFakeOpenAI({
    responder: async (request) => {
      const messages = (request.body as { messages: Wire[] }).messages;
      const last = String(messages.at(-1)?.content ?? '');
      if (last.includes('hold')) {
        heldArrived();
        await held;
      }
      return { text: 'noted' };
    },
  });
});

afterAll(async () => {
  release?.();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await nats?.kill();
  await openai?.close();
});

/** A long-running kt process; `line(re)` resolves once it printed a matching line. */
function daemon(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [ktBin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const waiters: Array<{ re: RegExp; resolve: (m: string) => void }> = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.re.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m[0]);
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return {
    child,
    output: () => out + err,
    line: (re: RegExp) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ re, resolve });
        check();
        child.once('exit', (code) => reject(new Error(`kt ${args.join(' ')} exited (${code}) before printing ${re}:\n${out}\n${err}`)));
      }),
  };
}

describe('kt lab across processes', () => {
  it('a recipe over two workers; one is killed mid-turn; its creature goes on on the other with its conversation', async () => {
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseURL, KT_HOME: mkdtempSync(join(tmpdir(), 'kt-lab-e2e-')) });
    const connect = ['--nats', nats.url, '--nats-token', nats.token, '--lab', 'e2e'];
    const host = daemon(['lab', 'host', ...connect], env);
    await host.line(/kt lab host: lab 'e2e'/);
    const workers = { wa: daemon(['lab-client', ...connect, '--name', 'wa', '--heartbeat', '1000'], env), wb: daemon(['lab-client', ...connect, '--name', 'wb', '--heartbeat', '1000'], env) };
    await Promise.all([host.line(/joined wa/), host.line(/joined wb/)]);

    const dir = mkdtempSync(join(tmpdir(), 'kt-lab-e2e-recipe-'));
    writeFileSync(
      join(dir, 'terrarium.yaml'),
      `name: pair
creatures:
  - name: keeper
    node: wa
    controller: { llm: openai/test-model }
    channels: { listen: [notes], can_send: [notes] }
  - name: helper
    node: wb
    controller: { llm: openai/test-model }
    channels: { listen: [notes] }
channels:
  notes: { type: broadcast }
`,
    );
    const applied = await kt(['lab', 'apply', join(dir, 'terrarium.yaml'), ...connect], { env });
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toMatch(/keeper → wa/);
    expect(applied.stdout).toMatch(/helper → wb/);

    const first = await kt(['lab', 'chat', 'keeper', 'remember the word kumquat', ...connect], { env });
    expect(first.stdout.trim()).toBe('noted');

    // Mid-turn: the model request of this turn has reached the fake server and waits there.
    const cutOff = kt(['lab', 'chat', 'keeper', 'hold this thought', ...connect], { env, timeoutMs: 60_000 });
    await holding;
    workers.wa.child.kill('SIGKILL');
    await host.line(/failed wa/);
    await host.line(/restarted keeper@wb/);
    const interrupted = await cutOff;
    expect(interrupted.code).toBe(1);
    expect(interrupted.stdout).toMatch(/worker 'wa' failed during this turn/);

    const after = await kt(['lab', 'chat', 'keeper', 'what was the word?', ...connect], { env });
    expect(after.stdout.trim()).toBe('noted');
    const last = JSON.stringify(openai.requests.at(-1)!.body);
    expect(last).toContain('kumquat');
    expect(last).toContain('what was the word?');

    const status = await kt(['lab', 'status', '--json', ...connect], { env });
    const parsed = JSON.parse(status.stdout) as { workers: Array<{ node: string; status: string; creatures: string[] }>; creatures: Array<{ name: string; node: string; status: string }> };
    expect(parsed.workers.find((w) => w.node === 'wa')?.status).toBe('failed');
    expect(parsed.workers.find((w) => w.node === 'wb')?.creatures.sort()).toEqual(['helper', 'keeper']);
    expect(parsed.creatures.find((c) => c.name === 'keeper')).toMatchObject({ node: 'wb', status: 'running' });
    const table = await kt(['lab', 'status', ...connect], { env });
    expect(table.stdout).toMatch(/wb\s+alive.*helper, keeper|wb\s+alive.*keeper, helper/);
    release();
  }, 120_000);
});
