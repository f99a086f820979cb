/**
 * Sessions from the command line: every run is logged; kt sessions lists,
 * kt resume continues (by name, --last, from a snapshot when the creature's
 * folder is gone), kt fork copies; damaged files are refused untouched; and
 * a kt killed with SIGKILL at random moments leaves a file that still
 * resumes and replays.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repairToolPairing } from '../../source/engine/creature/conversation.js';
import { SessionReader } from '../../source/engine/session/reader.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt, ktBin, repoRoot } from './helpers.js';
import { spawn } from 'node:child_process';
import { seededRandom } from '../helpers/seeded.js';
import { GATE_TIMEOUT_MS, until } from '../helpers/until.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Wire = { role: string; content?: unknown; tool_calls?: Array<{ id: string }>; tool_call_id?: string };

/** Every tool call is answered before the conversation moves on, and every result answers a call. */
function expectPaired(messages: Wire[]): void {
  const open = new Set<string>();
  for (const m of messages) {
    if (m.role === 'tool') {
      expect(open.delete(m.tool_call_id!)).toBe(true);
      continue;
    }
    expect([...open]).toEqual([]);
    for (const call of m.tool_calls ?? []) open.add(call.id);
  }
}

function setup(extra: Record<string, string> = {}) {
  const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server!.baseURL, CI: 'true', ...extra });
  const project = mkdtempSync(join(tmpdir(), 'kt-sess-project-'));
  writeFileSync(join(project, 'notes.txt'), 'remember the milk\n');
  return { env, project, sessions: join(env.KT_CONFIG_DIR!, 'sessions') };
}

describe('sessions from the CLI', () => {
  it('run logs a session; sessions lists it; resume continues the conversation', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'First answer.' }, { text: 'Second answer.' }, { text: 'Third.' }] });
    const { env, project, sessions } = setup();
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'What is in notes.txt?'], { env, cwd: project });
    expect(run.code).toBe(0);
    const files = readdirSync(sessions);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^general_\d{8}-\d{6}_[0-9a-f]{8}\.kohakutr$/);

    const list = JSON.parse((await kt(['sessions', '--json'], { env })).stdout) as Array<Record<string, unknown>>;
    expect(list).toEqual([expect.objectContaining({ creature: 'general', turns: 1, firstPrompt: 'What is in notes.txt?', model: 'openai/m', pwd: project })]);
    const table = await kt(['sessions'], { env });
    expect(table.stdout).toMatch(/general_\S+\s+general\s+just now\s+1\s+What is in notes\.txt\?/);

    const resumed = await kt(['resume', '--last', '--mode', 'plain', '-p', 'And then?'], { env, cwd: tmpdir() });
    expect(resumed.stderr).toBe('');
    expect(resumed).toMatchObject({ code: 0, stdout: 'Second answer.\n' });
    const sent = server.requests[1]!.body!.messages as Wire[];
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent[2]!.content).toBe('First answer.');

    const name = files[0]!.replace('.kohakutr', '');
    const byPrefix = await kt(['resume', name.slice(0, 12), '-p', 'Once more.'], { env });
    expect(byPrefix.stdout).toBe('Third.\n');
    expect(JSON.parse((await kt(['sessions', '--json'], { env })).stdout)[0]).toMatchObject({ turns: 3 });

    using reader = new SessionReader(join(sessions, files[0]!));
    expect(reader.turns().map((t) => [t.userText, t.assistantText])).toEqual([
      ['What is in notes.txt?', 'First answer.'],
      ['And then?', 'Second answer.'],
      ['Once more.', 'Third.'],
    ]);
  });

  it('--session names the file, --no-session keeps none; bad references fail clearly', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'a' }, { text: 'b' }] });
    const { env, project, sessions } = setup();
    const file = join(project, 'mine.kohakutr');
    expect((await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--session', file, '-p', 'x'], { env, cwd: project })).code).toBe(0);
    expect(readdirSync(project)).toContain('mine.kohakutr');
    expect((await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--no-session', '-p', 'y'], { env, cwd: project })).code).toBe(0);
    expect(() => readdirSync(sessions)).toThrow();

    const none = await kt(['resume', 'nothing-like-this', '-p', 'x'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^kt: no session matches 'nothing-like-this'/);
    expect((await kt(['resume', '-p', 'x'], { env })).stderr).toMatch(/which session\? kt resume <name>, or kt resume --last/);
  });

  it('resumes from the config snapshot when the creature folder is gone', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'one' }, { text: 'two' }] });
    const { env, project } = setup();
    const creature = join(project, 'critter');
    cpSync(join(repoRoot, 'source/builtins/kt-biome/creatures/general'), creature, { recursive: true });
    writeFileSync(join(creature, 'config.yaml'), readFileSync(join(creature, 'config.yaml'), 'utf8').replace('name: general', 'name: critter'));
    expect((await kt(['run', creature, '--llm', 'openai/m', '-p', 'hi'], { env, cwd: project })).code).toBe(0);
    rmSync(creature, { recursive: true });
    const resumed = await kt(['resume', '--last', '-p', 'still there?'], { env, cwd: project });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('two\n');
    expect(resumed.stderr).toMatch(/kt: warning: .*critter is gone; resuming from the config saved in the session/);
    const system = (server.requests[1]!.body!.messages as Wire[])[0]!;
    expect(String(system.content)).toMatch(/working inside the user's project/);
  });

  it('kt fork copies a session; a damaged file is refused and left untouched', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'orig' }, { text: 'forked' }] });
    const { env, project, sessions } = setup();
    await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'hello'], { env, cwd: project });
    const [original] = readdirSync(sessions);
    const fork = await kt(['fork', original!.slice(0, 10)], { env });
    expect(fork.code).toBe(0);
    expect(fork.stdout).toMatch(/^Forked \d+ events into .*general-fork_\S+\.kohakutr\n$/);
    const forkName = fork.stdout.trim().split('/').pop()!.replace('.kohakutr', '');
    const resumed = await kt(['resume', forkName, '-p', 'on the fork'], { env });
    expect(resumed.stdout).toBe('forked\n');
    using original_ = new SessionReader(join(sessions, original!));
    expect(original_.turns()).toHaveLength(1);

    const bad = join(sessions, 'broken.kohakutr');
    writeFileSync(bad, 'not a database at all');
    const refused = await kt(['resume', bad, '-p', 'x'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^kt: cannot use session .*broken\.kohakutr: not an SQLite database/);
    expect(readFileSync(bad, 'utf8')).toBe('not a database at all');
    const listed = await kt(['sessions'], { env });
    expect(listed.stderr).toMatch(/warning: skipped .*broken\.kohakutr/);
  });

  it('kt search and kt sessions read a session while kt run is still writing it', async () => {
    // The tool holds the run open until the test has read the file: "still writing" is a gate, not a guess.
    const hold = `node -e "const fs = require('fs'); fs.writeFileSync('tool.started', ''); const t = setInterval(() => { if (fs.existsSync('release')) { clearInterval(t); console.log('waited'); } }, 20)"`;
    server = await startFakeOpenAI({
      script: [{ text: 'Let me wait.', toolCalls: [{ name: 'bash', arguments: { command: hold } }] }, { text: 'All done: the build is green again.' }],
    });
    const { env, project } = setup();
    const file = join(project, 'live.kohakutr');
    const running = kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--session', file, '--approval-mode', 'yolo', '-p', 'please investigate the flaky zeppelin build'], { env, cwd: project, timeoutMs: 60_000 });
    // The tool is running, and the prompt has been committed (the recorder flushes on a timer mid-turn).
    await until(() => existsSync(join(project, 'tool.started')), 'the tool to start');
    await until(() => {
      using reader = new SessionReader(file);
      return reader.turns()[0]?.userText === 'please investigate the flaky zeppelin build';
    }, 'the prompt to be committed');
    const search = await kt(['search', file, 'zeppelin', '--json'], { env });
    expect(search.code).toBe(0);
    expect(JSON.parse(search.stdout)).toEqual([expect.objectContaining({ kind: 'user', content: 'please investigate the flaky zeppelin build' })]);
    const listed = JSON.parse((await kt(['sessions', '--json'], { env: { ...env, KT_SESSION_DIR: project } })).stdout) as Array<Record<string, unknown>>;
    expect(listed).toEqual([expect.objectContaining({ firstPrompt: 'please investigate the flaky zeppelin build' })]);

    writeFileSync(join(project, 'release'), '');
    const run = await running;
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('All done: the build is green again.') });
    using reader = new SessionReader(file);
    expect(reader.turns()).toEqual([expect.objectContaining({ status: 'completed', assistantText: 'Let me wait.\n\nAll done: the build is green again.' })]);
    expect(reader.turns()[0]!.toolCalls).toEqual([expect.objectContaining({ name: 'bash', error: false, result: expect.stringContaining('waited') })]);
    // The index kt search added lives beside the log; the next search brings it up to date.
    const again = await kt(['search', file, 'green', '--json'], { env });
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ kind: 'text', content: 'All done: the build is green again.' });
  });

  it('survives SIGKILL at random moments: the file still resumes and replays', async () => {
    // Each reply calls a tool and streams slowly, so kills land mid-stream, mid-tool and between turns.
    // The tool marks that it runs, so a kill "mid-tool" waits for that instead of guessing a delay.
    const tool = `node -e "require('fs').writeFileSync('tool.started', ''); setTimeout(() => console.log('ok'), 150)"`;
    server = await startFakeOpenAI({
      responder: (request) => {
        const messages = (request.body?.messages ?? []) as Wire[];
        return messages.at(-1)?.role === 'tool'
          ? { text: 'Done with that step, moving on to the next part of the work now.', chunkSize: 4, delayMs: 15 }
          : { text: 'Checking.', toolCalls: [{ name: 'bash', arguments: { command: tool } }], delayMs: 10 };
      },
    });
    const { env, project } = setup();
    const file = join(project, 'crash.kohakutr');
    const marker = join(project, 'tool.started');
    // Where each run is killed: once its first request arrives (mid-stream), once its tool runs, once the
    // tool's result reaches the model (mid-stream again), or not at all (it ends between turns). Every
    // moment comes up at least once; the seed orders them and picks the rest.
    const random = seededRandom('SIGKILL moments');
    const kinds = ['request', 'tool', 'result', 'finish'] as const;
    const moments = [...kinds, ...Array.from({ length: 2 }, () => random.pick(kinds))];
    for (let i = moments.length - 1; i > 0; i--) {
      const j = random.below(i + 1);
      [moments[i], moments[j]] = [moments[j]!, moments[i]!];
    }
    for (const [round, moment] of moments.entries()) {
      rmSync(marker, { force: true });
      const before = server.requests.length;
      const child = spawn(process.execPath, [ktBin, 'run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--session', file, '--approval-mode', 'yolo', '-p', `step ${round}`], {
        cwd: project,
        env,
        stdio: 'ignore',
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      if (moment === 'request') await server.waitForRequests(before + 1, GATE_TIMEOUT_MS);
      if (moment === 'tool') await until(() => existsSync(marker), `round ${round}'s tool to start`);
      if (moment === 'result') await server.waitForRequests(before + 2, GATE_TIMEOUT_MS);
      if (moment !== 'finish') child.kill('SIGKILL');
      await exited;
    }
    using reader = new SessionReader(file);
    const conversation = reader.conversation();
    expect(conversation[0]!.role).toBe('system');
    expect(reader.turns().length).toBeGreaterThan(0);
    const resumed = await kt(['resume', file, '--approval-mode', 'yolo', '-p', 'final step'], { env, cwd: project, timeoutMs: 30_000 });
    expect(resumed.code).toBe(0);
    // Whatever the kills cut, the provider only ever saw well-formed histories.
    for (const request of server.requests) expectPaired((request.body?.messages ?? []) as Wire[]);
    using after = new SessionReader(file);
    expect(after.turns().at(-1)).toMatchObject({ userText: 'final step' });
    // The stored history may hold a cut-off tool call; repair makes it well formed without dropping turns.
    const repaired = repairToolPairing(after.conversation());
    expect(repaired.filter((m) => m.role === 'user')).toEqual(after.conversation().filter((m) => m.role === 'user'));
  });
});
