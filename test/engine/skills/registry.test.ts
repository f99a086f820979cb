import { describe, expect, it } from 'vitest';
import { SkillRegistry } from '../../../source/engine/skills/registry.js';
import { makeSkill } from './fixtures.js';

describe('SkillRegistry', () => {
  const skills = [makeSkill('zeta'), makeSkill('alpha'), makeSkill('secret', { disableModelInvocation: true })];

  it('lists names sorted and looks skills up', () => {
    const registry = new SkillRegistry(skills);
    expect(registry.names()).toEqual(['alpha', 'secret', 'zeta']);
    expect(registry.get('alpha')?.body).toBe('Steps for alpha.');
    expect(registry.get('nope')).toBeUndefined();
  });

  it('leaves disable-model-invocation skills out of invocable() and the view, but keeps them enabled for the user', () => {
    const registry = new SkillRegistry(skills);
    expect(registry.invocable().map((s) => s.name)).toEqual(['alpha', 'zeta']);
    expect(registry.enabled().map((s) => s.name)).toEqual(['alpha', 'secret', 'zeta']);
    const view = registry.view();
    expect(view.names()).toEqual(['alpha', 'zeta']);
    expect(view.body('secret')).toBeUndefined();
    expect(view.body('nope')).toBeUndefined();
  });

  it('gives the model the body with the skill folder', () => {
    const view = new SkillRegistry(skills).view();
    expect(view.body('alpha')).toBe(
      '# Skill: alpha\n\nSkill folder: /skills/alpha (relative paths in these instructions, such as scripts/, references/ and assets/, are inside it)\n\nSteps for alpha.',
    );
    const flat = new SkillRegistry([makeSkill('todo', { form: 'flat', dir: '/skills', file: '/skills/todo.md' })]).view();
    expect(flat.body('todo')).toBe('# Skill: todo\n\nSkill file: /skills/todo.md\n\nSteps for todo.');
  });

  it('keeps toggles in the sets the caller owns, and the view follows them live', () => {
    const enabled = new Set<string>();
    const disabled = new Set<string>(['zeta']);
    const registry = new SkillRegistry(skills, { enabled, disabled });
    const view = registry.view();
    expect(view.names()).toEqual(['alpha']);
    expect(view.body('zeta')).toBeUndefined();

    expect(registry.enable('zeta')).toBe(true);
    expect([...enabled]).toEqual(['zeta']);
    expect([...disabled]).toEqual([]);
    expect(view.names()).toEqual(['alpha', 'zeta']);

    expect(registry.disable('alpha')).toBe(true);
    expect(registry.isEnabled('alpha')).toBe(false);
    expect(registry.toggles()).toEqual({ enabled: ['zeta'], disabled: ['alpha'] });
    expect(registry.enable('missing')).toBe(false);
    expect(registry.disable('missing')).toBe(false);
  });

  it('starts skills off when the default says so, until enabled', () => {
    const registry = new SkillRegistry([makeSkill('pkg', { scope: 'creature' }), makeSkill('mine')], {
      defaultEnabled: (skill) => skill.scope !== 'creature',
    });
    expect(registry.invocable().map((s) => s.name)).toEqual(['mine']);
    registry.enable('pkg');
    expect(registry.invocable().map((s) => s.name)).toEqual(['mine', 'pkg']);
  });

  it('lets a later skill with the same name replace an earlier one', () => {
    const registry = new SkillRegistry([makeSkill('a', { description: 'old' }), makeSkill('a', { description: 'new' })]);
    expect(registry.all().map((s) => s.description)).toEqual(['new']);
  });
});
