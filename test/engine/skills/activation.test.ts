import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesSkillPath, matchingSkills, SkillPathScanner, skillContextHint } from '../../../source/engine/skills/activation.js';
import { SkillRegistry } from '../../../source/engine/skills/registry.js';
import { makeSkill, tempDir, tree } from './fixtures.js';

const pdf = makeSkill('pdf-merge', { description: 'Merge PDF files with qpdf.', paths: ['*.pdf'] });
const ts = makeSkill('ts-style', { description: 'House TypeScript style.', paths: ['src/**/*.ts'] });
const todo = makeSkill('todo-file', { description: 'Keep todo.md current.', paths: ['todo.md'] });

async function match(registry: SkillRegistry, cwd: string, limits: { maxDepth?: number; maxFiles?: number } = {}) {
  const scanner = new SkillPathScanner();
  const result = await matchingSkills(registry, cwd, { ...limits, scanner });
  return { ...result, names: result.matches.map((m) => m.skill.name), scanner };
}

describe('matchesSkillPath', () => {
  it('matches slash-less patterns against the file name at any depth', () => {
    expect(matchesSkillPath('a.pdf', '*.pdf')).toBe(true);
    expect(matchesSkillPath('docs/deep/a.pdf', '*.pdf')).toBe(true);
    expect(matchesSkillPath('notes/todo.md', 'todo.md')).toBe(true);
    expect(matchesSkillPath('a.PDF', '*.pdf')).toBe(false);
  });

  it('matches patterns with a slash against the whole relative path', () => {
    expect(matchesSkillPath('src/a/b.ts', 'src/**/*.ts')).toBe(true);
    expect(matchesSkillPath('lib/src/b.ts', 'src/**/*.ts')).toBe(false);
    expect(matchesSkillPath('todo.md', './todo.md')).toBe(true);
    expect(matchesSkillPath('x/todo.md', '/todo.md')).toBe(false);
    expect(matchesSkillPath('a.ts', '*.{ts,js}')).toBe(true);
    expect(matchesSkillPath('a.ts', '  ')).toBe(false);
  });
});

describe('matchingSkills', () => {
  it('finds the skills whose globs match files under the folder, with a hint', async () => {
    const cwd = await tempDir();
    await tree(cwd, { 'docs/report.pdf': '', 'src/lib/a.ts': '', 'README.md': '' });
    const { names, hint, matches } = await match(new SkillRegistry([pdf, ts, todo]), cwd);
    expect(names).toEqual(['pdf-merge', 'ts-style']);
    expect(matches[0]?.files).toEqual(['docs/report.pdf']);
    expect(hint).toBe(
      [
        'Skill context:',
        'The files here match skill pdf-merge: Merge PDF files with qpdf; use skill pdf-merge before working on them.',
        'The files here match skill ts-style: House TypeScript style; use skill ts-style before working on them.',
      ].join('\n'),
    );
  });

  it('returns nothing when no file matches', async () => {
    const cwd = await tempDir();
    await tree(cwd, { 'a.txt': '' });
    expect(await match(new SkillRegistry([pdf, ts]), cwd)).toMatchObject({ names: [], hint: '' });
  });

  it('leaves out skills hidden from the model or switched off', async () => {
    const cwd = await tempDir();
    await tree(cwd, { 'a.pdf': '', 'todo.md': '' });
    const hidden = makeSkill('hidden-pdf', { paths: ['*.pdf'], disableModelInvocation: true });
    const registry = new SkillRegistry([pdf, hidden, todo], { disabled: new Set(['todo-file']) });
    expect((await match(registry, cwd)).names).toEqual(['pdf-merge']);
  });

  it('does not walk at all when no skill has paths', async () => {
    const cwd = await tempDir();
    const { scanner, names } = await match(new SkillRegistry([makeSkill('plain')]), cwd);
    expect(names).toEqual([]);
    expect(scanner.walks).toBe(0);
  });

  it('respects .gitignore and never looks inside .git', async () => {
    const cwd = await tempDir();
    await tree(cwd, { '.gitignore': 'build/\n', 'build/out.pdf': '', '.git/x.pdf': '' });
    expect((await match(new SkillRegistry([pdf]), cwd)).names).toEqual([]);
    await tree(cwd, { 'kept.pdf': '' });
    expect((await match(new SkillRegistry([pdf]), cwd)).matches[0]?.files).toEqual(['kept.pdf']);
  });

  it('looks at most maxDepth folders down', async () => {
    const cwd = await tempDir();
    await tree(cwd, { 'a/b/c/d/deep.pdf': '' });
    expect((await match(new SkillRegistry([pdf]), cwd)).names).toEqual([]);
    expect((await match(new SkillRegistry([pdf]), cwd, { maxDepth: 4 })).names).toEqual(['pdf-merge']);
    await tree(cwd, { 'a/b/c/three.pdf': '', 'a/one.pdf': '' });
    expect((await match(new SkillRegistry([pdf]), cwd)).matches[0]?.files).toEqual(['a/b/c/three.pdf', 'a/one.pdf']);
    expect((await match(new SkillRegistry([pdf]), cwd, { maxDepth: 0 })).names).toEqual([]);
  });

  it('stops after maxFiles files', async () => {
    const cwd = await tempDir();
    await tree(cwd, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.txt`, ''])));
    const scanner = new SkillPathScanner();
    expect(await scanner.files(cwd, { maxFiles: 10 })).toHaveLength(10);
    expect(await scanner.files(cwd)).toHaveLength(30);
    expect(await scanner.files(cwd, { maxFiles: 0 })).toEqual([]);
  });

  it('caches the walk until the folder itself changes', async () => {
    const cwd = await tempDir();
    await tree(cwd, { 'sub/a.txt': '' });
    const old = new Date(Date.now() - 60_000);
    await utimes(cwd, old, old);
    const scanner = new SkillPathScanner();
    const registry = new SkillRegistry([pdf]);
    expect((await matchingSkills(registry, cwd, { scanner })).matches).toEqual([]);
    expect(scanner.walks).toBe(1);

    // A file deeper down does not touch the folder's own time: the cached list stands.
    await writeFile(path.join(cwd, 'sub/late.pdf'), '');
    expect((await matchingSkills(registry, cwd, { scanner })).matches).toEqual([]);
    expect(scanner.walks).toBe(1);

    // A new entry in the folder itself changes its time: walk again.
    await writeFile(path.join(cwd, 'top.txt'), '');
    const found = await matchingSkills(registry, cwd, { scanner });
    expect(found.matches[0]?.files).toEqual(['sub/late.pdf']);
    expect(scanner.walks).toBe(2);

    // Different limits are cached separately.
    await scanner.files(cwd, { maxDepth: 1 });
    expect(scanner.walks).toBe(3);
  });

  it('handles unicode file and skill names', async () => {
    const cwd = await tempDir();
    await tree(cwd, { '報告書/年次.pdf': '' });
    const skill = makeSkill('PDF結合', { description: 'PDFを結合する', paths: ['*.pdf'] });
    const { hint, matches } = await match(new SkillRegistry([skill]), cwd);
    expect(matches[0]?.files).toEqual(['報告書/年次.pdf']);
    expect(hint).toBe('Skill context:\nThe files here match skill PDF結合: PDFを結合する; use skill PDF結合 before working on them.');
  });

  it('gives no matches for a folder that does not exist', async () => {
    const cwd = await tempDir();
    expect((await match(new SkillRegistry([pdf]), path.join(cwd, 'missing'))).names).toEqual([]);
  });
});

describe('skillContextHint', () => {
  it('is empty for no skills and leaves out an empty description', () => {
    expect(skillContextHint([])).toBe('');
    expect(skillContextHint([makeSkill('x', { description: '' })])).toBe('Skill context:\nThe files here match skill x; use skill x before working on them.');
  });
});
