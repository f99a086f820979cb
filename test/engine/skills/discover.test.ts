import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverSkills, skillRoots } from '../../../source/engine/skills/discover.js';
import { formatSkillWarning } from '../../../source/engine/skills/skill.js';
import { skillText, tempDir, tree } from './fixtures.js';

/** A world with separate home, config home, creature and project folders. */
async function world() {
  const root = await tempDir();
  const dirs = {
    home: path.join(root, 'home'),
    config: path.join(root, 'kt-home'),
    creature: path.join(root, 'creature'),
    cwd: path.join(root, 'project'),
  };
  const discover = () => discoverSkills({ cwd: dirs.cwd, configHome: dirs.config, creatureFolder: dirs.creature, env: { HOME: dirs.home } });
  return { root, dirs, discover };
}

describe('skillRoots', () => {
  it('lists the folders lowest precedence first: creature, user, project', async () => {
    const { dirs } = await world();
    const roots = skillRoots({ cwd: dirs.cwd, configHome: dirs.config, creatureFolder: dirs.creature, env: { HOME: dirs.home } });
    expect(roots).toEqual([
      { dir: path.join(dirs.creature, 'prompts', 'skills'), scope: 'creature' },
      { dir: path.join(dirs.creature, 'skills'), scope: 'creature' },
      { dir: path.join(dirs.home, '.agents', 'skills'), scope: 'user' },
      { dir: path.join(dirs.home, '.claude', 'skills'), scope: 'user' },
      { dir: path.join(dirs.config, 'skills'), scope: 'user' },
      { dir: path.join(dirs.cwd, '.agents', 'skills'), scope: 'project' },
      { dir: path.join(dirs.cwd, '.claude', 'skills'), scope: 'project' },
      { dir: path.join(dirs.cwd, '.kt', 'skills'), scope: 'project' },
    ]);
  });

  it('reads a folder that is both user and project once, as project', async () => {
    const { dirs } = await world();
    const roots = skillRoots({ cwd: dirs.home, configHome: dirs.config, env: { HOME: dirs.home } });
    const claude = roots.filter((r) => r.dir === path.join(dirs.home, '.claude', 'skills'));
    expect(claude).toEqual([{ dir: path.join(dirs.home, '.claude', 'skills'), scope: 'project' }]);
  });

  it('puts package skills folders first, lowest of all', async () => {
    const { dirs, root } = await world();
    const roots = skillRoots({ cwd: dirs.cwd, configHome: dirs.config, env: { HOME: dirs.home }, packageSkillDirs: [path.join(root, 'pkg-a/skills'), path.join(root, 'pkg-b/skills')] });
    expect(roots.slice(0, 3)).toEqual([
      { dir: path.join(root, 'pkg-a/skills'), scope: 'package' },
      { dir: path.join(root, 'pkg-b/skills'), scope: 'package' },
      { dir: path.join(dirs.home, '.agents', 'skills'), scope: 'user' },
    ]);
  });

  it('takes the config home from KT_CONFIG_DIR when not given', async () => {
    const { dirs } = await world();
    const roots = skillRoots({ cwd: dirs.cwd, env: { HOME: dirs.home, KT_CONFIG_DIR: dirs.config } });
    expect(roots.map((r) => r.dir)).toContain(path.join(dirs.config, 'skills'));
  });
});

describe('discoverSkills', () => {
  it('finds skills in every location', async () => {
    const { dirs, discover } = await world();
    const where: Record<string, string> = {
      'creature-prompts': path.join(dirs.creature, 'prompts/skills'),
      creature: path.join(dirs.creature, 'skills'),
      'user-agents': path.join(dirs.home, '.agents/skills'),
      'user-claude': path.join(dirs.home, '.claude/skills'),
      'user-kt': path.join(dirs.config, 'skills'),
      'project-agents': path.join(dirs.cwd, '.agents/skills'),
      'project-claude': path.join(dirs.cwd, '.claude/skills'),
      'project-kt': path.join(dirs.cwd, '.kt/skills'),
    };
    for (const [name, dir] of Object.entries(where)) await tree(dir, { [`${name}/SKILL.md`]: skillText({ description: `from ${name}` }) });
    const { skills, warnings } = await discover();
    expect(warnings).toEqual([]);
    expect(skills.map((s) => [s.name, s.scope, s.file])).toEqual(
      Object.entries(where)
        .map(([name, dir]) => [name, name.split('-')[0], path.join(dir, name, 'SKILL.md')])
        .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    );
  });

  it('lets later folders replace earlier ones by name: project > user > creature', async () => {
    const { dirs, discover } = await world();
    const write = (dir: string, description: string) => tree(dir, { 'review/SKILL.md': skillText({ description }) });
    await write(path.join(dirs.creature, 'skills'), 'creature');
    await write(path.join(dirs.config, 'skills'), 'user');
    let review = (await discover()).skills[0];
    expect(review?.description).toBe('user');
    expect(review?.shadows).toEqual([path.join(dirs.creature, 'skills/review/SKILL.md')]);

    await write(path.join(dirs.cwd, '.claude/skills'), 'project claude');
    await write(path.join(dirs.cwd, '.kt/skills'), 'project kt');
    review = (await discover()).skills[0];
    expect(review).toMatchObject({ description: 'project kt', scope: 'project' });
    expect(review?.shadows).toHaveLength(3);
  });

  it('lets any standard folder replace a package skill', async () => {
    const { root, dirs } = await world();
    const pkg = path.join(root, 'pkg/skills');
    await tree(pkg, { 'lint/SKILL.md': skillText({ description: 'package' }), 'only-pkg/SKILL.md': skillText({ description: 'package only' }) });
    await tree(path.join(dirs.creature, 'skills'), { 'lint/SKILL.md': skillText({ description: 'creature' }) });
    const { skills } = await discoverSkills({ cwd: dirs.cwd, configHome: dirs.config, creatureFolder: dirs.creature, env: { HOME: dirs.home }, packageSkillDirs: [pkg] });
    expect(skills.map((s) => [s.name, s.scope, s.description])).toEqual([
      ['lint', 'creature', 'creature'],
      ['only-pkg', 'package', 'package only'],
    ]);
  });

  it('within a level, the framework folder beats .claude and .agents', async () => {
    const { dirs, discover } = await world();
    await tree(path.join(dirs.home, '.claude/skills'), { 'x/SKILL.md': skillText({ description: 'claude' }) });
    await tree(path.join(dirs.home, '.agents/skills'), { 'x/SKILL.md': skillText({ description: 'agents' }) });
    expect((await discover()).skills[0]?.description).toBe('claude');
    await tree(path.join(dirs.config, 'skills'), { 'x/SKILL.md': skillText({ description: 'kt' }) });
    expect((await discover()).skills[0]?.description).toBe('kt');
  });

  it('reads flat skills, and the folder form wins over the flat form in one folder', async () => {
    const { dirs, discover } = await world();
    await tree(path.join(dirs.cwd, '.kt/skills'), {
      'todo.md': skillText({ description: 'flat todo' }),
      'todo/SKILL.md': skillText({ description: 'folder todo' }),
      'notes.md': skillText({ description: 'flat notes' }, 'Take notes.'),
      'README.md': '# About these skills\n',
    });
    const { skills, warnings } = await discover();
    expect(warnings).toEqual([]);
    expect(skills.map((s) => [s.name, s.form, s.description])).toEqual([
      ['notes', 'flat', 'flat notes'],
      ['todo', 'folder', 'folder todo'],
    ]);
    expect(skills[0]).toMatchObject({ dir: path.join(dirs.cwd, '.kt/skills'), body: 'Take notes.' });
  });

  it('a flat skill at a higher level still replaces a folder skill at a lower one', async () => {
    const { dirs, discover } = await world();
    await tree(path.join(dirs.config, 'skills'), { 'todo/SKILL.md': skillText({ description: 'user folder' }) });
    await tree(path.join(dirs.cwd, '.kt/skills'), { 'todo.md': skillText({ description: 'project flat' }) });
    expect((await discover()).skills[0]).toMatchObject({ description: 'project flat', form: 'flat' });
  });

  it('warns about bad frontmatter with file and line, skips that skill, and keeps the rest', async () => {
    const { dirs, discover } = await world();
    const dir = path.join(dirs.cwd, '.kt/skills');
    await tree(dir, {
      'good/SKILL.md': skillText({ description: 'fine' }),
      'broken/SKILL.md': '---\nname: broken\ndescription: [oops\n---\nbody',
      'open/SKILL.md': '---\nname: open\nbody with no closing line',
      'typed/SKILL.md': '---\ndescription: x\npaths: 3\n---\n',
      'flat-bad.md': '---\n: :\n  - nope\n---\n',
    });
    const { skills, warnings } = await discover();
    expect(skills.map((s) => s.name)).toEqual(['good']);
    const text = warnings.map(formatSkillWarning).sort();
    expect(text).toHaveLength(4);
    expect(text[0]).toMatch(new RegExp(`^${path.join(dir, 'broken/SKILL.md')}:3: invalid YAML`));
    expect(text[1]).toMatch(/flat-bad\.md:\d+: /);
    expect(text[2]).toBe(`${path.join(dir, 'open/SKILL.md')}:1: frontmatter opened with \`---\` is never closed (no second \`---\` line); skill skipped`);
    expect(text[3]).toBe(`${path.join(dir, 'typed/SKILL.md')}:3: 'paths' must be text or a list of text; skill skipped`);
  });

  it('warns about two skills claiming one name in the same folder', async () => {
    const { dirs, discover } = await world();
    await tree(path.join(dirs.cwd, '.kt/skills'), {
      'a/SKILL.md': skillText({ name: 'same', description: 'first' }),
      'b/SKILL.md': skillText({ name: 'same', description: 'second' }),
    });
    const { skills, warnings } = await discover();
    expect(skills.map((s) => s.description)).toEqual(['first']);
    expect(warnings).toEqual([{ file: path.join(dirs.cwd, '.kt/skills/b/SKILL.md'), message: expect.stringMatching(/already named 'same'/) }]);
  });

  it('handles unicode names and descriptions, sorted the same everywhere', async () => {
    const { dirs, discover } = await world();
    await tree(path.join(dirs.cwd, '.kt/skills'), {
      'レビュー/SKILL.md': skillText({ description: 'コードを確認する 🔍' }),
      'Zeta/SKILL.md': skillText({ description: 'capital' }),
      'alpha/SKILL.md': skillText({ name: 'ärger', description: 'Ümlaut' }),
    });
    const { skills } = await discover();
    // Code-unit order: uppercase < lowercase < accented < CJK, whatever the locale.
    expect(skills.map((s) => [s.name, s.description])).toEqual([
      ['Zeta', 'capital'],
      ['ärger', 'Ümlaut'],
      ['レビュー', 'コードを確認する 🔍'],
    ]);
  });

  it('follows symbolic links to skill folders and reads a linked skills folder once', async () => {
    const { root, dirs, discover } = await world();
    const shared = path.join(root, 'shared');
    await tree(shared, { 'linked/SKILL.md': skillText({ description: 'linked in' }) });
    await tree(dirs.cwd, { '.kt/skills/own/SKILL.md': skillText({ description: 'own' }) });
    await symlink(path.join(shared, 'linked'), path.join(dirs.cwd, '.kt/skills/linked'));
    await tree(dirs.home, { '.claude/.keep': '' });
    await symlink(shared, path.join(dirs.home, '.claude/skills'));
    await tree(dirs.cwd, { '.claude/.keep': '' });
    await symlink(shared, path.join(dirs.cwd, '.claude/skills'));
    const { skills, warnings } = await discover();
    expect(warnings).toEqual([]);
    expect(skills.map((s) => [s.name, s.scope])).toEqual([
      ['linked', 'project'],
      ['own', 'project'],
    ]);
    // The shared folder, linked as both ~/.claude/skills and ./.claude/skills, is read once, as project;
    // the copy linked into .kt/skills then replaces it.
    expect(skills[0]?.file).toBe(path.join(dirs.cwd, '.kt/skills/linked/SKILL.md'));
    expect(skills[0]?.shadows).toEqual([path.join(dirs.cwd, '.claude/skills/linked/SKILL.md')]);
  });

  it('returns nothing, quietly, when no folder exists', async () => {
    const { discover } = await world();
    expect(await discover()).toEqual({ skills: [], warnings: [] });
  });
});
