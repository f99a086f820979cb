import { describe, expect, it } from 'vitest';
import { skillTool } from '../../../source/builtins/tools/skill.js';
import { SkillRegistry } from '../../../source/engine/skills/registry.js';
import type { Skill } from '../../../source/engine/skills/skill.js';
import type { SkillView } from '../../../source/engine/tools/runtime.js';
import { call, makeContext, result } from './context.js';

function skill(name: string, extra: Partial<Skill> = {}): Skill {
  return {
    name,
    description: `about ${name}`,
    paths: [],
    allowedTools: [],
    disableModelInvocation: false,
    body: `1. Do ${name}.\n2. Run scripts/check.sh.`,
    dir: `/work/skills/${name}`,
    file: `/work/skills/${name}/SKILL.md`,
    form: 'folder',
    scope: 'project',
    shadows: [],
    ...extra,
  };
}

const registry = new SkillRegistry([skill('pdf-merge'), skill('git-commit-flow'), skill('secret', { disableModelInvocation: true })]);
/** A context whose runtime offers `skills` (default: the registry above); `null` offers none. */
const withSkills = (skills?: SkillView | null) => makeContext({ runtime: skills === null ? {} : { skills: skills ?? registry.view() } });

describe('skill tool', () => {
  it('is named skill and takes a name and optional arguments', () => {
    const tool = skillTool.create({});
    expect(tool.name).toBe('skill');
    expect(tool.parameters).toMatchObject({ required: ['name'], properties: { name: { type: 'string' }, arguments: { type: 'string' } } });
    expect(tool.parse({})).toMatchObject({ ok: false });
  });

  it('returns the instructions with the skill folder', async () => {
    const out = result(await call(skillTool, { name: 'pdf-merge' }, withSkills()));
    expect(out.isError).toBe(false);
    expect(out.text).toBe(
      '# Skill: pdf-merge\n\nSkill folder: /work/skills/pdf-merge (relative paths in these instructions, such as scripts/, references/ and assets/, are inside it)\n\n1. Do pdf-merge.\n2. Run scripts/check.sh.',
    );
  });

  it('adds an Arguments line when arguments are given', async () => {
    const out = result(await call(skillTool, { name: 'pdf-merge', arguments: ' a.pdf b.pdf ' }, withSkills()));
    expect(out.text.endsWith('2. Run scripts/check.sh.\n\nArguments: a.pdf b.pdf')).toBe(true);
    const blank = result(await call(skillTool, { name: 'pdf-merge', arguments: '  ' }, withSkills()));
    expect(blank.text).not.toContain('Arguments:');
  });

  it('suggests close names for an unknown skill', async () => {
    const out = result(await call(skillTool, { name: 'pdf-merg' }, withSkills()));
    expect(out).toEqual({ isError: true, text: "Unknown skill 'pdf-merg' (did you mean: pdf-merge?). Available skills: git-commit-flow, pdf-merge." });
  });

  it('does not load skills hidden from the model', async () => {
    const out = result(await call(skillTool, { name: 'secret' }, withSkills()));
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^Unknown skill 'secret'/);
    expect(out.text).not.toContain('secret,');
  });

  it('is an error when the creature has no skills', async () => {
    expect(result(await call(skillTool, { name: 'x' }, withSkills(null)))).toEqual({
      isError: true,
      text: 'Skills are not available here: this creature has no skills.',
    });
    const empty = result(await call(skillTool, { name: 'x' }, withSkills(new SkillRegistry([]).view())));
    expect(empty).toEqual({ isError: true, text: "Unknown skill 'x': no skills are available." });
  });

  it('works with any SkillView', async () => {
    const view: SkillView = { names: () => ['ünïcode'], body: (name) => (name === 'ünïcode' ? 'Schritte' : undefined) };
    expect(result(await call(skillTool, { name: 'ünïcode', arguments: 'für alle' }, withSkills(view))).text).toBe('Schritte\n\nArguments: für alle');
  });
});
