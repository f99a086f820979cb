import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjectInstructions } from '../../../source/engine/prompt/project-instructions.js';
import { tempDir, tree } from './fixtures.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('loadProjectInstructions', () => {
  it('reads AGENTS.md and CLAUDE.md from the git root down to cwd, outermost first', async () => {
    const outer = await tempDir();
    const repo = path.join(outer, 'repo');
    await tree(outer, {
      'AGENTS.md': 'above the repository: not read',
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/AGENTS.md': 'Root agents.\n',
      'repo/CLAUDE.md': 'Root claude.',
      'repo/.claude/CLAUDE.md': 'Root dot-claude.',
      'repo/pkg/AGENTS.md': '',
      'repo/pkg/app/CLAUDE.md': '# App\r\n\r\nApp rules.\r\n',
      'repo/other/AGENTS.md': 'sibling: not read',
    });
    const result = await loadProjectInstructions(path.join(repo, 'pkg/app'));
    expect(result.files.map((f) => f.display)).toEqual(['../../AGENTS.md', '../../CLAUDE.md', '../../.claude/CLAUDE.md', 'CLAUDE.md']);
    expect(result.truncated).toBe(false);
    expect(result.text).toBe(
      [
        '## Project instructions',
        '### ../../AGENTS.md\n\nRoot agents.',
        '### ../../CLAUDE.md\n\nRoot claude.',
        '### ../../.claude/CLAUDE.md\n\nRoot dot-claude.',
        '### CLAUDE.md\n\n# App\n\nApp rules.',
      ].join('\n\n'),
    );
    expect(result.files[0]).toMatchObject({ path: path.join(repo, 'AGENTS.md'), bytes: bytes('Root agents.'), cut: false });
  });

  it('stops at a .git file too (worktrees, submodules)', async () => {
    const outer = await tempDir();
    await tree(outer, { 'AGENTS.md': 'outer', 'wt/.git': 'gitdir: /elsewhere\n', 'wt/AGENTS.md': 'inner' });
    const result = await loadProjectInstructions(path.join(outer, 'wt'));
    expect(result.files.map((f) => f.content)).toEqual(['inner']);
  });

  it('walks up to the file-system root outside a repository', async () => {
    const outer = await tempDir();
    await tree(outer, { 'AGENTS.md': 'outer', 'a/b/CLAUDE.md': 'inner' });
    const result = await loadProjectInstructions(path.join(outer, 'a/b'));
    // Folders above the temporary one belong to the machine; look only at ours.
    const ours = result.files.filter((f) => f.path.startsWith(outer));
    expect(ours.map((f) => [f.display, f.content])).toEqual([
      ['../../AGENTS.md', 'outer'],
      ['CLAUDE.md', 'inner'],
    ]);
  });

  it('includes a file reached twice only once', async () => {
    const repo = await tempDir();
    await tree(repo, { '.git/HEAD': '', 'AGENTS.md': 'Shared rules.' });
    await symlink(path.join(repo, 'AGENTS.md'), path.join(repo, 'CLAUDE.md'));
    const result = await loadProjectInstructions(repo);
    expect(result.files.map((f) => f.display)).toEqual(['AGENTS.md']);
  });

  it('is empty when there are no instruction files', async () => {
    const repo = await tempDir();
    await tree(repo, { '.git/HEAD': '', 'README.md': 'not instructions' });
    expect(await loadProjectInstructions(repo)).toEqual({ files: [], omitted: [], truncated: false, text: '' });
  });

  it('caps the total size, cutting at a line and saying what was left out', async () => {
    const repo = await tempDir();
    const line = 'x'.repeat(99);
    await tree(repo, {
      '.git/HEAD': '',
      'AGENTS.md': Array(5).fill(line).join('\n'), // 499 bytes
      'CLAUDE.md': Array(5).fill(line).join('\n'),
      '.claude/CLAUDE.md': 'never reached',
    });
    const result = await loadProjectInstructions(repo, { maxBytes: 800 });
    expect(result.truncated).toBe(true);
    expect(result.files.map((f) => [f.display, f.cut])).toEqual([
      ['AGENTS.md', false],
      ['CLAUDE.md', true],
    ]);
    // 301 bytes were left: three whole lines (299 bytes) fit.
    expect(result.files[1]?.content).toBe(Array(3).fill(line).join('\n'));
    expect(result.omitted).toEqual(['.claude/CLAUDE.md']);
    expect(result.text).toContain('[… CLAUDE.md continues; cut here]');
    expect(result.text.endsWith('[Project instructions are capped at 800 bytes: shortened CLAUDE.md; left out .claude/CLAUDE.md. Read those files for the rest.]')).toBe(true);
  });

  it('cuts inside a single long line on a character boundary', async () => {
    const repo = await tempDir();
    await tree(repo, { '.git/HEAD': '', 'AGENTS.md': 'ü'.repeat(100) });
    const result = await loadProjectInstructions(repo, { maxBytes: 11 });
    expect(result.files[0]?.content).toBe('ü'.repeat(5));
  });

  it('leaves a file out entirely when no byte is left for it', async () => {
    const repo = await tempDir();
    await tree(repo, { '.git/HEAD': '', 'AGENTS.md': 'abc', 'CLAUDE.md': 'def' });
    const result = await loadProjectInstructions(repo, { maxBytes: 3 });
    expect(result.files.map((f) => f.display)).toEqual(['AGENTS.md']);
    expect(result.omitted).toEqual(['CLAUDE.md']);
    expect(result.text).toContain('left out CLAUDE.md');
  });
});
