/** checkpoint: a real git repository, real edits through the write tool, /undo through the slash command path. */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { pluginSlashCommand } from '../../../source/ui/commands.js';

const git = async (cwd: string, ...args: string[]) => String((await execa('git', args, { cwd })).stdout).trim();

async function repo(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kt-checkpoint-test-'));
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.email', 't@example.com');
  await git(dir, 'config', 'user.name', 'T');
  writeFileSync(join(dir, 'a.txt'), 'one\n');
  writeFileSync(join(dir, '.gitignore'), 'ignored.log\n');
  await git(dir, 'add', '.');
  await git(dir, 'commit', '-qm', 'first');
  // Something staged and something ignored: neither may be disturbed.
  writeFileSync(join(dir, 'staged.txt'), 'staged\n');
  await git(dir, 'add', 'staged.txt');
  writeFileSync(join(dir, 'ignored.log'), 'log\n');
  return dir;
}

describe('checkpoint plugin', () => {
  it('snapshots before each edit into a private ref, and /undo steps back one edit at a time without touching branch, index or stash', async () => {
    const pwd = await repo();
    const before = { head: await git(pwd, 'rev-parse', 'HEAD'), status: await git(pwd, 'status', '--porcelain'), staged: await git(pwd, 'diff', '--cached', '--name-only') };
    const llm = new ScriptedLLM([
      // The write tool wants a file read before it is overwritten.
      { toolCalls: [{ name: 'read', args: { path: 'a.txt' } }] },
      { toolCalls: [{ name: 'write', args: { path: 'a.txt', content: 'two\n' } }] },
      { toolCalls: [{ name: 'write', args: { path: 'new.txt', content: 'new\n' } }] },
      { text: 'done' },
    ]);
    await using agent = await Agent.build('@kt-biome/creatures/general', { llm, pwd, projectInstructions: false, plugins: [{ plugin: 'checkpoint' }] });
    await agent.run('edit things');
    expect(readFileSync(join(pwd, 'a.txt'), 'utf8')).toBe('two\n');

    const refs = (await git(pwd, 'for-each-ref', '--format=%(refname)', 'refs/kt/checkpoints')).split('\n');
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatch(/^refs\/kt\/checkpoints\/general-[0-9a-f]{8}$/);
    expect(await git(pwd, 'rev-list', '--count', refs[0]!)).toBe('2');
    expect(await git(pwd, 'rev-parse', 'HEAD')).toBe(before.head);
    expect(await git(pwd, 'diff', '--cached', '--name-only')).toBe(before.staged);
    expect(await git(pwd, 'stash', 'list')).toBe('');

    const undo = pluginSlashCommand(agent, 'undo')!;
    expect(undo).toBeDefined();
    const first = await undo.run(agent, '');
    expect(first).toMatchObject({ kind: 'note', text: expect.stringContaining('removed new.txt') });
    expect(existsSync(join(pwd, 'new.txt'))).toBe(false);
    expect(readFileSync(join(pwd, 'a.txt'), 'utf8')).toBe('two\n');

    const second = await undo.run(agent, '');
    expect(second).toMatchObject({ kind: 'note', text: expect.stringContaining('restored a.txt') });
    expect(readFileSync(join(pwd, 'a.txt'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(pwd, 'ignored.log'), 'utf8')).toBe('log\n');
    expect(await git(pwd, 'status', '--porcelain')).toBe(before.status);
    expect(await git(pwd, 'for-each-ref', 'refs/kt/checkpoints')).toBe('');

    expect(await undo.run(agent, '')).toMatchObject({ text: expect.stringContaining('Nothing to undo') });
  });

  it('outside a git repository it warns once and lets the edit through', async () => {
    const pwd = mkdtempSync(join(tmpdir(), 'kt-checkpoint-norepo-'));
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'write', args: { path: 'x.txt', content: 'x' } }] }, { text: 'ok' }]);
    await using agent = await Agent.build('@kt-biome/creatures/general', { llm, pwd, projectInstructions: false, plugins: [{ plugin: 'checkpoint' }] });
    const warnings: string[] = [];
    agent.on('warning', (e) => warnings.push(e.message));
    await agent.run('write');
    expect(readFileSync(join(pwd, 'x.txt'), 'utf8')).toBe('x');
    expect(warnings.filter((w) => w.startsWith('checkpoint:'))).toEqual([expect.stringContaining('not in a git repository')]);
  });
});
