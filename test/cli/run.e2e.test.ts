/**
 * End to end: the built `kt` binary runs the bundled swe creature against the
 * fake OpenAI server. It reads a file, edits it, runs a shell command and
 * answers; the file on disk must have changed.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { assertBuilt, baseEnv, kt } from './helpers.js';

let server: FakeOpenAIServer | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-project-'));
  writeFileSync(join(dir, 'notes.txt'), 'hello world\nsecond line\n');
  return dir;
}

function envFor(s: FakeOpenAIServer, extra: Record<string, string> = {}) {
  return baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: s.baseURL, CI: 'true', ...extra });
}

describe('kt run --mode plain (end to end)', () => {
  it('reads, edits, runs a command and answers; the file on disk changes', async () => {
    server = await startFakeOpenAI({
      script: [
        { text: 'Let me look at the file.', toolCalls: [{ id: 'r1', name: 'read', arguments: { path: 'notes.txt' } }] },
        { toolCalls: [{ id: 'e1', name: 'edit', arguments: { path: 'notes.txt', old_string: 'hello world', new_string: 'goodbye world' } }] },
        { toolCalls: [{ id: 'b1', name: 'bash', arguments: { command: 'cat notes.txt && echo exit-ok' } }] },
        { text: 'Done: the greeting now says goodbye.' },
      ],
    });
    const dir = project();
    const run = await kt(['run', '@kt-biome/creatures/swe', '--mode', 'plain', '--llm', 'openai/test-model', '--approval-mode', 'yolo', '-p', 'Change hello to goodbye in notes.txt'], {
      cwd: dir,
      env: envFor(server),
    });
    expect(run.stderr).not.toMatch(/kt: (?!warning)/);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('goodbye world\nsecond line\n');
    expect(run.stdout).toContain('Let me look at the file.');
    expect(run.stdout.trimEnd().endsWith('Done: the greeting now says goodbye.')).toBe(true);
    // Tool activity is on stderr, never on stdout; no ANSI escapes off a terminal.
    expect(run.stderr).toMatch(/→ read notes\.txt/);
    expect(run.stderr).toMatch(/✓ bash/);
    expect(run.stdout).not.toMatch(/→|✓/);
    expect(run.stdout + run.stderr).not.toContain('\u001b[');

    expect(server.requests).toHaveLength(4);
    const last = server.requests[3]!.body!;
    expect(last.model).toBe('test-model');
    const toolResults = (last.messages as Array<{ role: string; tool_call_id?: string; content?: string }>).filter((m) => m.role === 'tool');
    expect(toolResults.map((m) => m.tool_call_id)).toEqual(['r1', 'e1', 'b1']);
    expect(toolResults[0]!.content).toMatch(/1\thello world/);
    expect(toolResults[2]!.content).toContain('goodbye world');
    expect(toolResults[2]!.content).toContain('exit-ok');
    expect((last.tools as unknown[]).length).toBe(34); // general's 24 tools, 6 sub-agents, and the 4 a creature run on its own gets to grow a team
  });

  it('takes the prompt from piped stdin and prints the TurnResult with --output-format json', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'piped answer', usage: { prompt_tokens: 30, completion_tokens: 4, cached_tokens: 10 } }] });
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--output-format', 'json'], {
      cwd: project(),
      env: envFor(server),
      input: 'What is in this folder?\n',
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'completed', text: 'piped answer', usage: { input: 30, output: 4, cached: 10 }, steps: 1 });
    const user = (server.requests[0]!.body!.messages as Array<{ role: string; content: unknown }>).at(-1);
    expect(user).toEqual({ role: 'user', content: 'What is in this folder?\n' });
  });

  it('runs one turn per JSON line with --input-format stream-json and streams events with --output-format stream-json', async () => {
    server = await startFakeOpenAI({ script: [{ text: 'first' }, { text: 'second' }] });
    const input = [
      JSON.stringify({ type: 'user', message: { role: 'user', content: 'one' } }),
      JSON.stringify({ content: [{ type: 'text', text: 'two' }] }),
    ].join('\n');
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--input-format', 'stream-json', '--output-format', 'stream-json'], {
      cwd: project(),
      env: envFor(server),
      input,
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const results = lines.filter((l) => l.type === 'result');
    expect(results.map((r) => r.text)).toEqual(['first', 'second']);
    expect(lines.some((l) => l.type === 'text.delta')).toBe(true);
    expect(lines.filter((l) => l.type === 'turn.end')).toHaveLength(2);
    // The second request carries the first turn's history.
    const messages = server.requests[1]!.body!.messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('--verbose logs the creature, each round and full tool output on stderr', async () => {
    server = await startFakeOpenAI({
      script: [{ toolCalls: [{ name: 'read', arguments: { path: 'notes.txt' } }], usage: { prompt_tokens: 1200, completion_tokens: 20 } }, { text: 'ok' }],
    });
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--verbose', '-p', 'read it'], { cwd: project(), env: envFor(server) });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('ok');
    expect(run.stderr).toMatch(/kt: general on openai\/m in .*; tools: read, write, edit, multi_edit, .*, bash, .*, explore, plan/);
    expect(run.stderr).toMatch(/kt: step 1 tool_calls: ttft \S+, model \S+, tools \S+, overhead [\d.]+ms; tokens ↑1\.2k ↓20/);
    expect(run.stderr).toMatch(/^ {4}\s+1\thello world$/m);
  });

  it('retries a 429 with retry-after, then answers', async () => {
    server = await startFakeOpenAI({ script: [{ error: { status: 429, message: 'slow down', retryAfterMs: 50 } }, { text: 'after retry' }] });
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'hi'], { cwd: project(), env: envFor(server) });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('after retry');
    expect(run.stderr).toMatch(/rate_limit \(429\).*retry 1\/3/);
  });

  it('a provider that streams garbage fails the run with one line and exit 1', async () => {
    server = await startFakeOpenAI({ script: [{ malformed: true }] });
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'hi'], { cwd: project(), env: envFor(server) });
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('kt: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/kt: .*(malformed|invalid|JSON)/i);
  });

  it('stops at --max-turns with exit 1 and says why', async () => {
    server = await startFakeOpenAI({ responder: () => ({ toolCalls: [{ name: 'glob', arguments: { pattern: '*.txt' } }] }) });
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--max-turns', '2', '-p', 'loop'], { cwd: project(), env: envFor(server) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/kt: stopped at the max_turns limit after 2 LLM rounds/);
    expect(server.requests).toHaveLength(2);
  });

  it('Ctrl+C interrupts the running turn, closes the HTTP request and exits 130', async () => {
    server = await startFakeOpenAI({ script: [{ hang: true }] });
    const s = server;
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'wait'], {
      cwd: project(),
      env: envFor(s),
      onSpawn: (child) => {
        void s.waitForRequests(1, 10_000).then(() => child.kill('SIGINT'));
      },
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/kt: interrupted/);
    await s.waitForAbort(5000);
    expect(s.abortedRequests).toBe(1);
  });
  it('--add-dir lets file tools reach a folder outside the working directory', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'kt-outside-'));
    writeFileSync(join(outside, 'shared.txt'), 'from the other folder\n');
    const readIt = { toolCalls: [{ id: 'r1', name: 'read', arguments: { path: join(outside, 'shared.txt') } }] };
    server = await startFakeOpenAI({ script: [readIt, { text: 'refused' }, readIt, { text: 'read it' }] });
    const denied = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--no-session', '-p', 'read'], { cwd: project(), env: envFor(server) });
    expect(denied.code).toBe(0);
    const toolResult = (i: number) => (server!.requests[i]!.body!.messages as Array<{ role: string; content: string }>).at(-1)!.content;
    expect(toolResult(1)).toMatch(/outside the working directory/);
    const allowed = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--no-session', '--add-dir', outside, '-p', 'read'], {
      cwd: project(),
      env: envFor(server),
    });
    expect(allowed.code).toBe(0);
    expect(toolResult(3)).toMatch(/1\tfrom the other folder/);
    const missing = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--add-dir', join(outside, 'nope'), '-p', 'x'], { env: envFor(server) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--add-dir .*nope: not a directory/);
  });

  it('ask_user fails clearly when stdin is piped: nobody can answer', async () => {
    server = await startFakeOpenAI({ script: [{ toolCalls: [{ id: 'q', name: 'ask_user', arguments: { question: 'Sure?' } }] }, { text: 'went ahead' }] });
    const run = await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '--no-session'], { cwd: project(), env: envFor(server), input: 'do it' });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('went ahead');
    const result = (server.requests[1]!.body!.messages as Array<{ role: string; content: string }>).at(-1)!;
    expect(result.role).toBe('tool');
    expect(result.content).toMatch(/nobody can answer questions in this mode/);
  });
  it('-c continues the newest session of this folder, -r a named one; flags carry over', async () => {
    let n = 0;
    server = await startFakeOpenAI({ responder: () => ({ text: `reply ${++n}` }) });
    const env = envFor(server);
    const here = project();
    const elsewhere = project();
    const none = await kt(['run', '-c', '-p', 'x'], { cwd: here, env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no session started in .* yet; kt resume --last/);
    expect((await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'first here'], { cwd: here, env })).code).toBe(0);
    expect((await kt(['run', '@kt-biome/creatures/general', '--llm', 'openai/m', '-p', 'first elsewhere'], { cwd: elsewhere, env })).code).toBe(0);
    const continued = await kt(['run', '-c', '-p', 'second here', '--output-format', 'json'], { cwd: here, env });
    expect(continued.code).toBe(0);
    expect(JSON.parse(continued.stdout)).toMatchObject({ status: 'completed', text: 'reply 3' });
    const sent = (i: number) => (server!.requests[i]!.body!.messages as Array<{ role: string; content: string }>).slice(1).map((m) => m.content);
    expect(sent(2)).toEqual(['first here', 'reply 1', 'second here']);
    const name = readdirSync(join(env.KT_CONFIG_DIR!, 'sessions')).filter((f) => f.endsWith('.kohakutr')).sort()[0]!.replace('.kohakutr', '');
    const resumed = await kt(['run', '-r', name, '-p', 'again'], { cwd: here, env });
    expect(resumed.code).toBe(0);
    expect(sent(3).at(-1)).toBe('again');
  });
});
