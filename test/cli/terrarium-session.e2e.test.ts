/**
 * End to end: a terrarium run keeps a session like a creature run — a file in
 * the session folder (or the --session file, or none with --no-session) —
 * `kt sessions` shows it as a team, and `kt resume <name>` brings the team
 * back: the root's next request carries the earlier turn. A team file another
 * process holds is refused as a creature's is (exit 2, nothing written).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt } from './helpers.js';
import { pairRecipe } from './team-recipe.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LLM = ['--llm', 'openai/test-model'];

function setup(script: Array<Record<string, unknown>>) {
  return startFakeOpenAI({ script }).then((s) => {
    server = s;
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: s.baseURL, CI: 'true' });
    return { env, sessions: join(env.KT_CONFIG_DIR!, 'sessions') };
  });
}

describe('team sessions from the command line', () => {
  it('kt terrarium run writes the session, kt sessions lists it as a team, kt resume continues the root', async () => {
    const { env, sessions } = await setup([{ text: 'ROOT FIRST' }, { text: 'worker first' }, { text: 'ROOT SECOND' }, { text: 'worker second' }]);
    const dir = pairRecipe();
    const run = await kt(['terrarium', 'run', 'team', ...LLM, '-p', 'Remember the word PELICAN'], { cwd: dir, env });
    expect(run.code).toBe(0);
    const files = readdirSync(sessions).filter((f) => f.endsWith('.kohakutr'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^pair-[0-9a-f]{8}\.kohakutr$/);
    const name = files[0]!.replace('.kohakutr', '');

    const listed = await kt(['sessions'], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(name);
    expect(listed.stdout).toContain('pair (team of 2)');
    const json = await kt(['sessions', '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name, kind: 'terrarium', creature: 'pair', members: 2 })]);

    // No --llm: the team comes back on the model the run gave it.
    const resumed = await kt(['resume', name, '-p', 'Which word?'], { cwd: dir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout.trim()).toBe('ROOT SECOND');
    expect(server!.requests).toHaveLength(4);
    const rootAsked = JSON.stringify(server!.requests[2]!.body!.messages);
    expect(rootAsked).toContain('Remember the word PELICAN');
    expect(rootAsked).toContain('ROOT FIRST');
    expect(rootAsked).toContain('Which word?');
    // The worker was woken by the root's wire again, with its own earlier turn behind it.
    expect(JSON.stringify(server!.requests[3]!.body!.messages)).toContain('worker first');
    // Still one file: the resume wrote into it.
    expect(readdirSync(sessions).filter((f) => f.endsWith('.kohakutr'))).toEqual(files);
  });

  it('a resumed team keeps the approval mode: with nobody to ask, the root\'s command is refused', async () => {
    const { env, sessions } = await setup([
      { text: 'ROOT FIRST' },
      { text: 'worker first' },
      { toolCalls: [{ id: 'b1', name: 'bash', arguments: { command: 'touch made.txt' } }] },
      { text: 'ROOT DONE' },
      { text: 'worker done' },
    ]);
    const dir = pairRecipe();
    expect((await kt(['terrarium', 'run', 'team', ...LLM, '-p', 'Start'], { cwd: dir, env })).code).toBe(0);
    const [file] = readdirSync(sessions);
    const resumed = await kt(['resume', file!.replace('.kohakutr', ''), '-p', 'Make the file'], { cwd: dir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('kt: [root] ');
    expect(existsSync(join(dir, 'made.txt'))).toBe(false);
    const told = (server!.requests[3]!.body!.messages as Array<{ role: string; content: string }>).at(-1)!;
    expect(told.role).toBe('tool');
    expect(told.content).not.toBe('');
  });

  it('kt resume --last picks a team session when it is the newest', async () => {
    const { env } = await setup([{ text: 'ROOT FIRST' }, { text: 'worker first' }, { text: 'ROOT AGAIN' }, { text: 'worker again' }]);
    const dir = pairRecipe();
    expect((await kt(['run', 'team', ...LLM, '-p', 'Start'], { cwd: dir, env })).code).toBe(0);
    const resumed = await kt(['resume', '--last', '-p', 'Go on'], { cwd: dir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout.trim()).toBe('ROOT AGAIN');
    expect(JSON.stringify(server!.requests[2]!.body!.messages)).toContain('ROOT FIRST');
  });

  it('--session names the file (never one that exists), --no-session keeps none', async () => {
    const { env, sessions } = await setup([{ text: 'A' }, { text: 'B' }, { text: 'C' }, { text: 'D' }]);
    const dir = pairRecipe();
    const named = join(dir, 'mine.kohakutr');
    expect((await kt(['terrarium', 'run', 'team', ...LLM, '--session', 'mine.kohakutr', '-p', 'one'], { cwd: dir, env })).code).toBe(0);
    expect(existsSync(named)).toBe(true);
    expect(existsSync(sessions) ? readdirSync(sessions).filter((f) => f.endsWith('.kohakutr')) : []).toEqual([]);
    // The named file exists now: a new run does not write over it.
    const again = await kt(['terrarium', 'run', 'team', ...LLM, '--session', 'mine.kohakutr', '-p', 'two'], { cwd: dir, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`a session file already exists at ${named}`);

    const none = await kt(['run', 'team', ...LLM, '--no-session', '-p', 'three'], { cwd: dir, env });
    expect(none.code).toBe(0);
    expect(existsSync(sessions) ? readdirSync(sessions).filter((f) => f.endsWith('.kohakutr')) : []).toEqual([]);
  });

  it('an ad-hoc team resumes from its session: the root remembers', async () => {
    const { env, sessions } = await setup([{ text: 'GENERAL FIRST' }, { text: 'GENERAL SECOND' }]);
    const dir = pairRecipe();
    const run = await kt(['run', '@kt-biome/creatures/general', '--add', '@kt-biome/creatures/general', ...LLM, '-p', 'Remember OSPREY'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    const [file] = readdirSync(sessions).filter((f) => f.endsWith('.kohakutr'));
    expect(file).toMatch(/^team-[0-9a-f]{8}\.kohakutr$/);
    const listed = await kt(['sessions'], { env });
    expect(listed.stdout).toContain('team (team of 2)');
    const resumed = await kt(['resume', file!.replace('.kohakutr', ''), '-p', 'Which bird?'], { cwd: dir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout.trim()).toBe('GENERAL SECOND');
    expect(JSON.stringify(server!.requests.at(-1)!.body!.messages)).toContain('Remember OSPREY');
  });

  it('a team session another process holds: exit 2 naming the owner, nothing asked or written', async () => {
    const { env, sessions } = await setup([{ text: 'ROOT FIRST' }, { text: 'worker first' }]);
    const dir = pairRecipe();
    expect((await kt(['terrarium', 'run', 'team', ...LLM, '-p', 'Hello'], { cwd: dir, env })).code).toBe(0);
    const [file] = readdirSync(sessions).filter((f) => f.endsWith('.kohakutr'));
    const path = join(sessions, file!);
    const name = file!.replace('.kohakutr', '');
    // A live process other than kt holds the file (this test's parent), as another kt running the team would.
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.ppid, hostname: hostname(), since: Date.now(), token: 'other' }));
    const before = readFileSync(path);
    const second = await kt(['resume', name, '-p', 'Again'], { cwd: dir, env });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`kt: session ${name} is in use by process ${process.ppid}`);
    expect(server!.requests).toHaveLength(2);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
