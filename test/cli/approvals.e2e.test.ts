/**
 * Approvals in scripted runs: with nobody to ask, edits and commands are
 * refused (the model is told, stderr names the flag), `--approval-mode`
 * and the creature's `controller.allow` open them; at a terminal a `-p` run
 * asks on the terminal.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../fakes/openai-server.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';
import { assertBuilt, baseEnv, kt, ktBin } from './helpers.js';

let server: FakeOpenAIServer | undefined;
let terminal: TmuxSession | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  terminal?.close();
  terminal = undefined;
  await server?.close();
  server = undefined;
});

type Message = { role: string; content: string; tool_call_id?: string };

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-approve-'));
  writeFileSync(join(dir, 'notes.txt'), 'hello world\n');
  return dir;
}

const SCRIPT = [
  { toolCalls: [{ id: 'r1', name: 'read', arguments: { path: 'notes.txt' } }] },
  { toolCalls: [{ id: 'e1', name: 'edit', arguments: { path: 'notes.txt', old_string: 'hello world', new_string: 'goodbye world' } }] },
  { toolCalls: [{ id: 'b1', name: 'bash', arguments: { command: 'echo ran > ran.txt' } }] },
  { text: 'Finished.' },
];

function toolResults(): Message[] {
  const last = server!.requests.at(-1)!.body!.messages as Message[];
  return last.filter((m) => m.role === 'tool');
}

async function scripted(dir: string, creature: string, ...flags: string[]) {
  server = await startFakeOpenAI({ script: SCRIPT });
  const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, CI: 'true' });
  return kt(['run', creature, '--llm', 'openai/m', '--no-session', ...flags, '-p', 'change the greeting'], { cwd: dir, env });
}

describe('approvals when nobody can be asked', () => {
  it('-p with a piped stdin: reads run, the edit and the command are refused, stderr names the flag', async () => {
    const dir = project();
    const run = await scripted(dir, '@kt-biome/creatures/swe');
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('hello world\n');
    const [read, edit, bash] = toolResults();
    expect(read!.content).toContain('hello world');
    expect(edit!.content).toMatch(/edit changes files, which needs approval, and nobody can approve it/);
    expect(edit!.content).toMatch(/auto-edit/);
    expect(bash!.content).toMatch(/bash runs commands, which needs approval/);
    expect(run.stderr).toMatch(/kt: refused edit: file edits need approval .*--approval-mode auto-edit/);
    expect(run.stderr).toMatch(/kt: refused bash: commands need approval .*--approval-mode yolo/);
  });

  it('--approval-mode auto-edit lets the edit run and still refuses the command', async () => {
    const dir = project();
    const run = await scripted(dir, '@kt-biome/creatures/swe', '--approval-mode', 'auto-edit');
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('goodbye world\n');
    expect(toolResults()[2]!.content).toMatch(/needs approval/);
    expect(run.stderr).not.toMatch(/refused edit/);
  });

  it("the creature's controller.allow runs the named tools unasked", async () => {
    const dir = project();
    const creature = mkdtempSync(join(tmpdir(), 'kt-creature-'));
    writeFileSync(join(creature, 'config.yaml'), 'name: allowing\ntools: [read, edit, bash]\ncontroller:\n  allow: [bash, "ed*"]\n');
    const run = await scripted(dir, creature);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('goodbye world\n');
    expect(readFileSync(join(dir, 'ran.txt'), 'utf8')).toBe('ran\n');
    expect(run.stderr).not.toMatch(/refused/);
  });

  it.skipIf(!hasTmux())('-p at a terminal asks on the terminal: y runs the command, n refuses the edit', async () => {
    const dir = project();
    server = await startFakeOpenAI({ script: SCRIPT });
    const env = baseEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, TERM: 'xterm-256color' });
    terminal = new TmuxSession(`${process.execPath} ${ktBin} run @kt-biome/creatures/swe --llm openai/m --no-session --pwd ${dir} -p 'change the greeting'`, env);
    await terminal.waitFor(/Allow edit: notes\.txt[\s\S]*answer>/);
    terminal.type('n', true);
    // n asks what to do instead; an empty line is a plain no.
    await terminal.waitFor(/What should the creature do instead\?[\s\S]*answer>/);
    terminal.keys('Enter');
    await terminal.waitFor(/Allow bash: \$ echo ran > ran\.txt[\s\S]*answer>/);
    terminal.type('y', true);
    await terminal.waitFor(/Finished\./);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('hello world\n');
    expect(readFileSync(join(dir, 'ran.txt'), 'utf8')).toBe('ran\n');
    expect(toolResults()[1]!.content).toMatch(/the user did not allow this edit call/);
  });
});
